import Foundation

/// An estimate in log points (a Poisson model's) as a percentage change, 100·(exp(b) − 1), with
/// its interval's ends transformed the same way: `percent_change`, `percent_conf_low`,
/// `percent_conf_high`.
public struct PercentChangeRecord: JSONRecord, Sendable {
    public var change: Double
    public var low: Double
    public var high: Double

    /// The percentage change of `logPoints` and of its interval `low`…`high`.
    public init(logPoints: Double, low: Double, high: Double) {
        change = 100 * expm1(logPoints)
        self.low = 100 * expm1(low)
        self.high = 100 * expm1(high)
    }

    enum CodingKeys: String, CodingKey {
        case change = "percent_change", low = "percent_conf_low", high = "percent_conf_high"
    }
}
