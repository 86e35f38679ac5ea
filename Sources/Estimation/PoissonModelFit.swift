import Inference
import LinearAlgebra
import Primitives

/// A fitted Poisson pseudo-maximum-likelihood model: the shared `FittedModelCore` (its bread the
/// inverse Hessian, its weighted design and residuals those of the last IRLS step) plus what
/// Poisson changes: two more reasons to drop rows, the likelihood, and the IRLS's iterations.
public struct PoissonModelFit: FittedRegression {
    /// The part every fitted regression shares.
    public let core: FittedModelCore
    /// The regressors that separate the rows dropped as separated.
    public let separatingRegressors: [String]
    /// Deviance of the fit and of the constant-only model.
    public let deviance: Double, nullDeviance: Double
    /// Log-likelihood of the fit and of the constant-only model (with the log y! term, as fixest).
    public let logLikelihood: Double, nullLogLikelihood: Double
    /// IRLS iterations, and fixed-effect sweeps summed over them.
    public let iterations: Int, absorptionSweeps: Int
    /// Why the separation check stopped without an answer, when it did: the model was then fitted
    /// without it (as `--separation none`) and nothing was dropped as separated.
    public let separationUnchecked: String?

    /// Rows in fixed-effect groups whose outcome is zero throughout.
    public var droppedAllZeroGroups: Int { core.sample.allZeroGroups }
    /// Rows dropped as separated.
    public var droppedSeparated: Int { core.sample.separated }

    /// What Poisson's separation check found, as diagnostics: the rows dropped as separated and
    /// what separates them, and a check that stopped without an answer.
    public var separationDiagnostics: [Diagnostic] {
        var found = [Diagnostic]()
        if droppedSeparated > 0 {
            let cause = separatingRegressors.isEmpty
                ? "a combination of the fixed effects"
                : "regressor" + (separatingRegressors.count == 1 ? " " : "s ") + separatingRegressors.joined(separator: ", ")
            let verb = separatingRegressors.count > 1 ? "predict" : "predicts"
            let rows = droppedSeparated == 1 ? "1 observation, which was" : "\(droppedSeparated) observations, which were"
            found.append(Diagnostic(.separation, .warning, "separation: \(cause) perfectly \(verb) y = 0 on \(rows) dropped before fitting (as ppmlhdfe does); the estimates exist only without them"))
        }
        if let reason = separationUnchecked {
            found.append(Diagnostic(.separationUnchecked, .warning, "separation not checked: the rectifier check stopped without an answer (\(reason)), so the model was fitted without it, as with --separation none; only fixed-effect groups whose outcome is all zero were dropped, and rows where a combination of the regressors and fixed effects predicts y = 0 perfectly were not looked for"))
        }
        return found
    }

    /// McFadden's pseudo R², 1 − ℓ/ℓ₀ with ℓ₀ the constant-only model: fixest's `pr2` and
    /// pyfixest's `_pseudo_r2`.
    public var pseudoR2: Double { 1 - logLikelihood / nullLogLikelihood }

    /// The covariance matrix of the estimates: iid is the inverse Hessian, hetero and cluster the
    /// sandwiches on the scores, all with fixest's small-sample factors.
    public func covariance(_ type: CovarianceType, correction: SmallSampleCorrection = .fixestDefault)
        throws(EstimationError) -> CovarianceEstimate
    {
        try FittedCovariance.estimate(type, of: core.covarianceFit(), correction: correction) { estimator, input in estimator.inverseHessian(input) }
    }
}
