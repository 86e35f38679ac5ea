/// One column of a `quipu table`: a model's coefficients and the facts a regression table shows
/// below them, read back from the JSON of an earlier run (`feols`, `fepois`, one estimator of
/// `did`, or a table's own JSON).
///
/// Every field but the coefficients is optional, because the runs that produce them report
/// different things (a Poisson fit has a pseudo R², a Callaway–Sant'Anna estimate none).
public struct ModelSummary: Sendable {
    /// One estimate with its inference, as the run reported it.
    public struct Coefficient: Sendable {
        /// The name shown in the table (after `--rename`).
        public var term: String
        /// The name in the run's JSON.
        public let originalTerm: String
        public let estimate: Double
        public let standardError: Double?
        public let statistic: Double?
        public let pValue: Double?
        public let confidenceLow: Double?
        public let confidenceHigh: Double?
        /// Whether the table shows it without a `--keep` that names it: false for the
        /// secondary estimates of `did` (event-time, cohort and period aggregates), which
        /// would otherwise bury its headline.
        public let shownByDefault: Bool

        public init(term: String, estimate: Double, standardError: Double? = nil, statistic: Double? = nil,
                    pValue: Double? = nil, confidenceLow: Double? = nil, confidenceHigh: Double? = nil,
                    shownByDefault: Bool = true) {
            self.term = term
            self.originalTerm = term
            self.estimate = estimate
            self.standardError = standardError
            self.statistic = statistic
            self.pValue = pValue
            self.confidenceLow = confidenceLow
            self.confidenceHigh = confidenceHigh
            self.shownByDefault = shownByDefault
        }

        /// The t (or z) statistic: the run's own, or the estimate over its standard error.
        public var statisticOrRatio: Double? {
            if let statistic { return statistic }
            guard let standardError, standardError > 0 else { return nil }
            return estimate / standardError
        }
    }

    /// Where the model came from (a file name, or "standard input"), for messages.
    public let source: String
    /// The command that produced it: feols, fepois, did, or another name.
    public let command: String
    /// The outcome (dependent variable).
    public var dependent: String
    /// How it was estimated, for the estimator row: OLS, Poisson, Callaway–Sant'Anna, ...
    public let estimator: String
    public var coefficients: [Coefficient]
    /// Names of the fixed effects absorbed (after `--rename`).
    public var fixedEffects: [String]
    /// The covariance as the run wrote it: iid, hetero, cluster:VAR or cluster:A+B.
    public var vcov: String?
    public let observations: Int?
    /// Clusters of each clustering dimension (one entry when clustered one way).
    public let clusterCounts: [Int]
    public let r2: Double?
    public let adjustedR2: Double?
    public let withinR2: Double?
    public let pseudoR2: Double?
    /// The level of the intervals `conf_low`/`conf_high`.
    public let confidenceLevel: Double?
    /// The subsample of a `--split`/`--fsplit` run, shown in its own header row.
    public var sample: Sample?

    /// A `--split VAR` subsample: the column and its value, nil for `--fsplit`'s full sample.
    public struct Sample: Sendable, Equatable {
        public let split: String
        public let value: String?
        public init(split: String, value: String?) {
            self.split = split
            self.value = value
        }
    }

    public init(source: String, command: String, dependent: String, estimator: String, coefficients: [Coefficient],
                fixedEffects: [String] = [], vcov: String? = nil, observations: Int? = nil, clusterCounts: [Int] = [],
                r2: Double? = nil, adjustedR2: Double? = nil, withinR2: Double? = nil, pseudoR2: Double? = nil,
                confidenceLevel: Double? = nil) {
        self.source = source
        self.command = command
        self.dependent = dependent
        self.estimator = estimator
        self.coefficients = coefficients
        self.fixedEffects = fixedEffects
        self.vcov = vcov
        self.observations = observations
        self.clusterCounts = clusterCounts
        self.r2 = r2
        self.adjustedR2 = adjustedR2
        self.withinR2 = withinR2
        self.pseudoR2 = pseudoR2
        self.confidenceLevel = confidenceLevel
    }

    /// The covariance in the words of fixest's `etable` (its "S.E. type" row).
    public var vcovDescription: String {
        guard let vcov else { return "" }
        switch vcov {
        case "iid": return "IID"
        case "hetero": return "Heteroskedast.-robust"
        default:
            guard vcov.hasPrefix("cluster:") else { return vcov }
            let names = vcov.dropFirst("cluster:".count).split(separator: "+").map(String.init)
            return "Clustered (" + names.joined(separator: " & ") + ")"
        }
    }
}
