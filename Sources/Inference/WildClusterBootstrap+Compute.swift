import Foundation
import LinearAlgebra
import Primitives

/// Runs wild cluster bootstrap tests.
public enum WildClusterBootstrap {
    /// Per-replicate summaries kept for test inversion: numerator n0 + r·n1 and squared
    /// denominator α + 2rβ + r²γ (before κ).
    static let summaryWidth = 5

    /// Tests H0: R′β = r and builds the confidence set.
    public static func test(_ problem: WildBootstrapProblem, settings: WildBootstrapSettings) throws(BootstrapError) -> WildBootstrapResult {
        guard settings.replicates >= 1 else { throw BootstrapError("the bootstrap needs at least one replicate, got \(settings.replicates)") }
        guard problem.bootstrapClusters.levelCount >= 2 else {
            throw BootstrapError("the wild cluster bootstrap needs at least 2 bootstrap clusters, '\(problem.bootstrapClusters.name)' has \(problem.bootstrapClusters.levelCount)")
        }
        guard problem.covarianceClusters.levelCount >= 2 else {
            throw BootstrapError("the wild cluster bootstrap needs at least 2 clusters, '\(problem.covarianceClusters.name)' has \(problem.covarianceClusters.levelCount)")
        }
        let bootstrapCount = problem.bootstrapClusters.levelCount
        let enumerate = settings.weights == .rademacher && bootstrapCount < 31 && (1 << bootstrapCount) <= settings.replicates
        let replicates = enumerate ? 1 << bootstrapCount : settings.replicates
        // Per replicate: its summaries, their copies as columns for the inversion, and its t.
        try BootstrapMemory.check(BootstrapMemory.bytes(replicates: replicates, doublesPerReplicate: 2 * summaryWidth + 1),
                                  for: "the wild bootstrap's \(replicates) replicates", replicates: settings.replicates)
        let pieces: Pieces
        do { pieces = try Pieces(problem, imposeNull: settings.imposeNull) } catch { throw BootstrapError("bootstrap set-up failed: \(error)") }
        if let announce = settings.announce {
            let seconds = estimatedSeconds(pieces: pieces, replicates: replicates, enumerate: enumerate, settings: settings,
                                           kappa: problem.smallSampleFactor, value: problem.value)
            if let warning = longRunWarning(seconds: seconds, replicates: replicates, clusters: bootstrapCount, settings: settings) {
                announce(warning)
            }
        }
        let runner = ReplicateRunner(threads: settings.threads, chunkSize: pilotReplicates, showsProgress: true)
        let seed = settings.seed
        let weights = settings.weights
        let summaries = runner.run(count: replicates, width: summaryWidth, makeState: { ReplicateScratch() }) { range, output, scratch in
            pieces.replicates(range, enumerate: enumerate, seed: seed, weights: weights, output: output, scratch: &scratch)
        }
        let inversion = Inversion(pieces: pieces, summaries: summaries, replicates: replicates, type: settings.pValueType,
                                  imposeNull: settings.imposeNull, kappa: problem.smallSampleFactor)
        let pValue = inversion.pValue(at: problem.value)
        let (low, high) = inversion.confidenceSet(level: settings.confidenceLevel)
        return WildBootstrapResult(statistic: inversion.sampleStatistic(at: problem.value), pValue: pValue,
                                   confidenceLow: low, confidenceHigh: high, replicates: replicates, fullEnumeration: enumerate,
                                   bootstrapStatistics: (0..<replicates).map { inversion.bootstrapStatistic($0, at: problem.value) })
    }

    /// The per-cluster quantities of the fast algorithm (see the file header), each split into
    /// the part that does not depend on r and the part proportional to r.
    struct Pieces: Sendable {
        let k: Int
        let bootstrapCount: Int, covarianceCount: Int
        let s0: [Double], s1: [Double]            // per bootstrap cluster
        let projection: Matrix                    // 2k × G: A(0) above A(1)
        let w: Matrix                             // k × H
        let sparse: [(h: Int32, g: Int32, v0: Double, v1: Double)]?   // S when the clusterings differ
        let sampleScores: [Double]                // c′X_h′û_h per covariance cluster
        let estimate: Double                      // R′β̂

