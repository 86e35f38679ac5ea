/// The canonical 2x2 comparison of a `did` run (ever- against never-treated units, before against
/// after), as TWFE's entry writes it: the regression coefficient with its inference, its
/// percentage change with a Poisson model, and the same estimate as a difference of the four
/// means (least squares only; null otherwise).
public struct TwoByTwoRecord: JSONRecord, Sendable {
    public var coefficient: CoefficientRecord
    public var percentChange: PercentChangeRecord?
    public var differenceOfMeans: Double?

    public init(coefficient: CoefficientRecord, percentChange: PercentChangeRecord?, differenceOfMeans: Double?) {
        self.coefficient = coefficient
        self.percentChange = percentChange
        self.differenceOfMeans = differenceOfMeans
    }

    public func encode(to encoder: any Encoder) throws {
        try coefficient.encode(to: encoder)
        try percentChange?.encode(to: encoder)
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(differenceOfMeans, forKey: DynamicKey("difference_of_means"))
    }
}
