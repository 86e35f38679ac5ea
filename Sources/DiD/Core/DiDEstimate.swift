import Estimation
import Inference
import Primitives
/// One estimated quantity of a difference-in-differences analysis: the 2x2 estimate, the two-way
/// fixed-effects estimate, or one event-study period.
public struct DiDEstimate: Sendable {
    /// `2x2`, `twfe` or `event_study`.
    public let estimand: String
    /// The regression term it comes from.
    public let term: String
    /// The period relative to the start of treatment, for event-study estimates.
    public let eventTime: Int?
    public let estimate: Double
    public let standardError: Double
    public let statistic: Double
    public let pValue: Double
    public let confidenceLow: Double
    public let confidenceHigh: Double
    /// Treated units and cohorts observed at this event time (event-study estimates).
    public var treatedUnits: Int? = nil
    public var cohortCount: Int? = nil
}

extension DiDEstimate {
    /// The row of `term` with the figures the inference core derived for it.
    init(estimand: String, term: String, eventTime: Int?, _ row: InferenceRow) {
        self.init(estimand: estimand, term: term, eventTime: eventTime, estimate: row.estimate, standardError: row.standardError,
                  statistic: row.statistic, pValue: row.pValue, confidenceLow: row.low, confidenceHigh: row.high)
    }
}

/// Everything `quipu did` reports.
public struct DiDResults: Sendable {
    public let outcome: String
    public let unit: String
    public let time: String
    /// The standard errors the header states: the regression covariance when TWFE ran, else the
    /// headline estimator's inference.
    public let covariance: InferenceDescription
    public let observationCount: Int
    public let clusterCount: Int?
    public let cohortSizes: [(cohort: Int?, units: Int)]
    public let estimates: [DiDEstimate]
    /// The 2x2 estimate computed as a difference of four means, when a 2x2 comparison was made.
    public let differenceOfMeans: Double?
    /// The event-study terms that TWFE's pre-trend test (`pretrendTest`) covers.
    public let pretrendTerms: [String]
    public let referencePeriod: Int?
    public let window: ClosedRange<Int>?
    /// The Goodman-Bacon decomposition, when asked for.
    public let bacon: BaconDecomposition?
    /// The analysis's notes and warnings, once each, sorted by their text (`Diagnostic.noteText`).
    public var notes: [Diagnostic]
    /// The estimators run, headline first.
    public var estimators: [StaggeredEstimator] = [.twfe]
    /// Every estimator's estimates in one shape (TWFE's included), in the order of `estimators`.
    public var staggered: [StaggeredResult] = []
    /// The `--subset` row filter applied before the panel was built, if any (see `recordSubset`).
    public var subset: SubsetSummary? = nil
    /// The sample each estimator used.
    public var samples: [(estimator: StaggeredEstimator, sample: StaggeredSample)] = []
    /// `--combine` results.
    public var combinations: [StaggeredCombination] = []
    /// Why the headline estimate and TWFE differ (staggered designs).
    public var headline: String? = nil
    /// Confidence level of the intervals.
    public var confidenceLevel = 0.95
    /// Warnings about leads that rest on few cohorts or units.
    public var pretrendWarnings: [Diagnostic] = []
    /// Each event study's pre-test power against a linear trend (Roth 2022), in estimator order.
    public var pretrendPowers: [EventStudyPretrendPower] = []
    /// The regression model of the TWFE, 2x2 and event-study estimates.
    public var model: DiDModel = .linear
    /// The scale of the robust estimators' effects (proportional: log ratios, with percent changes).
    public var effect: DiDEffectScale = .level
    /// The switching treatment's switchers, controls and weights by horizon (dcdh).
    public var switchingTreatment: SwitchingTreatmentRecord? = nil
}

extension DiDResults {
    /// TWFE's pre-trend test, the joint test that all pre-period event-study coefficients are zero
    /// (the event study's F), held in TWFE's effect set as every estimator holds its own.
    public var pretrendTest: WaldTestResult? { staggered.first { $0.estimator == .twfe }?.pretrend }
}