        init(_ problem: WildBootstrapProblem, imposeNull: Bool) throws {
            let design = problem.design
            let rows = design.rows
            let block = problem.dummyBlock
            let dummyCount = block?.count ?? 0
            // The dummy block (if any) stacks under the regressors' rows of A and W.
            k = design.columns + dummyCount
            let c = try problem.bread.times(problem.restriction)
            let sigma = zip(problem.restriction, c).reduce(0) { $0 + $1.0 * $1.1 }
            guard sigma > 0 else { throw BootstrapError("the restriction has zero variance") }
            estimate = zip(problem.restriction, problem.coefficients).reduce(0) { $0 + $1.0 * $1.1 }
            // WCR: ũ(r) = û + x̃′c (R′β̂ − r)/σ, i.e. ũ(0) + r·ũ(1); WCU: ũ = û. Both are formed
            // row by row in the pass below rather than stored.
            let shift0 = imposeNull ? estimate / sigma : 0, shift1 = imposeNull ? -1 / sigma : 0
            let boot = problem.bootstrapClusters, cov = problem.covarianceClusters
            bootstrapCount = boot.levelCount
            covarianceCount = cov.levelCount
            var s0 = [Double](repeating: 0, count: boot.levelCount), s1 = s0
            var xu0 = Matrix(rows: design.columns, columns: boot.levelCount), xu1 = xu0
            var w = Matrix(rows: k, columns: cov.levelCount)
            var e0 = Matrix(rows: dummyCount, columns: boot.levelCount), e1 = e0
            var scores = [Double](repeating: 0, count: cov.levelCount)
            let sameClusters = boot.codes == cov.codes
            var cells = [Int64: (Double, Double)]()
            // One pass over the rows with raw buffers: this loop is the set-up's only O(N·k) work.
            let width = design.columns
            let total = width + dummyCount
            let rowBuffers = RowBuffers(x: design.values, residuals: problem.residuals,
                                        bootCodes: boot.codes, covCodes: cov.codes, dummyCodes: block?.codes)
            rowBuffers.read { x, residuals, bootCodes, covCodes, dummyCodes in
                c.withUnsafeBufferPointer { c in
                s0.withUnsafeMutableBufferPointer { s0 in
                s1.withUnsafeMutableBufferPointer { s1 in
                scores.withUnsafeMutableBufferPointer { scores in
                xu0.values.withUnsafeMutableBufferPointer { xu0 in
                xu1.values.withUnsafeMutableBufferPointer { xu1 in
                w.values.withUnsafeMutableBufferPointer { w in
                e0.values.withUnsafeMutableBufferPointer { e0 in
                e1.values.withUnsafeMutableBufferPointer { e1 in
                    for i in 0..<rows {
                        let g = Int(bootCodes[i]), h = Int(covCodes[i])
                        var xc = 0.0
                        for j in 0..<width { xc += x[i &+ j &* rows] * c[j] }
                        let u0 = residuals[i] + xc * shift0, u1 = xc * shift1
                        let score0 = xc * u0, score1 = xc * u1
                        s0[g] += score0
                        s1[g] += score1
                        scores[h] += xc * residuals[i]
                        for j in 0..<width {
                            let value = x[i &+ j &* rows]
                            xu0[j &+ g &* width] += value * u0
                            xu1[j &+ g &* width] += value * u1
                            w[j &+ h &* total] += value * xc
                        }
                        // E_g = Σ_{i∈g} d_i ũ_i and F_h = Σ_{i∈h} d_i (c′x̃_i), by level code.
                        if dummyCount > 0 {
                            let level = Int(dummyCodes[i])
                            if level >= 0 {
                                e0[level &+ g &* dummyCount] += u0
                                e1[level &+ g &* dummyCount] += u1
                                w[width &+ level &+ h &* total] += xc
                            }
                        }
                        if !sameClusters {
                            let key = Int64(h) * Int64(boot.levelCount) + Int64(g)
                            let cell = cells[key] ?? (0, 0)
                            cells[key] = (cell.0 + score0, cell.1 + score1)
                        }
                    }
                }}}}}}}}}
            }
            self.s0 = s0
            self.s1 = s1
            let regressors0 = try problem.bread.multiplied(by: xu0)
            let regressors1 = try problem.bread.multiplied(by: xu1)
            if let block {
                let dummies0 = try block.inverseGram.multiplied(by: e0)
                let dummies1 = try block.inverseGram.multiplied(by: e1)
                projection = Self.stacked([regressors0, dummies0, regressors1, dummies1])
            } else {
                projection = Self.stacked([regressors0, regressors1])
            }
            self.w = w
            sampleScores = scores
            sparse = sameClusters ? nil : cells.keys.sorted().map { key in
                let cell = cells[key] ?? (0, 0)
                return (h: Int32(key / Int64(boot.levelCount)), g: Int32(key % Int64(boot.levelCount)), v0: cell.0, v1: cell.1)
            }
        }

