/// An event study's pre-test power against a linear trend (Roth 2022; an entry of `did`'s
/// `pretrend_power`): the estimator, the χ² pre-test it describes (level, degrees of freedom,
/// critical value), the pre-period event times with their reference, whether they are year-on-year
/// changes, the post-period target, and per target power the slope detected and its bias in the
/// target; `note` when the covariance was rank-deficient (left out otherwise).
public struct PretrendPowerRecord: JSONRecord, Sendable {
    /// One target power with the slope it detects and that slope's bias in the target.
    public struct Detected: JSONRecord, Sendable {
        public var power: Double
        public var slope: Double
        public var bias: Double

        public init(power: Double, slope: Double, bias: Double) {
            self.power = power
            self.slope = slope
            self.bias = bias
        }
    }

    public var estimator: String
    public var alpha: Double
    public var degreesOfFreedom: Int
    public var criticalValue: Double
    public var referencePeriod: Int
    public var preEventTimes: [Int]
    public var yearOnYear: Bool
    public var target: String
    public var targetEventTimes: [Int]
    public var detected: [Detected]
    public var note: String?

    public init(estimator: String, alpha: Double, degreesOfFreedom: Int, criticalValue: Double, referencePeriod: Int, preEventTimes: [Int],
                yearOnYear: Bool, target: String, targetEventTimes: [Int], detected: [Detected], note: String?) {
        self.estimator = estimator
        self.alpha = alpha
        self.degreesOfFreedom = degreesOfFreedom
        self.criticalValue = criticalValue
        self.referencePeriod = referencePeriod
        self.preEventTimes = preEventTimes
        self.yearOnYear = yearOnYear
        self.target = target
        self.targetEventTimes = targetEventTimes
        self.detected = detected
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case estimator, alpha, degreesOfFreedom = "df", criticalValue = "critical_value", referencePeriod = "reference_period"
        case preEventTimes = "pre_event_times", yearOnYear = "year_on_year", target, targetEventTimes = "target_event_times", detected, note
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(estimator, forKey: .estimator)
        try container.encode(alpha, forKey: .alpha)
        try container.encode(degreesOfFreedom, forKey: .degreesOfFreedom)
        try container.encode(criticalValue, forKey: .criticalValue)
        try container.encode(referencePeriod, forKey: .referencePeriod)
        try container.encode(preEventTimes, forKey: .preEventTimes)
        try container.encode(yearOnYear, forKey: .yearOnYear)
        try container.encode(target, forKey: .target)
        try container.encode(targetEventTimes, forKey: .targetEventTimes)
        try container.encode(detected, forKey: .detected)
        try container.encodeIfPresent(note, forKey: .note)
    }
}
