/// A cell of a DiD estimator (`did`'s `att_gt`, and Sun–Abraham's `cohort_period`): the cohort,
/// the period and/or event time, the estimate with its standard error and interval, the treated
/// and comparison units (null when the estimator has no comparison group of its own), and the
/// uniform band when the bootstrap gave one.
public struct CellRecord: JSONRecord, Sendable {
    public var estimator: String
    public var group: Int
    public var time: Int?
    public var eventTime: Int?
    public var estimate: Double
    public var standardError: Double
    public var confidenceLow: Double
    public var confidenceHigh: Double
    public var treatedUnits: Int
    public var controlUnits: Int?
    public var uniformBand: UniformBandRecord?
    /// The cell's log ratio as a percentage change (a proportional effect's cells).
    public var percentChange: PercentChangeRecord?
    /// The scale when it is not the outcome's own: "log_ratio" for a log ratio of means (the
    /// extended TWFE's Poisson rows).
    public var scale: String?
    /// The quantile τ of a quantile effect (`did --estimator cic|qdid|qtt`); absent for a mean effect.
    public var quantile: Double?

    public init(estimator: String, group: Int, time: Int?, eventTime: Int?, estimate: Double, standardError: Double,
                confidenceLow: Double, confidenceHigh: Double, treatedUnits: Int, controlUnits: Int?, uniformBand: UniformBandRecord?,
                percentChange: PercentChangeRecord? = nil, scale: String? = nil, quantile: Double? = nil) {
        self.quantile = quantile
        self.estimator = estimator
        self.group = group
        self.time = time
        self.eventTime = eventTime
        self.estimate = estimate
        self.standardError = standardError
        self.confidenceLow = confidenceLow
        self.confidenceHigh = confidenceHigh
        self.treatedUnits = treatedUnits
        self.controlUnits = controlUnits
        self.uniformBand = uniformBand
        self.percentChange = percentChange
        self.scale = scale
    }

    enum CodingKeys: String, CodingKey {
        case estimator, group, time, eventTime = "event_time", estimate, standardError = "std_error"
        case confidenceLow = "conf_low", confidenceHigh = "conf_high", treatedUnits = "n_treated", controlUnits = "n_control", scale, quantile
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(estimator, forKey: .estimator)
        try container.encode(group, forKey: .group)
        try container.encodeIfPresent(quantile, forKey: .quantile)
        try container.encodeIfPresent(time, forKey: .time)
        try container.encodeIfPresent(eventTime, forKey: .eventTime)
        try container.encode(estimate, forKey: .estimate)
        try container.encode(standardError, forKey: .standardError)
        try container.encode(confidenceLow, forKey: .confidenceLow)
        try container.encode(confidenceHigh, forKey: .confidenceHigh)
        try container.encode(treatedUnits, forKey: .treatedUnits)
        // null, not left out, for an estimator without comparison units of the cell's own.
        try container.encode(controlUnits, forKey: .controlUnits)
        try uniformBand?.encode(to: encoder)
        if let scale { try container.encode(scale, forKey: .scale) }
        try percentChange?.encode(to: encoder)
    }
}
