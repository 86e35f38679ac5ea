import Inference
import LinearAlgebra

extension WildBootstrapDummyBlock {
    /// The dummy block of a fixed effect `other` not nested in the clusters, for a model whose
    /// only other fixed effect `nested` is nested in them; nil when the block is singular (the
    /// caller then builds the dense dummy columns).
    ///
    /// The Gram matrix of the dummies demeaned by the nested effect is
    /// D̃′D̃ = D′D − Σ_l C_l C_l′ / n_l, with C_l the counts of each dummy level within nested
    /// level l and n_l that level's size (the Frisch–Waugh–Lovell algebra of one-way demeaning),
    /// so it costs one pass over the rows and Σ_l (levels met in l)² operations.
    static func make(nested: Factor, other: Factor) -> WildBootstrapDummyBlock? {
        let count = other.levelCount - 1
        guard count >= 1 else { return nil }
        // Level 0 is the reference: the nested effect already spans the constant.
        let codes = other.codes.map { $0 - 1 }
        var gram = Matrix(rows: count, columns: count)
        var cells = [Int64: Double]()
        var sizes = [Double](repeating: 0, count: nested.levelCount)
        for row in 0..<codes.count {
            let level = Int(nested.codes[row])
            sizes[level] += 1
            let code = Int(codes[row])
            guard code >= 0 else { continue }
            gram[code, code] += 1
            cells[Int64(level) * Int64(count) + Int64(code), default: 0] += 1
        }
        var byLevel = [[(code: Int, count: Double)]](repeating: [], count: nested.levelCount)
        for (key, value) in cells { byLevel[Int(key / Int64(count))].append((Int(key % Int64(count)), value)) }
        for (level, entries) in byLevel.enumerated() where !entries.isEmpty {
            let size = sizes[level]
            for first in entries {
                for second in entries { gram[first.code, second.code] -= first.count * second.count / size }
            }
        }
        guard let inverse = try? gram.symmetricPositiveDefiniteInverse() else { return nil }
        return WildBootstrapDummyBlock(codes: codes, count: count, inverseGram: inverse)
    }
}
