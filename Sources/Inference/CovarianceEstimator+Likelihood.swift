// The model-based ("iid") covariance of a maximum-likelihood fit whose variance function is
// known, such as Poisson: the inverse Hessian, with no estimated dispersion.
//
// Goal: agreement with pyfixest 0.60, which follows fixest 0.13 here. In pyfixest
// (estimation/models/fepois_.py) `Fepois._vcov_iid` returns the bread (X̃ᵀWX̃)⁻¹ itself, with W the
// IRLS working weights of the last iteration, and `utils.get_ssc` then multiplies every estimator,
// iid included, by (N − 1)/(N − K) (hetero: N/(N − K)). Checked against pyfixest's numbers in
// Tests/Fixtures/fepois; fixest itself was not run here. The robust estimators
// need nothing new: the usual sandwich with √W·X̃ as the design and √W times the working residuals
// as residuals has scores x̃ᵢ·wᵢ(yᵢ − μᵢ)/μᵢ = x̃ᵢ(yᵢ − μᵢ) (times the user weight).

import LinearAlgebra

extension CovarianceEstimator {
    /// The inverse-Hessian covariance (X̃ᵀWX̃)⁻¹ times (N − 1)/(N − K), without an s² factor: the
    /// likelihood fixes the variance (Poisson: Var(y) = μ).
    public func inverseHessian(_ input: CovarianceInput) -> CovarianceEstimate {
        let factor = correction.parameterFactor(observations: input.observationCount, parameters: input.parameterCount)
        let estimate = CovarianceEstimate(type: .iid, matrix: factor * input.bread,
                                          degreesOfFreedom: Double(input.observationCount - input.parameterCount),
                                          clusterCounts: [], notes: [])
        return Self.checked(estimate, input: input)
    }
}
