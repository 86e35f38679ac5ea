import Estimation
import Foundation
import Inference
import Primitives

/// A coefficient of a log-linear model as a percentage change in the outcome's mean:
/// 100·(exp(b) − 1), with the interval's ends transformed the same way (the transformation is
/// monotone, so the interval keeps its coverage).
public struct PercentageEffect: Sendable {
    public let estimate: Double
    public let confidenceLow: Double
    public let confidenceHigh: Double

    /// Transforms a row of log-scale estimates.
    init(_ row: CoefficientRow) {
        estimate = 100 * expm1(row.estimate)
        confidenceLow = 100 * expm1(row.confidenceLow)
        confidenceHigh = 100 * expm1(row.confidenceHigh)
    }
}

/// A Poisson regression's results ready for presentation. Tests and intervals use the standard
/// normal distribution, as fixest and pyfixest do for GLMs (z, not t).
public struct PoissonTable: Sendable {
    public let formula: String
    public let responseName: String
    public let rows: [CoefficientRow]
    /// The same coefficients as percentage changes of the expected outcome.
    public let percentages: [PercentageEffect]
    public let observationCount: Int
    public let rowsRead: Int
    public let droppedMissing: Int
    public let droppedSingletons: Int
    public let droppedZeroWeight: Int
    public let droppedNonFinite: Int
    public let droppedUndefinedTransforms: [(reason: String, rows: Int)]
    /// Rows of fixed-effect groups whose outcome is all zero.
    public let droppedAllZeroGroups: Int
    /// Rows dropped as separated, and the regressors that separate them.
    public let droppedSeparated: Int
    public let separatingRegressors: [String]
    public let collinear: [String]
    public let covariance: CovarianceType
    public let clusterCounts: [Int]
    public let fixedEffects: [(name: String, levels: Int)]
    /// Fixed-effect levels the data cannot identify (connected components of the first two fixed
    /// effects' graph, plus one per further fixed effect); 0 with fewer than two.
    public let redundantFixedEffects: Int
    public let weights: String?
    public let logLikelihood: Double
    public let nullLogLikelihood: Double
    public let deviance: Double
    /// McFadden's pseudo R² (fixest's `pr2`).
    public let pseudoR2: Double
    public let iterations: Int
    public let confidenceLevel: Double
    public let notes: [String]
    /// The `--subset` row filter applied before the fit, if any.
    public var subset: SubsetSummary?

    /// Builds the table from a fit and a covariance estimate.
    public init(fit: PoissonModelFit, covariance: CovarianceEstimate, weights: String?, confidenceLevel: Double = 0.95) {
        rows = CoefficientRow.rows(terms: fit.coefficientNames,
                                   inference: EstimateInference(estimates: fit.coefficients, covariance: covariance, distribution: .standardNormal),
                                   level: confidenceLevel)
        percentages = rows.map(PercentageEffect.init)
        formula = fit.formula
        responseName = fit.responseName
        observationCount = fit.observationCount
        rowsRead = fit.rowsRead
        droppedMissing = fit.droppedMissing
        droppedSingletons = fit.droppedSingletons
        droppedZeroWeight = fit.droppedZeroWeight
        droppedNonFinite = fit.droppedNonFinite
        droppedUndefinedTransforms = fit.droppedUndefinedTransforms
        droppedAllZeroGroups = fit.droppedAllZeroGroups
        droppedSeparated = fit.droppedSeparated
        separatingRegressors = fit.separatingRegressors
        collinear = fit.collinearNames
        self.covariance = covariance.type
        clusterCounts = covariance.clusterCounts
        fixedEffects = fit.fixedEffects.map { ($0.name, $0.levelCount) }
        redundantFixedEffects = fit.redundantFixedEffects
        self.weights = weights
        logLikelihood = fit.logLikelihood
        nullLogLikelihood = fit.nullLogLikelihood
        deviance = fit.deviance
        pseudoR2 = fit.pseudoR2
        iterations = fit.iterations
        self.confidenceLevel = confidenceLevel
        var notes = fit.designNotes + covariance.notes
        notes += fit.separationDiagnostics.map(\.message)
        // A separating regressor is usually constant on the rows left after separation: say so,
        // rather than blame the fixed effects or collinearity.
        let separating = fit.collinearNames.filter { fit.separatingRegressors.contains($0) }
        if !separating.isEmpty {
            notes.append("no estimate for " + separating.joined(separator: ", ") + ": without the separated observations it no longer varies (its coefficient would be infinite with them), and it is dropped, as ppmlhdfe and pyfixest do")
        }
        let absorbed = fit.absorbedNames.filter { !separating.contains($0) }
        let collinear = fit.collinearNames.filter { !fit.absorbedNames.contains($0) && !separating.contains($0) }
        notes += RegressionSummary.droppedRegressorNotes(fixedEffects: fit.fixedEffects.map(\.name), absorbed: absorbed, collinear: collinear)
        self.notes = notes
    }

    /// How the standard errors were computed, in words.
    public var covarianceDescription: String {
        RegressionSummary.covarianceDescription(covariance, clusterCounts: clusterCounts, iid: "IID (inverse Hessian)")
    }
}

extension PoissonTable: RegressionSample {
    var modelDropParts: [String] {
        var parts = [String]()
        if droppedAllZeroGroups > 0 { parts.append("\(droppedAllZeroGroups) in fixed-effect groups with an all-zero outcome") }
        if droppedSeparated > 0 { parts.append("\(droppedSeparated) separated") }
        return parts
    }

    var modelDropPairs: [(String, JSONValue)] {
        [("all_zero_fixed_effect", .integer(droppedAllZeroGroups)), ("separated", .integer(droppedSeparated))]
    }
}
