import Estimation
import Inference

/// A regression's results ready for presentation: coefficients with their inference and the
/// summary figures every format shows. Derived once from an immutable fit and covariance.
public struct CoefficientTable: Sendable {
    public let command: String
    public let formula: String
    public let responseName: String
    public let rows: [CoefficientRow]
    public let observationCount: Int
    public let rowsRead: Int
    public let droppedMissing: Int
    public let droppedSingletons: Int
    public let droppedZeroWeight: Int
    /// Rows dropped for an infinite value (inf, 1e400) in a variable used.
    public let droppedNonFinite: Int
    /// Rows dropped because a function of a present value is undefined, by reason.
    public let droppedUndefinedTransforms: [(reason: String, rows: Int)]
    /// Regressors dropped: absorbed by the fixed effects or collinear (fixest's `collin.var`).
    public let collinear: [String]
    public let covariance: CovarianceType
    public let clusterCounts: [Int]
    public let degreesOfFreedom: Double
    public let fixedEffects: [(name: String, levels: Int)]
    /// Fixed-effect levels the data cannot identify (connected components of the first two fixed
    /// effects' graph, plus one per further fixed effect); 0 with fewer than two.
    public let redundantFixedEffects: Int
    public let weights: String?
    public let r2: Double
    public let adjustedR2: Double
    public let withinR2: Double?
    public let rmse: Double
    public let confidenceLevel: Double
    public let notes: [String]
    /// Bootstrap inference by term, when a bootstrap was run.
    public var bootstraps: [String: BootstrapSummary] = [:]
    /// The `--subset` row filter applied before the fit, if any.
    public var subset: SubsetSummary?
    /// A wild bootstrap test of a linear restriction (`--restriction`), with its text form.
    public var restrictionTest: (restriction: String, summary: BootstrapSummary)?

    /// Builds the table from a fit and a covariance estimate.
    public init(fit: LinearModelFit, covariance: CovarianceEstimate, weights: String?, confidenceLevel: Double = 0.95) {
        // t with the covariance's degrees of freedom; without residual degrees of freedom every
        // inferential figure is NA (see the note).
        self.rows = CoefficientRow.rows(terms: fit.coefficientNames, inference: EstimateInference(estimates: fit.coefficients, covariance: covariance),
                                        level: confidenceLevel)
        self.command = "feols"
        self.formula = fit.formula
        self.responseName = fit.responseName
        self.observationCount = fit.observationCount
        self.rowsRead = fit.rowsRead
        self.droppedMissing = fit.droppedMissing
        self.droppedSingletons = fit.droppedSingletons
        self.droppedZeroWeight = fit.droppedZeroWeight
        self.droppedNonFinite = fit.droppedNonFinite
        self.droppedUndefinedTransforms = fit.droppedUndefinedTransforms
        self.collinear = fit.collinearNames
        self.covariance = covariance.type
        self.clusterCounts = covariance.clusterCounts
        self.degreesOfFreedom = covariance.degreesOfFreedom
        self.fixedEffects = fit.fixedEffects.map { ($0.name, $0.levelCount) }
        self.redundantFixedEffects = fit.redundantFixedEffects
        self.weights = weights
        self.r2 = fit.r2
        self.adjustedR2 = fit.adjustedR2
        self.withinR2 = fit.withinR2
        self.rmse = fit.rmse
        self.confidenceLevel = confidenceLevel
        let collinear = fit.collinearNames.filter { !fit.absorbedNames.contains($0) }
        var notes = fit.designNotes + covariance.notes
        notes += RegressionSummary.droppedRegressorNotes(fixedEffects: fit.fixedEffects.map(\.name),
                                                         absorbed: fit.absorbedNames, collinear: collinear)
        self.notes = notes
    }

    /// How the standard errors were computed, in words.
    public var covarianceDescription: String {
        RegressionSummary.covarianceDescription(covariance, clusterCounts: clusterCounts, iid: "IID")
    }
}

extension CoefficientTable: RegressionSample {}
