// The conservative clustered variance of the imputation estimator (Borusyak, Jaravel & Spiess
// 2024, REStud, Theorem 3), with Stata did_imputation's default choices.
//
// Goals, in order:
// 1. Agreement with the peers (diff-diff's ImputationDiD and a dense numpy BJS in
//    Tests/Fixtures/staggered): an estimand Σ w_it τ_it puts weight v = w on the treated rows and
//    v₀ = −Z₀(Z₀′Z₀)⁻Z₁′w₁ on the untreated ones (Theorem 1); the variance is
//    Σ_clusters (Σ_rows v ε̃)², where ε̃ is the fit's residual on untreated rows and τ − τ̄ on treated
//    ones, τ̄ the v²-weighted mean of τ in the row's cohort × horizon cell (did_imputation's default
//    `avgeffectsby`); no small-sample factor; tests use t(G − 1) (FewClusters). The covariance of two estimands
//    comes from the same per-cluster sums, so the matrix is their joint covariance.
// 2. Speed: every horizon's v₀ from one batched solve of the fixed-effect equations (the overall
//    average's is their count-weighted sum, by linearity), and one pass over each kind of row.
// 3. Panels with gaps (issue 21): τ̄ leaves out the row's own cluster, as Stata did_imputation's
//    `leaveout` option does (BJS 2024, §4.3: with few rows per cell the in-sample τ̄ absorbs part
//    of the treated rows' noise and the variance is too small). A cohort × horizon cell then often
//    holds 1–4 units (the Peru panel's PUM cohorts of 4–10 firms, about half of them with
//    temporary workers in a year): the in-sample τ̄ gave a mean SE of 0.034 against a spread of
//    0.046 over 40 simulated panels. With one row per unit and cell, τ − τ̄₍₋ᵢ₎ = (τ − τ̄)·m/(m − 1),
//    the HC3 (jackknife) scaling of a cell of m units; see CallawaySantAnna+LeaveOut.swift for
//    why that is unbiased for the covariances of cells that share only some units. A cell with
//    one cluster has no leave-out mean: its residual stays 0, as without the option. Balanced
//    panels keep the peers' in-sample τ̄ (diff-diff's ImputationDiD, did_imputation's default).

import LinearAlgebra
import PanelData

