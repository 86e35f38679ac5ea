import Formula
import Inference
import LinearAlgebra

/// A fitted (fixed-effects) least-squares model: the shared `FittedModelCore` (estimates, bread,
/// weighted demeaned design and residuals, sample) plus least squares' own fit statistics, so
/// that covariance estimators can be chosen after the fit.
public struct LinearModelFit: FittedRegression {
    /// The part every fitted regression shares.
    public let core: FittedModelCore
    /// The column-scaled triangular factor behind `bread`, for accurate sandwiches.
    public let scaledFactor: ScaledTriangularFactor
    /// R², adjusted R² and within R² (nil without fixed effects).
    public let r2: Double, adjustedR2: Double, withinR2: Double?
    /// Sum of squared (weighted) residuals.
    public let residualSumOfSquares: Double
    /// Root mean squared error √(SSR/N).
    public var rmse: Double { (residualSumOfSquares / Double(observationCount)).squareRoot() }
    /// How the normal equations were solved, and the fixed-effect sweeps used.
    public let method: LeastSquaresMethod, absorptionIterations: Int
    /// Which stage finished absorbing the fixed effects ("alternating projections", or conjugate
    /// gradient with its preconditioner); nil without fixed effects.
    public let absorptionStage: String?

    /// The covariance matrix of the estimates by the chosen estimator.
    public func covariance(_ type: CovarianceType, correction: SmallSampleCorrection = .fixestDefault)
        throws(EstimationError) -> CovarianceEstimate
    {
        try FittedCovariance.estimate(type, of: covarianceFit, correction: correction) { estimator, input in estimator.iid(input) }
    }

    /// What the shared covariance step needs of this fit.
    var covarianceFit: FittedCovariance.Fit { core.covarianceFit(scaledFactor: scaledFactor) }
}
