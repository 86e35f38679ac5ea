import Inference
import LinearAlgebra

/// A fitted Poisson pseudo-maximum-likelihood model: estimates plus what inference needs (the
/// inverse Hessian, and the weighted design and working residuals of the last IRLS step), so that
/// the covariance estimator can be chosen after the fit.
public struct PoissonModelFit: Sendable {
    /// The formula text.
    public let formula: String
    /// The outcome's name.
    public let responseName: String
    /// Names of the estimated coefficients.
    public let coefficientNames: [String]
    /// Regressors without an estimate, in design order: absorbed by the fixed effects or collinear.
    public let collinearNames: [String]
    /// The regressors among `collinearNames` the fixed effects absorb.
    public let absorbedNames: [String]
    /// The estimates (on the log scale: 100·b is roughly a percentage effect).
    public let coefficients: [Double]
    /// (X̃ᵀWX̃)⁻¹ with W the working weights μ (times user weights) at convergence.
    public let bread: Matrix
    /// √W · X̃.
    public let weightedDesign: Matrix
    /// √W · (z̃ − X̃β), whose products with √W·X̃ are the scores x̃ᵢ(yᵢ − μᵢ).
    public let weightedResiduals: [Double]
    /// Observations used.
    public let observationCount: Int
    /// Rows read from the data.
    public let rowsRead: Int
    /// Rows the frame dropped: missing values, singletons, zero weights.
    public let droppedMissing: Int, droppedSingletons: Int, droppedZeroWeight: Int
    /// Rows the frame dropped for non-finite values and undefined transformations.
    public let droppedNonFinite: Int, droppedUndefinedTransforms: [(reason: String, rows: Int)]
    /// Rows in fixed-effect groups whose outcome is zero throughout.
    public let droppedAllZeroGroups: Int
    /// Rows dropped as separated, and the regressors that separate them.
    public let droppedSeparated: Int, separatingRegressors: [String]
    /// The fixed effects absorbed, over the final sample.
    public let fixedEffects: [Factor]
    /// Cluster variables over the final sample.
    public let clusterVariables: [ClusterVariable]
    /// Whether the model has an intercept (explicit, or in the fixed effects).
    public let hasIntercept: Bool
    /// Whether observation weights were used.
    public let isWeighted: Bool
    /// Fixed-effect coefficients counted once each: Σ levels − redundant.
    public let fixedEffectParameters: Int
    /// The fixed-effect levels the data cannot identify (`FixedEffectRedundancy`).
    public let redundantFixedEffects: Int
    /// Deviance of the fit and of the constant-only model.
    public let deviance: Double, nullDeviance: Double
    /// Log-likelihood of the fit and of the constant-only model (with the log y! term, as fixest).
    public let logLikelihood: Double, nullLogLikelihood: Double
    /// IRLS iterations, and fixed-effect sweeps summed over them.
    public let iterations: Int, absorptionSweeps: Int
    /// Why the separation check stopped without an answer, when it did: the model was then fitted
    /// without it (as `--separation none`) and nothing was dropped as separated.
    public let separationUnchecked: String?
    /// What the design needs a reader to know, one sentence each (`ModelFrame.designNotes`).
    public internal(set) var designNotes: [String] = []

    /// K: the estimated slopes plus the fixed-effect coefficients.
    public var parameterCount: Int { coefficients.count + fixedEffectParameters }

    /// The note for a separation check that stopped without an answer, naming what was not checked.
    public var separationUncheckedNote: String? {
        separationUnchecked.map { reason in
            "separation not checked: the rectifier check stopped without an answer (\(reason)), so the model was fitted without it, as with --separation none; only fixed-effect groups whose outcome is all zero were dropped, and rows where a combination of the regressors and fixed effects predicts y = 0 perfectly were not looked for"
        }
    }

    /// McFadden's pseudo R², 1 − ℓ/ℓ₀ with ℓ₀ the constant-only model: fixest's `pr2` and
    /// pyfixest's `_pseudo_r2`.
    public var pseudoR2: Double { 1 - logLikelihood / nullLogLikelihood }

    /// The covariance matrix of the estimates: iid is the inverse Hessian, hetero and cluster the
    /// sandwiches on the scores, all with fixest's small-sample factors.
    public func covariance(_ type: CovarianceType, correction: SmallSampleCorrection = .fixestDefault)
        throws(EstimationError) -> CovarianceEstimate
    {
        try FittedCovariance.estimate(type, of: covarianceFit, correction: correction) { estimator, input in estimator.inverseHessian(input) }
    }

    /// What the shared covariance step needs of this fit.
    var covarianceFit: FittedCovariance.Fit {
        FittedCovariance.Fit(
            input: CovarianceInput(bread: bread, weightedDesign: weightedDesign, weightedResiduals: weightedResiduals,
                                   observationCount: observationCount, parameterCount: parameterCount),
            clusterVariables: clusterVariables, fixedEffects: fixedEffects, coefficientCount: coefficients.count)
    }

    /// K for clustered estimators: fixed effects nested in a cluster variable add only their shared
    /// intercept (fixest's `fixef.K = "nested"`; `FittedCovariance.parameterCount`).
    func parameterCount(nestedIn clusters: [ClusterVariable]) -> Int {
        FittedCovariance.parameterCount(of: covarianceFit, nestedIn: clusters)
    }
}
