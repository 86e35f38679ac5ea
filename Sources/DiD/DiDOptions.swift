import Inference

/// What `quipu did` estimates and how.
public struct DiDOptions: Sendable {
    /// The outcome column.
    public var outcome: String
    /// Covariate columns added linearly to every regression.
    public var covariates: [String] = []
    /// Analytic weights column.
    public var weights: String?
    /// The covariance estimator (default: clustered by unit, set by the caller).
    public var covariance: CovarianceType
    /// Splits time for the canonical 2x2 estimate: periods at or after it are "post".
    public var postPeriod: Int?
    /// Estimate the event-study profile.
    public var eventStudy = false
    /// The reference relative period of the event study.
    public var referencePeriod = -1
    /// The event-study window; relative periods beyond it are binned into its end points.
    public var window: ClosedRange<Int>?
    /// Keep only units observed, with the outcome present, in every period.
    public var balance = false
    /// Add the Goodman-Bacon decomposition of the two-way fixed-effects estimate.
    public var decompose = false
    /// Weight of the later-vs-earlier comparisons above which the report warns.
    public var forbiddenWeightWarning = 0.10
    /// Confidence level of the intervals.
    public var confidenceLevel = 0.95
    /// Threads for the fixed-effect absorption.
    public var threads = 2

    /// Creates options for an outcome and a covariance estimator.
    public init(outcome: String, covariance: CovarianceType) {
        self.outcome = outcome
        self.covariance = covariance
    }
}
