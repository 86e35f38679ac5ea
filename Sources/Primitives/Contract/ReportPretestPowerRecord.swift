/// One headline's pre-test power in the report's results.json (`trust.pretest_power`, issue 23,
/// point 6): the programme and outcome, then the estimator's PretrendPowerRecord (the linear
/// trend its pre-trend test detects with 50% and 80% power and that trend's bias in the average
/// post-period effect; Roth 2022), the same keys as `did`'s `pretrend_power`.
public struct ReportPretestPowerRecord: JSONRecord, Sendable {
    public var programme: String
    public var outcome: String
    public var power: PretrendPowerRecord

    public init(programme: String, outcome: String, power: PretrendPowerRecord) {
        self.programme = programme
        self.outcome = outcome
        self.power = power
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(programme, forKey: DynamicKey("programme"))
        try container.encode(outcome, forKey: DynamicKey("outcome"))
        try power.encode(to: encoder)
    }
}
