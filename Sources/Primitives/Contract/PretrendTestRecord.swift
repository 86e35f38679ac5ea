/// An estimator's pre-trend test (an entry of `did`'s `pretrend_tests`): the estimator, its Wald
/// test (with the terms tested when the estimator lists them: TWFE's event-study leads) and what
/// was tested, in words, and a note when one qualifies the statistic (a generalized inverse of a
/// rank-deficient covariance, or why there is no statistic); the key is left out without one.
public struct PretrendTestRecord: JSONRecord, Sendable {
    public var estimator: String
    public var test: WaldTestRecord
    public var description: String
    public var note: String?

    public init(estimator: String, test: WaldTestRecord, description: String, note: String? = nil) {
        self.estimator = estimator
        self.test = test
        self.description = description
        self.note = note
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(estimator, forKey: DynamicKey("estimator"))
        try test.encode(to: encoder)
        try container.encode(description, forKey: DynamicKey("description"))
        try container.encodeIfPresent(note, forKey: DynamicKey("note"))
    }
}
