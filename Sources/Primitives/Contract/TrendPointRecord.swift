/// One point of a descriptive trend (`quipu trends`, and the report's `trends`): the group, the
/// period, the rows behind it and the statistic's value (null when it has none).
public struct TrendPointRecord: JSONRecord, Sendable {
    public var group: String
    public var period: Int
    public var count: Int
    public var value: Double

    public init(group: String, period: Int, count: Int, value: Double) {
        self.group = group
        self.period = period
        self.count = count
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case group, period, count = "n", value
    }
}