        /// The per-row inputs of the set-up pass, read through raw buffers.
        struct RowBuffers {
            let x: [Double], residuals: [Double]
            let bootCodes: [Int32], covCodes: [Int32]
            let dummyCodes: [Int32]?

            typealias Doubles = UnsafeBufferPointer<Double>
            typealias Codes = UnsafeBufferPointer<Int32>

            func read(_ body: (Doubles, Doubles, Codes, Codes, Codes) -> Void) {
                x.withUnsafeBufferPointer { x in
                residuals.withUnsafeBufferPointer { residuals in
                bootCodes.withUnsafeBufferPointer { bootCodes in
                covCodes.withUnsafeBufferPointer { covCodes in
                (dummyCodes ?? []).withUnsafeBufferPointer { dummyCodes in
                    body(x, residuals, bootCodes, covCodes, dummyCodes)
                }}}}}
            }
        }

        /// The matrices' rows one above the other (same column count).
        static func stacked(_ blocks: [Matrix]) -> Matrix {
            let columns = blocks.first?.columns ?? 0
            var result = Matrix(rows: blocks.reduce(0) { $0 + $1.rows }, columns: columns)
            for column in 0..<columns {
                var top = 0
                for block in blocks {
                    for row in 0..<block.rows { result[top + row, column] = block[row, column] }
                    top += block.rows
                }
            }
            return result
        }