extension ImputationDiD {
    /// The joint covariance of the horizon averages and, last, the overall average, with the
    /// number of clusters that hold a row used.
    static func conservativeCovariance(sample: ImputationSample, equations: ImputationNormalEquations,
                                       untreatedResiduals: [Double], effects: [Double], horizons: ImputationHorizons,
                                       clusterCount: Int, leaveOut: Bool) throws(PanelError) -> (covariance: Matrix, clustersUsed: Int)
    {
        let treated = sample.treated
        let k = sample.width
        let horizonCount = horizons.values.count
        let estimandCount = horizonCount + 1
        let treatedTotal = Double(treated.count)
        let weightOfHorizon = horizons.counts.map { 1 / Double($0) }
        // Z₁′w₁ for each horizon's estimand: per-level sums of the weights 1/N_h.
        var primarySums = [Double](repeating: 0, count: sample.primaryCount * horizonCount)
        var secondarySums = [Double](repeating: 0, count: sample.secondaryCount * horizonCount)
        for row in 0..<treated.count {
            let j = horizons.index[row]
            let weight = weightOfHorizon[j]
            primarySums[Int(treated.primary[row]) * horizonCount + j] += weight
            for a in 0..<k { secondarySums[Int(treated.secondary[row * k + a]) * horizonCount + j] += weight }
        }
        let implied = try equations.solve(primarySums: primarySums, secondarySums: secondarySums, count: horizonCount)
        // The overall average is Σ_h (N_h/N₁) × horizon h's average, so are its weights.
        let share = horizons.counts.map { Double($0) / treatedTotal }

        // τ̄ per cohort × horizon cell. Every estimand here weights the rows of a cell equally,
        // so the v²-weighted mean of Theorem 3 is the cell's plain mean.
        let cellCount = max(sample.cohortValues.count, 1) * horizonCount
        var cellSums = [Double](repeating: 0, count: cellCount)
        var cellSizes = [Double](repeating: 0, count: cellCount)
        for row in 0..<treated.count {
            let cell = Int(treated.cohort[row]) * horizonCount + horizons.index[row]
            cellSums[cell] += effects[row]
            cellSizes[cell] += 1
        }

        // With `leaveOut`, each row's own cluster's sum and count in its cell, to take them out.
        var ownSums = [Double](repeating: 0, count: leaveOut ? treated.count : 0)
        var ownSizes = [Double](repeating: 0, count: leaveOut ? treated.count : 0)
        if leaveOut {
            let key = { (row: Int) in Int(treated.cluster[row]) * cellCount + Int(treated.cohort[row]) * horizonCount + horizons.index[row] }
            let order = (0..<treated.count).sorted { key($0) < key($1) }
            var start = 0
            while start < order.count {
                var end = start
                var sum = 0.0
                while end < order.count && key(order[end]) == key(order[start]) { sum += effects[order[end]]; end += 1 }
                for position in start..<end { ownSums[order[position]] = sum; ownSizes[order[position]] = Double(end - start) }
                start = end
            }
        }

        var scores = [Double](repeating: 0, count: clusterCount * estimandCount)
        var used = [Bool](repeating: false, count: clusterCount)
        var weights = [Double](repeating: 0, count: estimandCount)
        scores.withUnsafeMutableBufferPointer { scores in
            implied.primary.withUnsafeBufferPointer { primary in
                implied.secondary.withUnsafeBufferPointer { secondary in
                    for row in 0..<sample.untreatedOutcome.count {
                        let base = Int(sample.untreatedPrimary[row]) * horizonCount
                        var overall = 0.0
                        for j in 0..<horizonCount {
                            var value = primary[base + j]
                            for a in 0..<k { value += secondary[Int(sample.untreatedSecondary[row * k + a]) * horizonCount + j] }
                            weights[j] = -value
                            overall -= share[j] * value
                        }
                        weights[horizonCount] = overall
                        let cluster = Int(sample.untreatedCluster[row])
                        used[cluster] = true
                        let residual = untreatedResiduals[row]
                        for j in 0..<estimandCount { scores[cluster * estimandCount + j] += weights[j] * residual }
                    }
                }
            }
            for row in 0..<treated.count {
                let j = horizons.index[row]
                let cell = Int(treated.cohort[row]) * horizonCount + j
                var mean = cellSums[cell] / cellSizes[cell]
                if leaveOut && cellSizes[cell] > ownSizes[row] {
                    mean = (cellSums[cell] - ownSums[row]) / (cellSizes[cell] - ownSizes[row])
                }
                let residual = effects[row] - mean
                let cluster = Int(treated.cluster[row])
                used[cluster] = true
                scores[cluster * estimandCount + j] += weightOfHorizon[j] * residual
                scores[cluster * estimandCount + horizonCount] += residual / treatedTotal
            }
        }
        let covariance = clusterScoreCrossProduct(scores, used: used, estimandCount: estimandCount)
        return (covariance, used.reduce(0) { $0 + ($1 ? 1 : 0) })
    }

    /// Σ_c s_c s_cᵀ over the clusters that hold an observation, `scores` laid out cluster by
    /// cluster (`estimandCount` per cluster): the one-way cluster-robust middle of both the linear
    /// and the Poisson imputation's variance (zero scores skipped, as most clusters touch few
    /// estimands).
    static func clusterScoreCrossProduct(_ scores: [Double], used: [Bool], estimandCount: Int) -> Matrix {
        var covariance = Matrix(rows: estimandCount, columns: estimandCount)
        for cluster in used.indices where used[cluster] {
            let base = cluster * estimandCount
            for a in 0..<estimandCount {
                let left = scores[base + a]
                if left == 0 { continue }
                for b in a..<estimandCount { covariance[a, b] += left * scores[base + b] }
            }
        }
        covariance.symmetrizeFromUpper()
        return covariance
    }
}
