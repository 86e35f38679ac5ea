import LinearAlgebra

/// The estimators `quipu did` offers for (possibly staggered) adoption designs.
public enum StaggeredEstimator: String, Sendable, CaseIterable {
    /// Two-way fixed effects: `y ~ D | unit + time` (biased when effects vary across cohorts or time).
    case twfe
    /// Callaway & Sant'Anna (2021): ATT(g,t) from 2x2 comparisons, aggregated.
    case callawaySantAnna = "cs"
    /// Sun & Abraham (2021): the interaction-weighted event study.
    case sunAbraham = "sunab"
    /// Borusyak, Jaravel & Spiess (2024): imputation of untreated outcomes.
    case imputation

    /// The name shown in reports.
    public var displayName: String {
        switch self {
        case .twfe: return "TWFE"
        case .callawaySantAnna: return "Callaway–Sant'Anna"
        case .sunAbraham: return "Sun–Abraham"
        case .imputation: return "Imputation (BJS)"
        }
    }
}

/// What one estimate of a staggered-adoption estimator stands for.
public enum StaggeredEstimateKind: String, Sendable, CaseIterable {
    /// One cohort × period cell, ATT(g,t) (Callaway–Sant'Anna).
    case attGT = "att_gt"
    /// One cohort × relative-period interaction (Sun–Abraham).
    case cohortPeriod = "cohort_period"
    /// The overall average effect on the treated.
    case simple
    /// By cohort, and their cohort-size-weighted average.
    case group
    /// By event time (periods since treatment), and the average over non-negative event times.
    case dynamic
    /// By calendar period, and their average.
    case calendar
}

/// One estimate with what it rests on; its standard error lives in the result's covariance.
public struct StaggeredEstimate: Sendable {
    public var kind: StaggeredEstimateKind
    /// Periods since treatment (dynamic, cohort_period), or nil.
    public var eventTime: Int?
    /// The cohort (first treated period) for att_gt, group and cohort_period estimates.
    public var group: Int?
    /// The calendar period for att_gt and calendar estimates.
    public var time: Int?
    public var estimate: Double
    /// Treated units behind the estimate.
    public var treatedUnits: Int
    /// Treated cohorts behind the estimate.
    public var cohortCount: Int
    /// Comparison units (att_gt cells).
    public var controlUnits: Int?

    public init(kind: StaggeredEstimateKind, eventTime: Int? = nil, group: Int? = nil, time: Int? = nil, estimate: Double,
                treatedUnits: Int, cohortCount: Int, controlUnits: Int? = nil) {
        self.kind = kind
        self.eventTime = eventTime
        self.group = group
        self.time = time
        self.estimate = estimate
        self.treatedUnits = treatedUnits
        self.cohortCount = cohortCount
        self.controlUnits = controlUnits
    }

    /// Whether this is the overall entry of its aggregation (no event time, cohort or period).
    public var isOverall: Bool {
        switch kind {
        case .simple: return true
        case .group: return group == nil
        case .dynamic: return eventTime == nil
        case .calendar: return time == nil
        case .attGT, .cohortPeriod: return false
        }
    }

    /// The name `--combine` uses: `att` (simple), `e2`/`e-1` (dynamic), `g2004` (group),
    /// `t2005` (calendar), the overall entries `dynamic`, `group`, `calendar`, and
    /// `att_gt(2004,2005)` / `cp(2004,-1)` for cells.
    public var label: String {
        switch kind {
        case .simple: return "att"
        case .dynamic: return eventTime.map { "e\($0)" } ?? "dynamic"
        case .group: return group.map { "g\($0)" } ?? "group"
        case .calendar: return time.map { "t\($0)" } ?? "calendar"
        case .attGT: return "att_gt(\(group ?? 0),\(time ?? 0))"
        case .cohortPeriod: return "cp(\(group ?? 0),\(eventTime ?? 0))"
        }
    }
}

/// A joint test that some estimates (pre-period effects) are all zero.
public struct StaggeredPretrendTest: Sendable {
    public let statistic: Double
    public let numeratorDegrees: Int
    /// Denominator degrees of freedom of an F test; nil for a χ² test.
    public let denominatorDegrees: Double?
    public let pValue: Double
    /// What was tested, e.g. "leads -5 to -2" or "pre-period ATT(g,t)".
    public let description: String
}

/// The estimates of one estimator, with their joint covariance so that any linear combination has
/// a standard error, and what inference needs (degrees of freedom, bootstrap band).
public struct StaggeredResult: Sendable {
    public let estimator: StaggeredEstimator
    public var estimates: [StaggeredEstimate]
    /// Joint covariance of `estimates` (J × J); NaN entries where undefined.
    public var covariance: Matrix
    /// Standard errors used for inference: the covariance's diagonal, or bootstrap ones.
    public var standardErrors: [Double]
    /// Degrees of freedom of the t distribution for tests and intervals; nil: standard normal.
    public var degreesOfFreedom: Double?
    /// Critical values of uniform (sup-t) bands from the multiplier bootstrap, by kind.
    public var uniformCriticalValues: [StaggeredEstimateKind: Double] = [:]
    /// The multiplier bootstrap's replicates of every estimate, row-major (replicates × estimates),
    /// when the standard errors came from it: a linear combination takes its standard error from
    /// them too, so that a run states one inference.
    public var bootstrapReplicates: [Double]? = nil
    /// How the standard errors were obtained, e.g. "analytic (influence function), clustered by firm_id".
    public var inference: String
    public var pretrend: StaggeredPretrendTest?
    public var notes: [String] = []
    /// Observations (rows) the estimator used.
    public var observationCount: Int
    /// Clusters of the standard errors.
    public var clusterCount: Int?

    public init(estimator: StaggeredEstimator, estimates: [StaggeredEstimate], covariance: Matrix, degreesOfFreedom: Double?,
                inference: String, observationCount: Int, clusterCount: Int?) {
        self.estimator = estimator
        self.estimates = estimates
        self.covariance = covariance
        self.standardErrors = covariance.diagonal.map { $0 >= 0 ? $0.squareRoot() : .nan }
        self.degreesOfFreedom = degreesOfFreedom
        self.inference = inference
        self.observationCount = observationCount
        self.clusterCount = clusterCount
    }

    /// The index of the estimate with `label`, if any.
    public func index(ofLabel label: String) -> Int? { estimates.firstIndex { $0.label == label } }
}
