// A coefficient's cluster-robust variance as a sum over observations, for a bootstrap that must
// draw the same cluster weights for several estimators at once (Inference/UnitInfluence.swift).
//
// The one-way CRV1 sandwich of `CovarianceEstimator.clustered` is
// V = c · B (Σ_g S_gᵀ S_g) B with S_g = Σ_{i∈g} x̃ᵢ wᵢ ûᵢ (least squares: √W·X̃ times √W·û; Poisson:
// the scores x̃ᵢ(yᵢ − μᵢ) as the same product) and B the bread, so coefficient k has
// Vₖₖ = c · Σ_g (Σ_{i∈g} ψᵢ)² with ψᵢ = Σ_l B_kl x̃ᵢₗ wᵢ ûᵢ and c = (G/(G − 1))·((N − 1)/(N − K)),
// K with fixed effects nested in the clusters left out (fixest's `ssc()` defaults, as
// `FittedCovariance`). Two-way clustering has no such sum of squares, so it gets none.

import Inference

extension FittedModelCore {
    /// The contributions of coefficient `index` to its one-way clustered variance under `type`
    /// and `correction`, each tied to its source row (`sourceRows`); nil unless `type` clusters by
    /// exactly one variable carried into the fit.
    public func clusterInfluence(coefficient index: Int, covariance type: CovarianceType,
                                 correction: SmallSampleCorrection = .fixestDefault) -> UnitInfluence? {
        guard case let .cluster(names) = type, names.count == 1, coefficients.indices.contains(index),
              let clusters = try? FittedCovariance.selectedClusters(names, from: clusterVariables) else { return nil }
        let fit = covarianceFit()
        let parameters = FittedCovariance.parameterCount(of: fit, nestedIn: clusters)
        let factor = correction.parameterFactor(observations: sample.rowsUsed, parameters: parameters)
            * correction.clusterFactor(clusters: clusters[0].levelCount)
        let rows = weightedDesign.rows
        var values = [Double](repeating: 0, count: rows)
        for column in 0..<weightedDesign.columns {
            let weight = bread[index, column]
            guard weight != 0 else { continue }
            let offset = column * rows
            for row in 0..<rows { values[row] += weight * weightedDesign.values[offset + row] }
        }
        for row in 0..<rows { values[row] *= weightedResiduals[row] }
        return UnitInfluence(rows: sourceRows, values: values, varianceFactor: factor)
    }
}
