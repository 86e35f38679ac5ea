import Primitives
/// A coefficient's bootstrap inference, as shown beside the analytic one.
public struct BootstrapSummary: Sendable {
    /// `wild` or `pairs`.
    public let method: String
    /// The weights' distribution (wild) or nil (pairs).
    public let weights: String?
    public let replicates: Int
    public let seed: UInt64
    /// Wild: whether the null was imposed (WCR) and whether sign vectors were enumerated.
    public let imposeNull: Bool?
    public let fullEnumeration: Bool
    /// The p-value of H0: coefficient = 0 (wild), or nil (pairs).
    public let pValue: Double?
    /// Bootstrap standard error (pairs), or nil.
    public let standardError: Double?
    public let confidenceLow: Double
    public let confidenceHigh: Double
    /// The cluster variable whose clusters were resampled or weighted.
    public let cluster: String
    /// Pairs: the normal interval (estimate ± z·SE), beside the percentile one.
    public let normalInterval: (low: Double, high: Double)?
    /// Pairs: replicates in which the model could not be estimated.
    public let failedReplicates: Int

    /// Creates a summary.
    public init(method: String, weights: String?, replicates: Int, seed: UInt64, imposeNull: Bool?, fullEnumeration: Bool,
                pValue: Double?, standardError: Double?, confidenceLow: Double, confidenceHigh: Double, cluster: String,
                normalInterval: (low: Double, high: Double)? = nil, failedReplicates: Int = 0) {
        self.normalInterval = normalInterval
        self.failedReplicates = failedReplicates
        self.method = method
        self.weights = weights
        self.replicates = replicates
        self.seed = seed
        self.imposeNull = imposeNull
        self.fullEnumeration = fullEnumeration
        self.pValue = pValue
        self.standardError = standardError
        self.confidenceLow = confidenceLow
        self.confidenceHigh = confidenceHigh
        self.cluster = cluster
    }

    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("method", .string(method)), ("weights", weights.map { .string($0) } ?? .null),
                                            ("reps", .integer(replicates)), ("seed", .integer(Int(truncatingIfNeeded: seed)))]
        if let imposeNull { pairs.append(("impose_null", .bool(imposeNull))) }
        pairs.append(("full_enumeration", .bool(fullEnumeration)))
        pairs.append(("cluster", .string(cluster)))
        pairs.append(("p_value", .finite(pValue)))
        if let standardError { pairs.append(("std_error", .finite(standardError))) }
        pairs.append(("conf_low", .finite(confidenceLow)))
        pairs.append(("conf_high", .finite(confidenceHigh)))
        if isUnbounded { pairs.append(("conf_unbounded", .bool(true))) }
        if let normalInterval {
            pairs.append(("interval", .string("percentile")))
            pairs.append(("normal_conf_low", .finite(normalInterval.low)))
            pairs.append(("normal_conf_high", .finite(normalInterval.high)))
            pairs.append(("failed_reps", .integer(failedReplicates)))
        }
        return .object(pairs)
    }

    /// One line for the text report.
    public func line(term: String) -> String {
        let kind = method == "wild"
            ? "wild cluster bootstrap (\(imposeNull == false ? "WCU" : "WCR"), \(weights ?? ""), "
                + (fullEnumeration ? "all \(replicates) sign vectors" : "\(replicates) reps, seed \(seed)") + ", by \(cluster))"
            : "pairs cluster bootstrap (\(replicates) reps, seed \(seed), by \(cluster))"
        var text = "\(term): \(kind): "
        if let pValue { text += "p = \(NumberFormat.pValue(pValue)), " }
        if let standardError { text += "SE = \(NumberFormat.significant(standardError)), " }
        let interval = "CI [\(NumberFormat.significant(confidenceLow)), \(NumberFormat.significant(confidenceHigh))]"
        return text + interval + (isUnbounded ? " (unbounded: values however far from the estimate are not rejected, as happens with very few clusters)" : "")
    }

    /// Whether the confidence set has no finite end (an infinite bound).
    public var isUnbounded: Bool { confidenceLow == -.infinity || confidenceHigh == .infinity }
}