        /// Fills `output` with the summaries of replicates `range`.
        ///
        /// The chunk's weights form a G × m matrix V; the projections A·V and the scores S·V − Wᵀ(A·V)
        /// are matrix products done by BLAS, then each column gives one replicate's summary. The
        /// chunk boundaries depend only on the replicate count, so results do not depend on the
        /// thread count.
        func replicates(_ range: Range<Int>, enumerate: Bool, seed: UInt64, weights: BootstrapWeights,
                        output: UnsafeMutableBufferPointer<Double>, scratch: inout ReplicateScratch) {
            let m = range.count
            let G = bootstrapCount, H = covarianceCount
            guard m > 0 else { return }
            scratch.resize(weights: G * m, projected: 2 * k * m, scores: 2 * H * m)
            scratch.weights.withUnsafeMutableBufferPointer { weightsOut in
                for (offset, replicate) in range.enumerated() {
                    let column = UnsafeMutableBufferPointer(rebasing: weightsOut[(offset * G)..<((offset + 1) * G)])
                    if enumerate {
                        for g in 0..<G { column[g] = (replicate >> g) & 1 == 1 ? 1 : -1 }
                    } else {
                        var stream = RandomStream(seed: seed, replicate: UInt64(replicate))
                        weights.fill(column, from: &stream)
                    }
                }
            }
            // The rank-k corrections Wᵀ(A·V) by BLAS, both parts at once: P = [A(0); A(1)]·V is
            // 2k × m, which read as k × 2m has the columns of A(0)V and A(1)V alternating, so one
            // more product Wᵀ·P gives H × 2m with replicate j's two corrections in columns 2j, 2j+1.
            // The shapes are fixed by construction, so the products cannot fail.
            scratch.weights.withUnsafeBufferPointer { vv in
                scratch.projected.withUnsafeMutableBufferPointer { projected in
                    scratch.scores.withUnsafeMutableBufferPointer { scores in
                        if k > 0 {
                            try? projection.multiply(by: vv, into: projected)
                            try? w.multiply(by: UnsafeBufferPointer(projected), transposeSelf: true, into: scores)
                        } else {
                            scores.update(repeating: 0)
                        }
                    }
                }
            }
            // Scores q = S·V − correction, in place: S is diagonal when the clusterings agree (then
            // H = G), sparse otherwise.
            scratch.weights.withUnsafeBufferPointer { vv in
                scratch.scores.withUnsafeMutableBufferPointer { q in
                    if let sparse {
                        for index in 0..<q.count { q[index] = -q[index] }
                        for cell in sparse {
                            let h = Int(cell.h), g = Int(cell.g)
                            for offset in 0..<m {
                                q[h + 2 * offset * H] += cell.v0 * vv[g + offset * G]
                                q[h + (2 * offset + 1) * H] += cell.v1 * vv[g + offset * G]
                            }
                        }
                    } else {
                        s0.withUnsafeBufferPointer { s0 in
                            s1.withUnsafeBufferPointer { s1 in
                                for offset in 0..<m {
                                    let first = 2 * offset * H, second = first + H, column = offset * G
                                    for h in 0..<H {
                                        q[first + h] = s0[h] * vv[column + h] - q[first + h]
                                        q[second + h] = s1[h] * vv[column + h] - q[second + h]
                                    }
                                }
                            }
                        }
                    }
                }
            }
            scratch.weights.withUnsafeBufferPointer { vv in
                scratch.scores.withUnsafeBufferPointer { q in
                s0.withUnsafeBufferPointer { s0 in
                s1.withUnsafeBufferPointer { s1 in
                    for offset in 0..<m {
                        let column = offset * G
                        // Four partial sums per quantity: floating-point additions are not
                        // reordered by the compiler, so one running sum would make each term wait
                        // for the previous one.
                        var n0Parts = SIMD4<Double>(), n1Parts = SIMD4<Double>()
                        var g = 0
                        while g + 4 <= G {
                            let weights = SIMD4(vv[column + g], vv[column + g + 1], vv[column + g + 2], vv[column + g + 3])
                            n0Parts += SIMD4(s0[g], s0[g + 1], s0[g + 2], s0[g + 3]) * weights
                            n1Parts += SIMD4(s1[g], s1[g + 1], s1[g + 2], s1[g + 3]) * weights
                            g += 4
                        }
                        var n0 = n0Parts.sum(), n1 = n1Parts.sum()
                        while g < G {
                            n0 += s0[g] * vv[column + g]
                            n1 += s1[g] * vv[column + g]
                            g += 1
                        }
                        let first = 2 * offset * H, second = first + H
                        var alphas = SIMD4<Double>(), betas = SIMD4<Double>(), gammas = SIMD4<Double>()
                        var h = 0
                        while h + 4 <= H {
                            let q0 = SIMD4(q[first + h], q[first + h + 1], q[first + h + 2], q[first + h + 3])
                            let q1 = SIMD4(q[second + h], q[second + h + 1], q[second + h + 2], q[second + h + 3])
                            alphas += q0 * q0
                            betas += q0 * q1
                            gammas += q1 * q1
                            h += 4
                        }
                        var alpha = alphas.sum(), beta = betas.sum(), gamma = gammas.sum()
                        while h < H {
                            let q0 = q[first + h], q1 = q[second + h]
                            alpha += q0 * q0
                            beta += q0 * q1
                            gamma += q1 * q1
                            h += 1
                        }
                        let base = offset * WildClusterBootstrap.summaryWidth
                        output[base] = n0
                        output[base + 1] = n1
                        output[base + 2] = alpha
                        output[base + 3] = beta
                        output[base + 4] = gamma
                    }
                }}}
            }
        }
    }
}

/// The buffers one bootstrap worker reuses from chunk to chunk: every entry is overwritten by
/// each chunk before it is read, so nothing carries over.
struct ReplicateScratch {
    /// The chunk's weights V, G × m.
    var weights: [Double] = []
    /// [A(0); A(1)]·V, 2k × m.
    var projected: [Double] = []
    /// The scores of both parts, H × 2m.
    var scores: [Double] = []

    /// Sizes the buffers for a chunk (only the last, shorter chunk changes them).
    mutating func resize(weights weightCount: Int, projected projectedCount: Int, scores scoreCount: Int) {
        if weights.count != weightCount { weights = [Double](repeating: 0, count: weightCount) }
        if projected.count != projectedCount { projected = [Double](repeating: 0, count: projectedCount) }
        if scores.count != scoreCount { scores = [Double](repeating: 0, count: scoreCount) }
    }
}
