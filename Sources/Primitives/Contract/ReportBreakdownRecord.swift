/// One headline's Rambachan–Roth breakdown values in the report's results.json (`trust.breakdown`,
/// issue 23, point 6): the programme, outcome and estimator, what the curves bound, whether the
/// pre-periods use a varying base period, and per restriction (`rm`: relative magnitudes, bound
/// M̄; `sd`: smoothness, bound M) the original interval, the robust interval at each bound of the
/// grid and the breakdown value (null when no interval of the grid excludes zero), or `error`.
/// `failure` says why there is no analysis at all (the curves are then empty).
public struct ReportBreakdownRecord: JSONRecord, Sendable {
    /// One restriction's curve.
    public struct Curve: Encodable, Sendable {
        public var restriction: String
        public var method: String
        public var original: SensitivityRecord.Interval?
        public var intervals: [SensitivityRecord.Interval]
        public var breakdown: Double?
        public var error: String?

        public init(restriction: String, method: String, original: SensitivityRecord.Interval?, intervals: [SensitivityRecord.Interval],
                    breakdown: Double?, error: String? = nil) {
            self.restriction = restriction
            self.method = method
            self.original = original
            self.intervals = intervals
            self.breakdown = breakdown
            self.error = error
        }

        enum CodingKeys: String, CodingKey { case restriction, method, original, intervals, breakdown, error }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(restriction, forKey: .restriction)
            try container.encode(method, forKey: .method)
            try container.encode(original, forKey: .original)
            try container.encode(intervals, forKey: .intervals)
            try container.encode(breakdown, forKey: .breakdown)
            try container.encodeIfPresent(error, forKey: .error)
        }
    }

    public var programme: String
    public var outcome: String
    public var estimator: String
    public var target: String
    public var varyingBasePeriod: Bool
    public var curves: [Curve]
    public var failure: String?

    public init(programme: String, outcome: String, estimator: String, target: String, varyingBasePeriod: Bool, curves: [Curve], failure: String?) {
        self.programme = programme
        self.outcome = outcome
        self.estimator = estimator
        self.target = target
        self.varyingBasePeriod = varyingBasePeriod
        self.curves = curves
        self.failure = failure
    }

    enum CodingKeys: String, CodingKey {
        case programme, outcome, estimator, target, varyingBasePeriod = "varying_base_period", curves, failure
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(programme, forKey: .programme)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(estimator, forKey: .estimator)
        try container.encode(target, forKey: .target)
        try container.encode(varyingBasePeriod, forKey: .varyingBasePeriod)
        try container.encode(curves, forKey: .curves)
        try container.encode(failure, forKey: .failure)
    }
}
