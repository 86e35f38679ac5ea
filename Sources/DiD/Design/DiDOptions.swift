import Formula
import Inference

/// Which estimators `quipu did` runs.
public enum EstimatorChoice: String, Sendable, CaseIterable {
    /// TWFE with one cohort; with staggered cohorts a robust estimator first and TWFE beside it
    /// (Callaway–Sant'Anna; Poisson: the extended TWFE's log ratio of means).
    case auto
    case twfe, cs, sunab, imputation
    /// Wooldridge's extended TWFE (linear and Poisson).
    case etwfe
    /// Gardner's two-stage DiD (did2s): imputation's estimates with GMM standard errors.
    case twostage
    /// Distributional effects: changes-in-changes, quantile DiD, panel QTT (Distributional/).
    case cic, qdid, qtt
    /// Triple differences with an eligibility partition (`partition`); not part of `all`.
    case ddd
    /// de Chaisemartin & D'Haultfœuille's estimators for a treatment that switches on and off.
    case dcdh
    /// Every estimator of the model's scale (DiDAnalysis.chosenEstimators).
    case all
}

/// The regression model of the TWFE, 2x2 and event-study estimates.
public enum DiDModel: String, Sendable, CaseIterable {
    /// Least squares (`feols`): effects in the outcome's units.
    case linear
    /// Poisson pseudo-maximum likelihood (`fepois`): effects in log points, keeping zero outcomes.
    case poisson
    /// Logit of a 0/1 outcome (the extended TWFE only).
    case logit
}

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
    /// Threads for the fixed-effect absorption and the bootstrap.
    public var threads = 2
    /// Which estimators to run.
    public var estimator: EstimatorChoice = .auto
    /// Callaway–Sant'Anna's comparison group, 2x2 method, anticipation and base period.
    public var callawaySantAnna = CallawaySantAnnaOptions()
    /// How Callaway–Sant'Anna treats gaps in the panel.
    public var panelMode: UnitPanel.Mode = .auto
    /// The aggregations of ATT(g,t) to report.
    public var aggregations: Set<StaggeredAggregation> = [.all]
    /// The extended TWFE's Poisson fit without covariates on group × period totals (true), or on
    /// every row (false: the reference its tests compare it with; the results are equal).
    public var etwfePoissonCollapse = true
    /// The multiplier bootstrap for Callaway–Sant'Anna, when asked for.
    public var bootstrap: MultiplierBootstrap?
    /// Linear combinations of estimates to report (`--combine`).
    public var combinations: [CombinationExpression] = []
    /// Fixed effects beyond unit and period, in fixest syntax (`year^size_class`).
    public var extraFixedEffects: [String] = []
    /// Leads in the imputation estimator's pre-trend test.
    public var imputationLeads = 3
    /// The eligibility partition of triple differences (`--estimator ddd`): a 0/1 column constant
    /// within units (TripleDifferencesEstimator).
    public var partition: String?
    /// Least squares or Poisson for the regression estimates (Poisson: TWFE and event study only).
    public var model: DiDModel = .linear
    /// The scale of Callaway–Sant'Anna's and imputation's effects (`DiDEffectScale`).
    public var effect: DiDEffectScale = .level
    /// On panels with gaps, Callaway–Sant'Anna's and the imputation estimator's variances take each
    /// unit's deviation from its cell's mean without it (CallawaySantAnna+LeaveOut.swift,
    /// ImputationDiD+Variance.swift); false reproduces the peers' in-sample versions (R did's
    /// influence functions, diff-diff's τ̄) for the agreement tests of Tests/Fixtures/staggered.
    public var leaveOutOnGaps = true
    /// `--vcov cr2`: Sun–Abraham's and the linear extended TWFE's covariance clustered by unit with
    /// Bell–McCaffrey's CR2 adjustment, completed where a row has leverage 1 (DiDDesign+CR2.swift);
    /// false keeps the regression's own covariance (fixest's CRV1, Sun–Abraham's leave-out on gaps).
    public var cr2Covariance = false
    /// The quantiles and bootstrap of the distributional estimators (cic, qdid, qtt).
    public var distributional = DistributionalOptions()
    /// The switching treatment of `--estimator dcdh` (nil for the cohort-based estimators).
    public var switching: SwitchingTreatmentOptions?

    /// Creates options for an outcome and a covariance estimator.
    public init(outcome: String, covariance: CovarianceType) {
        self.outcome = outcome
        self.covariance = covariance
    }
}

extension DiDOptions {
    /// The `--fe` terms parsed with fixest's syntax (`year^size_class + region`).
    public func extraFixedEffectTerms() throws -> [FixedEffect] {
        guard !extraFixedEffects.isEmpty else { return [] }
        let formula = try ModelFormula.parse("y ~ 1 | " + extraFixedEffects.joined(separator: " + "))
        return formula.fixedEffects
    }
}
