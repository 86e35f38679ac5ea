/// One estimate with its inference, as every estimate of every command writes it:
/// `estimate, std_error, statistic, p_value, conf_low, conf_high`, each a number or `null` (JSON
/// has no NaN; a number that was not computed or is not finite is written as null).
public struct InferenceRecord: JSONRecord, Sendable {
    public var estimate: Double?
    public var standardError: Double?
    public var statistic: Double?
    public var pValue: Double?
    public var confidenceLow: Double?
    public var confidenceHigh: Double?

    public init(estimate: Double?, standardError: Double?, statistic: Double?, pValue: Double?,
                confidenceLow: Double?, confidenceHigh: Double?) {
        self.estimate = estimate
        self.standardError = standardError
        self.statistic = statistic
        self.pValue = pValue
        self.confidenceLow = confidenceLow
        self.confidenceHigh = confidenceHigh
    }

    enum CodingKeys: String, CodingKey {
        case estimate, standardError = "std_error", statistic, pValue = "p_value", confidenceLow = "conf_low", confidenceHigh = "conf_high"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // `encode`, not `encodeIfPresent`: an absent number is written as null, never left out.
        try container.encode(estimate, forKey: .estimate)
        try container.encode(standardError, forKey: .standardError)
        try container.encode(statistic, forKey: .statistic)
        try container.encode(pValue, forKey: .pValue)
        try container.encode(confidenceLow, forKey: .confidenceLow)
        try container.encode(confidenceHigh, forKey: .confidenceHigh)
    }
}

/// A named coefficient: `term` then its `InferenceRecord`.
public struct CoefficientRecord: JSONRecord, Sendable {
    public var term: String
    public var inference: InferenceRecord

    public init(term: String, inference: InferenceRecord) {
        self.term = term
        self.inference = inference
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(term, forKey: DynamicKey("term"))
        try inference.encode(to: encoder)
    }
}
