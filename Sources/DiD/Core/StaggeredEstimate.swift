import Inference
import LinearAlgebra
import Primitives

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
    /// Wooldridge (2021, 2023): extended TWFE, saturated in cohort × period.
    case etwfe
    /// Gardner (2022): two-stage DiD, imputation's estimates with did2s's GMM standard errors.
    case twoStage = "twostage"
    /// Athey & Imbens (2006): changes-in-changes, mean and quantile effects (Distributional/).
    case changesInChanges = "cic"
    /// Quantile difference-in-differences (Athey & Imbens 2006, §3.3).
    case quantileDiD = "qdid"
    /// Callaway & Li (2019): the panel quantile treatment effect on the treated.
    case panelQTT = "qtt"
    /// Ortiz-Villavicencio & Sant'Anna (2025): triple differences with an eligibility partition.
    case tripleDifferences = "ddd"
    /// de Chaisemartin & D'Haultfœuille (2024): effects of a treatment that may switch on and off.
    case dcdh

    /// The name shown in reports.
    public var displayName: String {
        switch self {
        case .twfe: return "TWFE"
        case .callawaySantAnna: return "Callaway–Sant'Anna"
        case .sunAbraham: return "Sun–Abraham"
        case .imputation: return "Imputation (BJS)"
        case .etwfe: return "Extended TWFE (Wooldridge)"
        case .twoStage: return "Two-stage (Gardner)"
        case .changesInChanges: return "Changes-in-changes"
        case .quantileDiD: return "Quantile DiD"
        case .panelQTT: return "Panel QTT (Callaway–Li)"
        case .tripleDifferences: return "Triple differences (DDD)"
        case .dcdh: return "de Chaisemartin–D'Haultfœuille"
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

/// The scale of an estimate: the outcome's units, or (Poisson's extended TWFE) the log ratio of
/// the treated cells' observed mean to their counterfactual mean.
public enum StaggeredEstimateScale: String, Sendable {
    case level
    case logRatio = "log_ratio"
}

/// One estimate with what it rests on; its standard error lives in the result's covariance.
public struct StaggeredEstimate: Sendable {
    public let kind: StaggeredEstimateKind
    /// Periods since treatment (dynamic, cohort_period), or nil.
    public let eventTime: Int?
    /// The cohort (first treated period) for att_gt, group and cohort_period estimates.
    public let group: Int?
    /// The calendar period for att_gt and calendar estimates.
    public let time: Int?
    public let estimate: Double
    /// Treated units behind the estimate.
    public let treatedUnits: Int
    /// Treated cohorts behind the estimate.
    public let cohortCount: Int
    /// Comparison units (att_gt cells).
    public let controlUnits: Int?
    /// The scale (`level` unless a log ratio of means).
    public let scale: StaggeredEstimateScale
    /// The quantile τ of a quantile effect (the distributional estimators); nil for a mean effect.
    public let quantile: Double?

    public init(kind: StaggeredEstimateKind, eventTime: Int? = nil, group: Int? = nil, time: Int? = nil, estimate: Double,
                treatedUnits: Int, cohortCount: Int, controlUnits: Int? = nil, scale: StaggeredEstimateScale = .level, quantile: Double? = nil) {
        self.scale = scale
        self.quantile = quantile
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
    /// `att_gt(2004,2005)` / `cp(2004,-1)` for cells; log ratios add `lr_` (`lr_att`, `lr_e2`).
    public var label: String {
        guard let quantile else { return familyLabel }
        // τ in percent: q50, q10, q12_5 (a '.' would read as a number in --combine).
        let percent = (quantile * 100 * 1e6).rounded() / 1e6
        let text = percent == percent.rounded() ? String(Int(percent)) : String(percent).replacingOccurrences(of: ".", with: "_")
        return familyLabel + "_q" + text
    }

    /// The label of the mean effect a quantile effect belongs to (the estimate's own label for a
    /// mean effect): the quantile effects with one family label share a uniform band.
    public var familyLabel: String {
        scale == .logRatio ? "lr_" + levelLabel : levelLabel
    }

    /// The label on the level scale.
    private var levelLabel: String {
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

/// The estimates of one estimator with their joint inference (EstimateInference: covariance,
/// reference distribution, analytic or bootstrap standard errors), from which every standard error,
/// test, interval, band and linear combination is derived. Immutable: the bootstrap, a pre-trend
/// test or notes give a new result (`withBootstrap`, `withPretrend`, `withNotes`).
public struct StaggeredResult: Sendable {
    public let estimator: StaggeredEstimator
    public let estimates: [StaggeredEstimate]
    /// The estimates' joint inference.
    public let estimateInference: EstimateInference
    /// How the standard errors were obtained, e.g. "analytic (influence functions), clustered by firm_id".
    public let inference: InferenceDescription
    /// Critical values of uniform (sup-t) bands from the bootstrap draws, by kind (none without).
    public let uniformCriticalValues: [StaggeredEstimateKind: Double]
    public let pretrend: WaldTestResult?
    /// What qualifies the estimates, or describes the method (code `descriptive`).
    public let notes: [Diagnostic]
    /// Observations (rows) the estimator used.
    public let observationCount: Int
    /// Clusters of the standard errors.
    public let clusterCount: Int?
    /// Critical values of uniform (sup-t) bands over the quantiles of each family of quantile
    /// effects (keyed by `familyLabel`), from the bootstrap draws (none without).
    public var quantileCriticalValues: [String: Double] = [:]
    /// Per-unit (or per-observation) contributions to the clustered variance of some estimates,
    /// by label (`att`), from the estimators that can write their variance so
    /// (`withUnitInfluences`); the report's joint bootstrap across headlines reads them.
    public private(set) var unitInfluences: [String: UnitInfluence] = [:]

    /// Joint covariance of `estimates` (J × J); NaN entries where undefined.
    public var covariance: Matrix { estimateInference.covariance }
    /// Standard errors used for inference: the covariance's, or the bootstrap's.
    public var standardErrors: [Double] { estimateInference.standardErrors }
    /// Degrees of freedom of the t distribution for tests and intervals; nil: standard normal.
    public var degreesOfFreedom: Double? { estimateInference.distribution.degreesOfFreedom }

    /// The index of the estimate with `label`, if any.
    public func index(ofLabel label: String) -> Int? { estimates.firstIndex { $0.label == label } }

    /// The same result with its inference replaced by `estimateInference` (standard errors, bands
    /// and tests of the result are all re-derived from it, never mixed).
    func replacing(_ estimateInference: EstimateInference, inference: InferenceDescription,
                   uniformCriticalValues: [StaggeredEstimateKind: Double]) -> StaggeredResult {
        StaggeredResult(estimator: estimator, estimates: estimates, estimateInference: estimateInference, inference: inference,
                        uniformCriticalValues: uniformCriticalValues, pretrend: nil, notes: notes,
                        observationCount: observationCount, clusterCount: clusterCount, quantileCriticalValues: quantileCriticalValues, unitInfluences: unitInfluences)
    }

    /// The same result with `test` as its pre-trend test.
    public func withPretrend(_ test: WaldTestResult?) -> StaggeredResult {
        StaggeredResult(estimator: estimator, estimates: estimates, estimateInference: estimateInference, inference: inference,
                        uniformCriticalValues: uniformCriticalValues, pretrend: test, notes: notes,
                        observationCount: observationCount, clusterCount: clusterCount, quantileCriticalValues: quantileCriticalValues, unitInfluences: unitInfluences)
    }

    /// The same result with `influences` (by estimate label) as its unit influences.
    public func withUnitInfluences(_ influences: [String: UnitInfluence]) -> StaggeredResult {
        var copy = self
        copy.unitInfluences = influences
        return copy
    }

    /// The same result with `notes` as its notes.
    public func withNotes(_ notes: [Diagnostic]) -> StaggeredResult {
        StaggeredResult(estimator: estimator, estimates: estimates, estimateInference: estimateInference, inference: inference,
                        uniformCriticalValues: uniformCriticalValues, pretrend: pretrend, notes: notes,
                        observationCount: observationCount, clusterCount: clusterCount, quantileCriticalValues: quantileCriticalValues, unitInfluences: unitInfluences)
    }
}

// The public initializer lives in an extension so that the struct keeps its memberwise one, which
// the `with…` copies use.
extension StaggeredResult {
    /// Analytic inference from the joint covariance of `estimates` (J × J; NaN entries where
    /// undefined), tested against t with `degreesOfFreedom`, or the normal when nil; or each
    /// against its own entry of `estimateDegreesOfFreedom` when given (estimates of separate
    /// regressions, each with its regression's t). A standard
    /// error that is not a number above `standardErrorFloor` (0 unless an estimator knows its
    /// rounding level), or that of an estimate that is not finite, is undefined, and so are its
    /// test and interval.
    public init(estimator: StaggeredEstimator, estimates: [StaggeredEstimate], covariance: Matrix, degreesOfFreedom: Double?,
                estimateDegreesOfFreedom: [Double?]? = nil, inference: InferenceDescription, observationCount: Int, clusterCount: Int?, notes: [Diagnostic] = [], standardErrorFloor: Double = 0) {
        let analytic = EstimateInference(estimates: estimates.map(\.estimate), covariance: covariance,
                                         distribution: ReferenceDistribution(degreesOfFreedom: degreesOfFreedom),
                                         distributions: estimateDegreesOfFreedom?.map(ReferenceDistribution.init(degreesOfFreedom:)),
                                         clusterCount: clusterCount)
        self.init(estimator: estimator, estimates: estimates,
                  estimateInference: analytic.undefiningStandardErrors { !($0.isFinite && $1.isFinite && $1 > standardErrorFloor) },
                  inference: inference, uniformCriticalValues: [:], pretrend: nil, notes: notes,
                  observationCount: observationCount, clusterCount: clusterCount)
    }
}

extension StaggeredResult {
    /// The scale of the rows that stand for this estimator's effects: the log ratio of means when
    /// it reports its effects on that scale too (the extended TWFE with Poisson, whose level ATTs
    /// come beside them), otherwise the only scale it has. The headline, the report and the
    /// event-study chart read these rows.
    public var headlineScale: StaggeredEstimateScale {
        estimates.contains { $0.scale == .logRatio } ? .logRatio : .level
    }
}
