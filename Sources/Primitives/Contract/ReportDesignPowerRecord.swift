/// One headline's design power in the report's results.json (`trust.design_power`, issue 23,
/// point 6): the minimum detectable effect with 80% power by a two-sided test at `significance`
/// (Burlig, Preonas & Woerman 2020, calibrated on the report's panel), the design it assumes
/// (supported and never-supported units, periods before and from the start, the start period and
/// whether starts were staggered), and the headline estimate beside it; `failure` (the numbers
/// then null) when it could not be computed.
public struct ReportDesignPowerRecord: JSONRecord, Sendable {
    public var programme: String
    public var outcome: String
    public var treated: Int
    public var controls: Int
    public var prePeriods: Int
    public var postPeriods: Int
    public var start: Int
    public var staggered: Bool
    public var power: Double
    public var significance: Double
    public var mde: Double?
    public var estimate: Double?
    public var failure: String?

    public init(programme: String, outcome: String, treated: Int, controls: Int, prePeriods: Int, postPeriods: Int, start: Int,
                staggered: Bool, power: Double, significance: Double, mde: Double?, estimate: Double?, failure: String?) {
        self.programme = programme
        self.outcome = outcome
        self.treated = treated
        self.controls = controls
        self.prePeriods = prePeriods
        self.postPeriods = postPeriods
        self.start = start
        self.staggered = staggered
        self.power = power
        self.significance = significance
        self.mde = mde
        self.estimate = estimate
        self.failure = failure
    }

    enum CodingKeys: String, CodingKey {
        case programme, outcome, treated = "n_treated", controls = "n_control", prePeriods = "pre_periods", postPeriods = "post_periods"
        case start, staggered, power, significance, mde, estimate, failure
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(programme, forKey: .programme)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(treated, forKey: .treated)
        try container.encode(controls, forKey: .controls)
        try container.encode(prePeriods, forKey: .prePeriods)
        try container.encode(postPeriods, forKey: .postPeriods)
        try container.encode(start, forKey: .start)
        try container.encode(staggered, forKey: .staggered)
        try container.encode(power, forKey: .power)
        try container.encode(significance, forKey: .significance)
        try container.encode(mde, forKey: .mde)
        try container.encode(estimate, forKey: .estimate)
        try container.encode(failure, forKey: .failure)
    }
}
