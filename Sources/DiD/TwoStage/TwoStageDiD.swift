// Gardner's two-stage difference-in-differences (Gardner 2022, "Two-stage differences in
// differences", arXiv:2207.05943; Butts & Gardner 2022, "did2s: Two-Stage Difference-in-
// Differences", R Journal 14(3)): stage 1 fits unit and period effects (and any `--fe`) on the
// untreated observations only; stage 2 regresses the residualised outcome of every observation on
// the treatment indicators (one for the overall effect, one per horizon for the event study).
//
// Goals, in order:
// 1. Point estimates equal to the imputation estimator's (Borusyak, Jaravel & Spiess 2024 show
//    the two coincide: a stage-2 coefficient is the mean of Y − Ŷ(0) over its treated rows), so
//    they come from the same first stage (ImputationSample, ImputationNormalEquations,
//    ImputationDiD.fitUntreated) and are not computed twice.
// 2. Standard errors as R `did2s` and pyfixest's `did2s` compute them (Gardner 2022, §3.2, the
//    GMM variance of the two stages stacked), clustered by unit unless told otherwise:
//      V = (X₂′X₂)⁻¹ [Σ_g W_g W_g′] (X₂′X₂)⁻¹,
//      W_g = X₂_g′ u₂_g − (X₂′X₁)(X₁₀′X₁₀)⁻¹ X₁₀_g′ u₁_g,
//    X₁ the first stage's fixed-effect dummies on all rows, X₁₀ the same on untreated rows (zero on
//    treated ones), u₁ the first-stage residual, u₂ the second-stage residual; no small-sample
//    factor (did2s applies none). The overall effect and the event study are two stage-2
//    regressions in did2s; their joint covariance here comes from the same per-cluster sums.
//    Checked against pyfixest 0.60's did2s (Tests/Fixtures/staggered).
// 3. Speed: (X₁₀′X₁₀)⁻¹X₁′X₂ is the imputation variance's batched solve of the fixed-effect
//    equations (ImputationDiD+Variance.swift), not a dense inverse.

import LinearAlgebra
import PanelData

/// Gardner's two-stage DiD: imputation's point estimates with did2s's GMM standard errors.
public enum TwoStageDiD {
    /// Estimates the overall average effect on the treated and one per horizon, with did2s's GMM
    /// covariance, and BJS's pre-trend test on the same first stage (ImputationDiD+Pretrend).
    public static func estimate(_ input: ImputationInput) throws -> StaggeredResult {
        try ImputationDiD.estimate(input, denseLevelLimit: ImputationNormalEquations.denseLevelLimit, estimator: .twoStage)
    }

    /// The joint GMM covariance of the horizon averages and, last, the overall average, with the
    /// number of clusters that hold a row used. Treated rows have design X₂ = the indicator of
    /// their horizon (of being treated, for the overall regression); X₂′X₂ is diagonal (the row
    /// counts), so (X₂′X₂)⁻¹W_g is the sum of v·u over the cluster's rows with v = 1/N_j on
    /// treated rows of estimand j and v = −x₁₀(X₁₀′X₁₀)⁻¹X₁′X₂/N_j on untreated ones: the
    /// imputation's weights, with the second-stage residual τ − τ̂_j on treated rows.
    static func gmmCovariance(sample: ImputationSample, equations: ImputationNormalEquations, untreatedResiduals: [Double],
                              effects: [Double], horizons: ImputationHorizons, clusterCount: Int) throws(PanelError)
        -> (covariance: Matrix, clustersUsed: Int)
    {
        let treated = sample.treated
        let k = sample.width
        let horizonCount = horizons.values.count
        let estimandCount = horizonCount + 1
        let treatedTotal = Double(treated.count)
        let weightOfHorizon = horizons.counts.map { 1 / Double($0) }
        // X₁′X₂ / N_j for each horizon, as per-level sums; the overall one is their share-weighted sum.
        var primarySums = [Double](repeating: 0, count: sample.primaryCount * horizonCount)
        var secondarySums = [Double](repeating: 0, count: sample.secondaryCount * horizonCount)
        var horizonSums = [Double](repeating: 0, count: horizonCount)
        for row in 0..<treated.count {
            let j = horizons.index[row]
            primarySums[Int(treated.primary[row]) * horizonCount + j] += weightOfHorizon[j]
            for a in 0..<k { secondarySums[Int(treated.secondary[row * k + a]) * horizonCount + j] += weightOfHorizon[j] }
            horizonSums[j] += effects[row]
        }
        let implied = try equations.solve(primarySums: primarySums, secondarySums: secondarySums, count: horizonCount)
        let share = horizons.counts.map { Double($0) / treatedTotal }
        let horizonMeans = zip(horizonSums, horizons.counts).map { $0 / Double($1) }
        let overallMean = horizonSums.reduce(0, +) / treatedTotal

        var scores = [Double](repeating: 0, count: clusterCount * estimandCount)
        var used = [Bool](repeating: false, count: clusterCount)
        var weights = [Double](repeating: 0, count: estimandCount)
        for row in 0..<sample.untreatedOutcome.count {
            let base = Int(sample.untreatedPrimary[row]) * horizonCount
            var overall = 0.0
            for j in 0..<horizonCount {
                var value = implied.primary[base + j]
                for a in 0..<k { value += implied.secondary[Int(sample.untreatedSecondary[row * k + a]) * horizonCount + j] }
                weights[j] = -value
                overall -= share[j] * value
            }
            weights[horizonCount] = overall
            let cluster = Int(sample.untreatedCluster[row])
            used[cluster] = true
            let residual = untreatedResiduals[row]
            for j in 0..<estimandCount { scores[cluster * estimandCount + j] += weights[j] * residual }
        }
        for row in 0..<treated.count {
            let j = horizons.index[row]
            let cluster = Int(treated.cluster[row])
            used[cluster] = true
            scores[cluster * estimandCount + j] += weightOfHorizon[j] * (effects[row] - horizonMeans[j])
            scores[cluster * estimandCount + horizonCount] += (effects[row] - overallMean) / treatedTotal
        }
        let covariance = ImputationDiD.clusterScoreCrossProduct(scores, used: used, estimandCount: estimandCount)
        return (covariance, used.reduce(0) { $0 + ($1 ? 1 : 0) })
    }
}
