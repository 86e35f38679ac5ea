/// The distribution a set of estimates is tested against, chosen once per model (as pyfixest
/// chooses its inference distribution once per fit): Student's t with the covariance's degrees of
/// freedom (N − K, or G − 1 when clustered: FewClusters) or the standard normal (fepois, as fixest
/// and pyfixest do for GLMs, and influence-function inference without degrees of freedom).
///
/// Joint tests follow from it: F(q, df) for t, χ²(q) for the normal. t with infinite degrees of
/// freedom tests like the normal but keeps F(q, ∞) for joint tests (a Poisson TWFE's covariance).
public enum ReferenceDistribution: Sendable, Hashable {
    case studentT(degreesOfFreedom: Double)
    case standardNormal

    /// t with `degreesOfFreedom`, or the standard normal when nil.
    public init(degreesOfFreedom: Double?) {
        self = degreesOfFreedom.map { .studentT(degreesOfFreedom: $0) } ?? .standardNormal
    }

    /// The degrees of freedom of t; nil for the normal.
    public var degreesOfFreedom: Double? {
        if case .studentT(let degrees) = self { return degrees }
        return nil
    }

    /// The two-sided critical value of an interval at confidence `level`, e.g. 1.96 at 0.95.
    public func criticalValue(level: Double) -> Double {
        switch self {
        case .studentT(let degrees): return StudentT(degreesOfFreedom: degrees).quantile(0.5 + level / 2)
        case .standardNormal: return StandardNormal.quantile(0.5 + level / 2)
        }
    }

    /// The two-sided p-value of `statistic` (NaN for NaN).
    public func twoSidedPValue(_ statistic: Double) -> Double {
        switch self {
        case .studentT(let degrees): return StudentT(degreesOfFreedom: degrees).twoSidedPValue(statistic)
        case .standardNormal: return statistic.isNaN ? .nan : 2 * StandardNormal.survival(abs(statistic))
        }
    }
}
