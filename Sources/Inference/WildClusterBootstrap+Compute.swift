import Foundation
import LinearAlgebra

/// Runs wild cluster bootstrap tests.
public enum WildClusterBootstrap {
    /// Per-replicate summaries kept for test inversion: numerator n0 + r·n1 and squared
    /// denominator α + 2rβ + r²γ (before κ).
    static let summaryWidth = 5

    /// Tests H0: R′β = r and builds the confidence set.
    public static func test(_ problem: WildBootstrapProblem, settings: WildBootstrapSettings) throws(BootstrapError) -> WildBootstrapResult {
        guard settings.replicates >= 1 else { throw BootstrapError("the bootstrap needs at least one replicate, got \(settings.replicates)") }
        guard problem.bootstrapClusters.count >= 2 else {
            throw BootstrapError("the wild cluster bootstrap needs at least 2 bootstrap clusters, '\(problem.bootstrapClusters.name)' has \(problem.bootstrapClusters.count)")
        }
        guard problem.covarianceClusters.count >= 2 else {
            throw BootstrapError("the wild cluster bootstrap needs at least 2 clusters, '\(problem.covarianceClusters.name)' has \(problem.covarianceClusters.count)")
        }
        let pieces: Pieces
        do { pieces = try Pieces(problem, imposeNull: settings.imposeNull) } catch { throw BootstrapError("bootstrap set-up failed: \(error)") }
        let bootstrapCount = problem.bootstrapClusters.count
        let enumerate = settings.weights == .rademacher && bootstrapCount < 31 && (1 << bootstrapCount) <= settings.replicates
        let replicates = enumerate ? 1 << bootstrapCount : settings.replicates
        let runner = ReplicateRunner(threads: settings.threads, chunkSize: 1024, showsProgress: true)
        let seed = settings.seed
        let weights = settings.weights
        let summaries = runner.run(count: replicates, width: summaryWidth) { range, output in
            pieces.replicates(range, enumerate: enumerate, seed: seed, weights: weights, output: output)
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
        let a0: Matrix, a1: Matrix                // k × G
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
            let xc = try design.times(c)
            // WCR: ũ(r) = û + X̃c(R′β̂ − r)/σ; WCU: û.
            var u0 = problem.residuals
            var u1 = [Double](repeating: 0, count: rows)
            if imposeNull {
                for i in 0..<rows {
                    u0[i] += xc[i] * estimate / sigma
                    u1[i] = -xc[i] / sigma
                }
            }
            let boot = problem.bootstrapClusters, cov = problem.covarianceClusters
            bootstrapCount = boot.count
            covarianceCount = cov.count
            var s0 = [Double](repeating: 0, count: boot.count), s1 = s0
            var xu0 = Matrix(rows: design.columns, columns: boot.count), xu1 = xu0
            var w = Matrix(rows: k, columns: cov.count)
            var e0 = Matrix(rows: dummyCount, columns: boot.count), e1 = e0
            var scores = [Double](repeating: 0, count: cov.count)
            let sameClusters = boot.codes == cov.codes
            var cells = [Int64: (Double, Double)]()
            // One pass over the rows with raw buffers: this loop is the set-up's only O(N·k) work.
            let width = design.columns
            let total = width + dummyCount
            design.values.withUnsafeBufferPointer { x in
                boot.codes.withUnsafeBufferPointer { bootCodes in
                    cov.codes.withUnsafeBufferPointer { covCodes in
                        xu0.values.withUnsafeMutableBufferPointer { xu0 in
                            xu1.values.withUnsafeMutableBufferPointer { xu1 in
                                w.values.withUnsafeMutableBufferPointer { w in
                                    for i in 0..<rows {
                                        let g = Int(bootCodes[i]), h = Int(covCodes[i])
                                        let score0 = xc[i] * u0[i], score1 = xc[i] * u1[i]
                                        s0[g] += score0
                                        s1[g] += score1
                                        scores[h] += xc[i] * problem.residuals[i]
                                        for j in 0..<width {
                                            let value = x[i + j * rows]
                                            xu0[j + g * width] += value * u0[i]
                                            xu1[j + g * width] += value * u1[i]
                                            w[j + h * total] += value * xc[i]
                                        }
                                        if !sameClusters {
                                            let key = Int64(h) * Int64(boot.count) + Int64(g)
                                            let cell = cells[key] ?? (0, 0)
                                            cells[key] = (cell.0 + score0, cell.1 + score1)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if let block {
                // E_g = Σ_{i∈g} d_i ũ_i and F_h = Σ_{i∈h} d_i (c′x̃_i), by level code.
                for i in 0..<rows {
                    let level = Int(block.codes[i])
                    guard level >= 0 else { continue }
                    let g = Int(boot.codes[i]), h = Int(cov.codes[i])
                    e0[level, g] += u0[i]
                    e1[level, g] += u1[i]
                    w[width + level, h] += xc[i]
                }
            }
            self.s0 = s0
            self.s1 = s1
            let regressors0 = try problem.bread.multiplied(by: xu0)
            let regressors1 = try problem.bread.multiplied(by: xu1)
            if let block {
                let dummies0 = try block.inverseGram.multiplied(by: e0)
                let dummies1 = try block.inverseGram.multiplied(by: e1)
                a0 = Self.stacked(regressors0, dummies0)
                a1 = Self.stacked(regressors1, dummies1)
            } else {
                a0 = regressors0
                a1 = regressors1
            }
            self.w = w
            sampleScores = scores
            sparse = sameClusters ? nil : cells.keys.sorted().map { key in
                let cell = cells[key] ?? (0, 0)
                return (h: Int32(key / Int64(boot.count)), g: Int32(key % Int64(boot.count)), v0: cell.0, v1: cell.1)
            }
        }

        /// The rows of `top` above the rows of `bottom` (same column count).
        static func stacked(_ top: Matrix, _ bottom: Matrix) -> Matrix {
            var result = Matrix(rows: top.rows + bottom.rows, columns: top.columns)
            for column in 0..<top.columns {
                for row in 0..<top.rows { result[row, column] = top[row, column] }
                for row in 0..<bottom.rows { result[top.rows + row, column] = bottom[row, column] }
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
                        output: UnsafeMutableBufferPointer<Double>) {
            let m = range.count
            let G = bootstrapCount, H = covarianceCount
            guard m > 0 else { return }
            var v = Matrix(rows: G, columns: m)
            v.values.withUnsafeMutableBufferPointer { weightsOut in
                for (offset, replicate) in range.enumerated() {
                    let column = offset * G
                    if enumerate {
                        for g in 0..<G { weightsOut[column + g] = (replicate >> g) & 1 == 1 ? 1 : -1 }
                    } else {
                        var stream = RandomStream(seed: seed, replicate: UInt64(replicate))
                        for g in 0..<G { weightsOut[column + g] = weights.draw(&stream) }
                    }
                }
            }
            // The rank-k corrections Wᵀ(A·V), by BLAS: (H × k)(k × G)(G × m).
            var correction0 = Matrix(rows: H, columns: m), correction1 = correction0
            if k > 0, let projected0 = try? a0.multiplied(by: v), let projected1 = try? a1.multiplied(by: v),
               let product0 = try? w.multiplied(by: projected0, transposeSelf: true),
               let product1 = try? w.multiplied(by: projected1, transposeSelf: true) {
                correction0 = product0
                correction1 = product1
            }
            // Sparse S (clusterings that differ): its product with V, also per chunk.
            var sparse0 = [Double](), sparse1 = [Double]()
            if let sparse {
                sparse0 = [Double](repeating: 0, count: H * m)
                sparse1 = sparse0
                v.values.withUnsafeBufferPointer { vv in
                    for cell in sparse {
                        let h = Int(cell.h), g = Int(cell.g)
                        for offset in 0..<m {
                            sparse0[h + offset * H] += cell.v0 * vv[g + offset * G]
                            sparse1[h + offset * H] += cell.v1 * vv[g + offset * G]
                        }
                    }
                }
            }
            v.values.withUnsafeBufferPointer { vv in
                correction0.values.withUnsafeBufferPointer { c0 in
                    correction1.values.withUnsafeBufferPointer { c1 in
                        s0.withUnsafeBufferPointer { s0 in
                            s1.withUnsafeBufferPointer { s1 in
                                for offset in 0..<m {
                                    let column = offset * G, scoreColumn = offset * H
                                    var n0 = 0.0, n1 = 0.0
                                    for g in 0..<G {
                                        n0 += s0[g] * vv[column + g]
                                        n1 += s1[g] * vv[column + g]
                                    }
                                    var alpha = 0.0, beta = 0.0, gamma = 0.0
                                    for h in 0..<H {
                                        let direct0 = sparse == nil ? s0[h] * vv[column + h] : sparse0[scoreColumn + h]
                                        let direct1 = sparse == nil ? s1[h] * vv[column + h] : sparse1[scoreColumn + h]
                                        let q0 = direct0 - c0[scoreColumn + h]
                                        let q1 = direct1 - c1[scoreColumn + h]
                                        alpha += q0 * q0
                                        beta += q0 * q1
                                        gamma += q1 * q1
                                    }
                                    let base = offset * WildClusterBootstrap.summaryWidth
                                    output[base] = n0
                                    output[base + 1] = n1
                                    output[base + 2] = alpha
                                    output[base + 3] = beta
                                    output[base + 4] = gamma
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
