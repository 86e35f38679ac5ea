/// An estimator's pre-trend test (an entry of `did`'s `pretrend_tests`): the estimator, its Wald
/// test (with the terms tested when the estimator lists them: TWFE's event-study leads) and what
/// was tested, in words, and a note when one qualifies the statistic (a generalized inverse of a
/// rank-deficient covariance, or why there is no statistic); the key is left out without one.
/// `excluded` lists the leads the thin-lead rule left out of the test (PretrendLeads in the DiD
/// module), with their counts; the key is left out when none was.
public struct PretrendTestRecord: JSONRecord, Sendable {
    /// A lead left out of the test: its label, event time, treated units and cohorts.
    public struct Exclusion: Encodable, Sendable {
        public var label: String
        public var eventTime: Int?
        public var treatedUnits: Int
        public var cohorts: Int

        public init(label: String, eventTime: Int?, treatedUnits: Int, cohorts: Int) {
            self.label = label
            self.eventTime = eventTime
            self.treatedUnits = treatedUnits
            self.cohorts = cohorts
        }

        enum CodingKeys: String, CodingKey {
            case label, eventTime = "event_time", treatedUnits = "n_treated", cohorts = "n_cohorts"
        }
    }

    public var estimator: String
    public var test: WaldTestRecord
    public var description: String
    public var note: String?
    public var excluded: [Exclusion]?

    public init(estimator: String, test: WaldTestRecord, description: String, note: String? = nil, excluded: [Exclusion]? = nil) {
        self.estimator = estimator
        self.test = test
        self.description = description
        self.note = note
        self.excluded = excluded
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(estimator, forKey: DynamicKey("estimator"))
        try test.encode(to: encoder)
        try container.encode(description, forKey: DynamicKey("description"))
        try container.encodeIfPresent(note, forKey: DynamicKey("note"))
        try container.encodeIfPresent(excluded, forKey: DynamicKey("excluded"))
    }
}
