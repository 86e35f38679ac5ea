/// A uniform (sup-t) band around an estimate: `uniform_low`, `uniform_high`.
public struct UniformBandRecord: JSONRecord, Sendable {
    public var low: Double
    public var high: Double

    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }

    enum CodingKeys: String, CodingKey {
        case low = "uniform_low", high = "uniform_high"
    }
}
