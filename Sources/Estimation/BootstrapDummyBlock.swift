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
    /// `denseCellLimit` caps the (nested level × dummy) table counted densely; larger structures
    /// count only the cells they meet, in a hash map (nil: four times the rows).
    static func make(nested: Factor, other: Factor, denseCellLimit: Int? = nil) -> WildBootstrapDummyBlock? {
        let count = other.levelCount - 1
        guard count >= 1 else { return nil }
        // Level 0 is the reference: the nested effect already spans the constant.
        let codes = other.codes.map { $0 - 1 }
        var gram = Matrix(rows: count, columns: count)
        let nestedLevels = nested.levelCount
        var sizes = [Double](repeating: 0, count: nestedLevels)
        // The counts C_l by (nested level, dummy level): a dense table when it is small against the
        // rows (the usual firms × years case), else a hash map of the cells met.
        let denseCells = nestedLevels.multipliedReportingOverflow(by: count)
        if !denseCells.overflow, denseCells.partialValue <= denseCellLimit ?? max(4 * codes.count, 1 << 16) {
            var table = [Double](repeating: 0, count: denseCells.partialValue)
            table.withUnsafeMutableBufferPointer { table in
                sizes.withUnsafeMutableBufferPointer { sizes in
                    nested.codes.withUnsafeBufferPointer { nestedCodes in
                        codes.withUnsafeBufferPointer { codes in
                            for row in 0..<codes.count {
                                let level = Int(nestedCodes[row])
                                sizes[level] += 1
                                let code = Int(codes[row])
                                if code >= 0 { table[level &* count &+ code] += 1 }
                            }
                        }
                    }
                }
            }
            for level in 0..<nestedLevels where sizes[level] > 0 {
                let base = level * count
                let entries = (0..<count).filter { table[base + $0] > 0 }
                for first in entries {
                    let firstCount = table[base + first]
                    gram[first, first] += firstCount
                    for second in entries { gram[first, second] -= firstCount * table[base + second] / sizes[level] }
                }
            }
        } else {
            var cells = [Int64: Double]()
            for row in 0..<codes.count {
                let level = Int(nested.codes[row])
                sizes[level] += 1
                let code = Int(codes[row])
                guard code >= 0 else { continue }
                gram[code, code] += 1
                cells[Int64(level) * Int64(count) + Int64(code), default: 0] += 1
            }
            var byLevel = [[(code: Int, count: Double)]](repeating: [], count: nestedLevels)
            for (key, value) in cells { byLevel[Int(key / Int64(count))].append((Int(key % Int64(count)), value)) }
            for (level, entries) in byLevel.enumerated() where !entries.isEmpty {
                let size = sizes[level]
                for first in entries {
                    for second in entries { gram[first.code, second.code] -= first.count * second.count / size }
                }
            }
        }
        guard let inverse = try? gram.symmetricPositiveDefiniteInverse() else { return nil }
        return WildBootstrapDummyBlock(codes: codes, count: count, inverseGram: inverse)
    }
}
