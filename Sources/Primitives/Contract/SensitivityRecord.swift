/// One sensitivity curve of `quipu did --sensitivity` (Rambachan & Roth 2023): for one
/// estimator's event study, one restriction (`rm`: relative magnitudes, bound M̄; `sd`:
/// smoothness, bound M) and one target, the robust interval at each bound beside the original
/// interval, and the breakdown value (the largest bound of the grid whose interval excludes zero;
/// null when none does). `error` replaces the intervals when the curve could not be computed.
public struct SensitivityRecord: JSONRecord, Sendable {
    /// One robust interval.
    public struct Interval: Encodable, Sendable {
        public var bound: Double
        public var low: Double?
        public var high: Double?
        public init(bound: Double, low: Double?, high: Double?) {
            self.bound = bound
            self.low = low
            self.high = high
        }
        enum CodingKeys: String, CodingKey { case bound, low = "conf_low", high = "conf_high" }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(bound, forKey: .bound)
            try container.encode(low, forKey: .low)
            try container.encode(high, forKey: .high)
        }
    }

    public var estimator: String
    public var restriction: String
    public var method: String
    public var target: String
    /// The target's weight on each post-period, by event time.
    public var targetWeights: [(eventTime: Int, weight: Double)]
    public var preEventTimes: [Int]
    public var postEventTimes: [Int]
    public var confidenceLevel: Double
    public var original: Interval?
    public var intervals: [Interval]
    public var breakdown: Double?
    public var error: String?

    public init(estimator: String, restriction: String, method: String, target: String,
                targetWeights: [(eventTime: Int, weight: Double)], preEventTimes: [Int], postEventTimes: [Int],
                confidenceLevel: Double, original: Interval?, intervals: [Interval], breakdown: Double?, error: String? = nil) {
        self.estimator = estimator
        self.restriction = restriction
        self.method = method
        self.target = target
        self.targetWeights = targetWeights
        self.preEventTimes = preEventTimes
        self.postEventTimes = postEventTimes
        self.confidenceLevel = confidenceLevel
        self.original = original
        self.intervals = intervals
        self.breakdown = breakdown
        self.error = error
    }

    struct Weight: Encodable {
        let eventTime: Int
        let weight: Double
        enum CodingKeys: String, CodingKey { case eventTime = "event_time", weight }
    }

    enum CodingKeys: String, CodingKey {
        case estimator, restriction, method, target, targetWeights = "target_weights", preEventTimes = "pre_event_times"
        case postEventTimes = "post_event_times", confidenceLevel = "conf_level", original, intervals, breakdown, error
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(estimator, forKey: .estimator)
        try container.encode(restriction, forKey: .restriction)
        try container.encode(method, forKey: .method)
        try container.encode(target, forKey: .target)
        try container.encode(targetWeights.map { Weight(eventTime: $0.eventTime, weight: $0.weight) }, forKey: .targetWeights)
        try container.encode(preEventTimes, forKey: .preEventTimes)
        try container.encode(postEventTimes, forKey: .postEventTimes)
        try container.encode(confidenceLevel, forKey: .confidenceLevel)
        try container.encode(original, forKey: .original)
        try container.encode(intervals, forKey: .intervals)
        try container.encode(breakdown, forKey: .breakdown)
        try container.encodeIfPresent(error, forKey: .error)
    }
}
