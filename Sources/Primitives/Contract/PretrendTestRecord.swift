/// An estimator's pre-trend test (an entry of `did`'s `pretrend_tests`): the estimator, its Wald
/// test (with the terms tested when the estimator lists them: TWFE's event-study leads) and what
/// was tested, in words.
public struct PretrendTestRecord: JSONRecord, Sendable {
    public var estimator: String
    public var test: WaldTestRecord
    public var description: String

    public init(estimator: String, test: WaldTestRecord, description: String) {
        self.estimator = estimator
        self.test = test
        self.description = description
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(estimator, forKey: DynamicKey("estimator"))
        try test.encode(to: encoder)
        try container.encode(description, forKey: DynamicKey("description"))
    }
}
