/// A Wald test of several coefficients being zero, F form: `statistic` (F), `df1` (the number
/// of restrictions), `df2` (the denominator's degrees of freedom) and `p_value`, with the
/// `terms` tested when the writer lists them.
public struct WaldTestRecord: JSONRecord, Sendable {
    public var statistic: Double?
    public var numeratorDegrees: Int
    public var denominatorDegrees: Double?
    public var pValue: Double?
    public var terms: [String]?

    public init(statistic: Double?, numeratorDegrees: Int, denominatorDegrees: Double?, pValue: Double?, terms: [String]? = nil) {
        self.statistic = statistic
        self.numeratorDegrees = numeratorDegrees
        self.denominatorDegrees = denominatorDegrees
        self.pValue = pValue
        self.terms = terms
    }

    enum CodingKeys: String, CodingKey {
        case statistic, numeratorDegrees = "df1", denominatorDegrees = "df2", pValue = "p_value", terms
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // The numbers are null when not computed; `terms` is left out when the writer has none.
        try container.encode(statistic, forKey: .statistic)
        try container.encode(numeratorDegrees, forKey: .numeratorDegrees)
        try container.encode(denominatorDegrees, forKey: .denominatorDegrees)
        try container.encode(pValue, forKey: .pValue)
        try container.encodeIfPresent(terms, forKey: .terms)
    }
}
