import Estimation
import Inference
import Primitives

/// A single regression's results ready for presentation (`feols` and `fepois`): coefficients
/// with their inference and the summary figures every format shows, derived once from an
/// immutable fit and covariance. What every regression shares is held here; what a model changes
/// is its `Model` (the fit statistics, Poisson's percentage effects and separating regressors),
/// as pyfixest's `Fepois` adds to `Feols` only what Poisson changes (`estimation/models/fepois_.py`).
/// The reference distribution (t with the covariance's degrees of freedom, or the normal) is the
/// one `EstimateInference` tested against, so the headers follow it rather than the command.
public struct CoefficientTable: Sendable {
    /// What the model adds to the shared table.
    public enum Model: Sendable {
        /// Least squares (`feols`): R², RMSE.
        case leastSquares(LeastSquaresStatistics)
        /// Poisson pseudo-maximum likelihood (`fepois`): the likelihood, the effects as percentages.
        case poisson(PoissonStatistics)
    }

    public let model: Model
    public let formula: String
    public let responseName: String
    public let rows: [CoefficientRow]
    /// The rows read, used and dropped by reason (before `--subset`'s removals: see `countedSample`).
    public let sample: SampleAccounting
    /// Regressors dropped: absorbed by the fixed effects or collinear (fixest's `collin.var`).
    public let collinear: [String]
    public let covariance: CovarianceType
    public let clusterCounts: [Int]
    /// The distribution the estimates were tested against.
    public let distribution: ReferenceDistribution
    public let fixedEffects: [(name: String, levels: Int)]
    /// Fixed-effect levels the data cannot identify (connected components of the first two fixed
    /// effects' graph, plus one per further fixed effect); 0 with fewer than two.
    public let redundantFixedEffects: Int
    public let weights: String?
    public let confidenceLevel: Double
    public let notes: [String]
    /// The coefficients' covariance with their terms as labels (NA where undefined), from the
    /// inference core, for the JSON's `vcov_matrix`.
    public let coefficientCovariance: CovarianceRecord
    /// Bootstrap inference by term, when a bootstrap was run (feols).
    public var bootstraps: [String: BootstrapSummary] = [:]
    /// The `--subset` row filter applied before the fit, if any.
    public var subset: SubsetSummary?
    /// A wild bootstrap test of a linear restriction (`--restriction`), with its text form (feols).
    public var restrictionTest: (restriction: String, summary: BootstrapSummary)?

    /// The table of `fit`, tested against `distribution` (t with the covariance's degrees of
    /// freedom when nil); `model` (given the rows) and `notes` are what the model adds.
    init(fit: some FittedRegression, covariance: CovarianceEstimate, distribution: ReferenceDistribution?, weights: String?,
         confidenceLevel: Double, model: ([CoefficientRow]) -> Model, notes: [String]) {
        self.init(terms: FittedTerms(fit: fit), covariance: covariance, distribution: distribution, weights: weights,
                  confidenceLevel: confidenceLevel, model: model, notes: notes)
    }

    /// The table of a fit's `terms` (from a fit on the rows, or combined from partitions).
    init(terms fit: FittedTerms, covariance: CovarianceEstimate, distribution: ReferenceDistribution?, weights: String?,
         confidenceLevel: Double, model: ([CoefficientRow]) -> Model, notes: [String]) {
        let inference = EstimateInference(estimates: fit.coefficients, covariance: covariance, distribution: distribution)
        self.rows = CoefficientRow.rows(terms: fit.coefficientNames, inference: inference, level: confidenceLevel)
        self.distribution = inference.distribution
        self.model = model(rows)
        self.formula = fit.formula
        self.responseName = fit.responseName
        self.sample = fit.sample
        self.collinear = fit.collinearNames
        self.covariance = covariance.type
        self.clusterCounts = covariance.clusterCounts
        self.fixedEffects = fit.fixedEffects
        self.redundantFixedEffects = fit.redundantFixedEffects
        self.weights = weights
        self.confidenceLevel = confidenceLevel
        self.notes = fit.designNotes + covariance.notes + notes
        let terms = fit.coefficientNames
        let defined = covariance.isDefined
        self.coefficientCovariance = CovarianceRecord(labels: terms, matrix: terms.indices.map { i in
            terms.indices.map { j in defined ? inference.covariance[i, j] : .nan }
        })
    }

    /// The command that fits the model.
    public var command: String {
        switch model {
        case .leastSquares: return "feols"
        case .poisson: return "fepois"
        }
    }

    /// The degrees of freedom of t; 0 under the normal (whose tests need none).
    public var degreesOfFreedom: Double { distribution.degreesOfFreedom ?? 0 }

    /// How the standard errors were computed, in words.
    public var covarianceDescription: String {
        let iid: String
        switch model {
        case .leastSquares: iid = "IID"
        case .poisson: iid = "IID (inverse Hessian)"
        }
        return RegressionSummary.covarianceDescription(covariance, clusterCounts: clusterCounts, iid: iid)
    }
}

/// What least squares adds: its fit statistics.
public struct LeastSquaresStatistics: Sendable {
    public let r2: Double
    public let adjustedR2: Double
    public let withinR2: Double?
    public let rmse: Double

    public init(r2: Double, adjustedR2: Double, withinR2: Double?, rmse: Double) {
        self.r2 = r2
        self.adjustedR2 = adjustedR2
        self.withinR2 = withinR2
        self.rmse = rmse
    }
}

extension CoefficientTable {
    /// The `feols` table of a least-squares fit, tested against t with the covariance's degrees
    /// of freedom; without residual degrees of freedom every inferential figure is NA (see the note).
    public init(fit: LinearModelFit, covariance: CovarianceEstimate, weights: String?, confidenceLevel: Double = 0.95) {
        self.init(leastSquares: FittedTerms(fit: fit),
                  statistics: LeastSquaresStatistics(r2: fit.r2, adjustedR2: fit.adjustedR2, withinR2: fit.withinR2, rmse: fit.rmse),
                  covariance: covariance, weights: weights, confidenceLevel: confidenceLevel)
    }

    /// The `feols` table of a least-squares fit given by its terms and statistics (a fit combined
    /// from partitions, `quipu combine`), as `init(fit:covariance:weights:confidenceLevel:)`.
    public init(leastSquares terms: FittedTerms, statistics: LeastSquaresStatistics, covariance: CovarianceEstimate, weights: String?,
                confidenceLevel: Double = 0.95) {
        let collinear = terms.collinearNames.filter { !terms.absorbedNames.contains($0) }
        let notes = RegressionSummary.droppedRegressorNotes(fixedEffects: terms.fixedEffects.map(\.name),
                                                            absorbed: terms.absorbedNames, collinear: collinear)
        self.init(terms: terms, covariance: covariance, distribution: nil, weights: weights, confidenceLevel: confidenceLevel,
                  model: { _ in .leastSquares(statistics) }, notes: notes)
    }

    /// The least-squares statistics, nil for another model.
    var leastSquares: LeastSquaresStatistics? {
        if case .leastSquares(let statistics) = model { return statistics }
        return nil
    }

    /// The Poisson statistics, nil for another model.
    var poisson: PoissonStatistics? {
        if case .poisson(let statistics) = model { return statistics }
        return nil
    }
}
