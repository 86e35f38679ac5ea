import Estimation
import Inference
import Primitives

/// A coefficient of a log-linear model as a percentage change in the outcome's mean:
/// 100·(exp(b) − 1), with the interval's ends transformed the same way (the transformation is
/// monotone, so the interval keeps its coverage); computed once, by `PercentChangeRecord`.
public struct PercentageEffect: Sendable {
    public let estimate: Double
    public let confidenceLow: Double
    public let confidenceHigh: Double
    /// The effect as the output contract writes it.
    let record: PercentChangeRecord

    /// Transforms a row of log-scale estimates.
    init(_ row: CoefficientRow) {
        record = PercentChangeRecord(logPoints: row.estimate, low: row.confidenceLow, high: row.confidenceHigh)
        estimate = record.change
        confidenceLow = record.low
        confidenceHigh = record.high
    }
}

/// What Poisson pseudo-maximum likelihood adds to a coefficient table: the likelihood figures,
/// the regressors that separate rows, and the effects as percentage changes.
public struct PoissonStatistics: Sendable {
    /// The coefficients as percentage changes of the expected outcome, one per row.
    public let percentages: [PercentageEffect]
    /// The regressors that separate the rows dropped as separated.
    public let separatingRegressors: [String]
    public let logLikelihood: Double
    public let nullLogLikelihood: Double
    public let deviance: Double
    /// McFadden's pseudo R² (fixest's `pr2`).
    public let pseudoR2: Double
    public let iterations: Int
}

extension CoefficientTable {
    /// The `fepois` table of a Poisson fit. Tests and intervals use the standard normal
    /// distribution, as fixest and pyfixest do for GLMs (z, not t).
    public init(fit: PoissonModelFit, covariance: CovarianceEstimate, weights: String?, confidenceLevel: Double = 0.95) {
        var notes = fit.separationDiagnostics.map(\.message)
        // A separating regressor is usually constant on the rows left after separation: say so,
        // rather than blame the fixed effects or collinearity.
        let separating = fit.collinearNames.filter { fit.separatingRegressors.contains($0) }
        if !separating.isEmpty {
            notes.append("no estimate for " + separating.joined(separator: ", ") + ": without the separated observations it no longer varies (its coefficient would be infinite with them), and it is dropped, as ppmlhdfe and pyfixest do")
        }
        let absorbed = fit.absorbedNames.filter { !separating.contains($0) }
        let collinear = fit.collinearNames.filter { !fit.absorbedNames.contains($0) && !separating.contains($0) }
        notes += RegressionSummary.droppedRegressorNotes(fixedEffects: fit.fixedEffects.map(\.name), absorbed: absorbed, collinear: collinear)
        // The percentages are a view of the rows the shared initialiser derives.
        self.init(fit: fit, covariance: covariance, distribution: .standardNormal, weights: weights, confidenceLevel: confidenceLevel,
                  model: { rows in
                      .poisson(PoissonStatistics(percentages: rows.map(PercentageEffect.init), separatingRegressors: fit.separatingRegressors,
                                                 logLikelihood: fit.logLikelihood, nullLogLikelihood: fit.nullLogLikelihood,
                                                 deviance: fit.deviance, pseudoR2: fit.pseudoR2, iterations: fit.iterations))
                  }, notes: notes)
    }
}
