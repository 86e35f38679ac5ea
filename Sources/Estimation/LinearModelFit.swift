import Formula
import Inference
import LinearAlgebra

/// A fitted (fixed-effects) least-squares model: estimates plus everything inference needs
/// (bread, weighted demeaned design, weighted residuals, degrees of freedom), so that covariance
/// estimators can be chosen after the fit.
public struct LinearModelFit: Sendable {
    /// The formula text.
    public let formula: String
    /// The response's name.
    public let responseName: String
    /// Names of the estimated coefficients.
    public let coefficientNames: [String]
    /// Names of the regressors dropped, in design order: those absorbed by the fixed effects and
    /// those collinear with earlier regressors (together, fixest's `collin.var`).
    public let collinearNames: [String]
    /// The regressors among `collinearNames` that the fixed effects absorb (they do not vary within
    /// them), so that messages can say why a term has no estimate.
    public let absorbedNames: [String]
    /// The estimates.
    public let coefficients: [Double]
    /// (X̃ᵀWX̃)⁻¹ over the estimated coefficients.
    public let bread: Matrix
    /// The column-scaled triangular factor behind `bread`, for accurate sandwiches.
    public let scaledFactor: ScaledTriangularFactor
    /// √w · X̃ over the estimated coefficients.
    public let weightedDesign: Matrix
    /// √w · û.
    public let weightedResiduals: [Double]
    /// Observations used.
    public let observationCount: Int
    /// Rows read from the data.
    public let rowsRead: Int
    /// Rows dropped for missing values, singletons and zero weights.
    public let droppedMissing: Int, droppedSingletons: Int, droppedZeroWeight: Int
    /// Rows dropped for non-finite values, and for undefined transformations by reason.
    public let droppedNonFinite: Int, droppedUndefinedTransforms: [(reason: String, rows: Int)]
    /// The fixed effects absorbed.
    public let fixedEffects: [Factor]
    /// Cluster variables carried from the data.
    public let clusterVariables: [ClusterVariable]
    /// Whether the model has an intercept (explicit, or absorbed in fixed effects).
    public let hasIntercept: Bool
    /// Whether observation weights were used.
    public let isWeighted: Bool
    /// Coefficients absorbed by the fixed effects, counted once each: Σ levels − redundant.
    public let fixedEffectParameters: Int
    /// The fixed-effect levels the data cannot identify (`FixedEffectRedundancy`): the connected
    /// components of the first two fixed effects' graph, plus one per further fixed effect.
    public let redundantFixedEffects: Int
    /// R², adjusted R² and within R² (nil without fixed effects).
    public let r2: Double, adjustedR2: Double, withinR2: Double?
    /// Sum of squared (weighted) residuals.
    public let residualSumOfSquares: Double
    /// Root mean squared error √(SSR/N).
    public var rmse: Double { (residualSumOfSquares / Double(observationCount)).squareRoot() }
    /// How the normal equations were solved, and the fixed-effect sweeps used.
    public let method: LeastSquaresMethod, absorptionIterations: Int
    /// What the design needs a reader to know, one sentence each: the reference levels chosen for
    /// `i()` terms written without `ref`, and columns a term repeats from an earlier one.
    public internal(set) var designNotes: [String] = []
    /// Which stage finished absorbing the fixed effects ("alternating projections", or conjugate
    /// gradient with its preconditioner); nil without fixed effects.
    public internal(set) var absorptionStage: String?

    /// K: the estimated slopes plus the fixed-effect coefficients.
    public var parameterCount: Int { coefficients.count + fixedEffectParameters }

    /// The covariance matrix of the estimates by the chosen estimator.
    public func covariance(_ type: CovarianceType, correction: SmallSampleCorrection = .fixestDefault)
        throws(EstimationError) -> CovarianceEstimate
    {
        try FittedCovariance.estimate(type, of: covarianceFit, correction: correction) { estimator, input in estimator.iid(input) }
    }

    /// What the shared covariance step needs of this fit.
    var covarianceFit: FittedCovariance.Fit {
        FittedCovariance.Fit(
            input: CovarianceInput(bread: bread, weightedDesign: weightedDesign, weightedResiduals: weightedResiduals,
                                   observationCount: observationCount, parameterCount: parameterCount, scaledFactor: scaledFactor),
            clusterVariables: clusterVariables, fixedEffects: fixedEffects, coefficientCount: coefficients.count)
    }

    /// K for clustered estimators: fixed effects nested in a cluster variable add only their shared
    /// intercept (fixest's `fixef.K = "nested"`; `FittedCovariance.parameterCount`).
    func parameterCount(nestedIn clusters: [ClusterVariable]) -> Int {
        FittedCovariance.parameterCount(of: covarianceFit, nestedIn: clusters)
    }
}
