/// An effect in a DiD estimator's effect set, as `did`'s `aggregates` writes it: which estimator
/// and aggregation, its `label` (`att`, `e2`, `g2006`, `t2007`; the name `--combine` uses), whether
/// it is the aggregation's overall entry, what it is by (`[{"event_time": 2}]`, `[]` for an
/// overall entry), its inference, the treated units and cohorts behind it, and the uniform band
/// and percentage change when there are any.
public struct AggregateRecord: JSONRecord, Sendable {
    public var estimator: String
    public var type: String
    public var label: String
    public var overall: Bool
    public var by: ByRecord?
    public var inference: InferenceRecord
    public var treatedUnits: Int
    public var cohortCount: Int
    public var uniformBand: UniformBandRecord?
    public var percentChange: PercentChangeRecord?
    /// The scale when it is not the outcome's own: "log_ratio" for a log ratio of means (the
    /// extended TWFE's Poisson rows).
    public var scale: String?
    /// The quantile τ of a quantile effect (`did --estimator cic|qdid|qtt`); absent for a mean effect.
    public var quantile: Double?

    public init(estimator: String, type: String, label: String, overall: Bool, by: ByRecord?, inference: InferenceRecord,
                treatedUnits: Int, cohortCount: Int, uniformBand: UniformBandRecord?, percentChange: PercentChangeRecord?, scale: String? = nil,
                quantile: Double? = nil) {
        self.quantile = quantile
        self.estimator = estimator
        self.type = type
        self.label = label
        self.overall = overall
        self.by = by
        self.inference = inference
        self.treatedUnits = treatedUnits
        self.cohortCount = cohortCount
        self.uniformBand = uniformBand
        self.percentChange = percentChange
        self.scale = scale
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(estimator, forKey: DynamicKey("estimator"))
        try container.encode(type, forKey: DynamicKey("type"))
        try container.encode(label, forKey: DynamicKey("label"))
        try container.encode(overall, forKey: DynamicKey("overall"))
        try container.encode(by.map { [$0] } ?? [], forKey: DynamicKey("by"))
        try container.encodeIfPresent(quantile, forKey: DynamicKey("quantile"))
        try inference.encode(to: encoder)
        try container.encode(treatedUnits, forKey: DynamicKey("n_treated"))
        try container.encode(cohortCount, forKey: DynamicKey("n_cohorts"))
        try uniformBand?.encode(to: encoder)
        try container.encodeIfPresent(scale, forKey: DynamicKey("scale"))
        try percentChange?.encode(to: encoder)
    }
}

/// What an aggregate is by: one of an event time, a cohort (`group`) or a calendar period.
public struct ByRecord: JSONRecord, Sendable {
    public var eventTime: Int?
    public var group: Int?
    public var time: Int?

    public init(eventTime: Int? = nil, group: Int? = nil, time: Int? = nil) {
        self.eventTime = eventTime
        self.group = group
        self.time = time
    }

    enum CodingKeys: String, CodingKey {
        case eventTime = "event_time", group, time
    }
}
