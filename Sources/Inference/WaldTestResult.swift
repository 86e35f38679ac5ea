/// A joint Wald test that some estimates are all zero: W = b′V⁻¹b over the q tested estimates b
/// and their covariance block V, stated as F = W/q against F(q, df) when the estimates are tested
/// against t with df degrees of freedom, and as W against χ²(q) when against the normal
/// (EstimateInference.waldTest computes it; ReferenceDistribution says which).
///
/// The F test's df is the covariance's: G − 1 when clustered, N − K otherwise, the same as the
/// estimates' t tests. The peers differ here: R fixest's `wald()` uses N − K whatever the vcov, and
/// pyfixest's `wald_test` switches to a χ²(q) test for a subset of coefficients; with few clusters
/// G − 1 is the conservative choice (the fixtures in Tests/Fixtures/did record all three).
public struct WaldTestResult: Sendable {
    /// Why a test has no statistic.
    public enum Undefined: Sendable, Equatable {
        /// No estimates to test.
        case noEstimates
        /// The covariance of the tested estimates is undefined: the reason of a covariance without
        /// degrees of freedom (its note says it already), or nil for NaN entries.
        case covariance(String?)
        /// A rule, not the numbers: more restrictions than a cluster-robust covariance has rank.
        case tooFewClusters(String)
        /// The covariance block has rank zero or cannot be decomposed (the linear-algebra error).
        case singular(String)
        /// The tested estimates come from separate regressions with different reference
        /// distributions (TWFE's coefficient and its event study): no one F or χ² states them
        /// jointly; test within one regression instead.
        case mixedDistributions
    }

    /// F = W/q for an F test, W for a χ² test; NaN when undefined.
    public let statistic: Double
    /// Numerator degrees of freedom q (the number of tested estimates).
    public let numeratorDegrees: Int
    /// Denominator degrees of freedom of an F test; nil for a χ² test.
    public let denominatorDegrees: Double?
    /// P(F ≥ statistic) or P(χ² ≥ statistic); NaN when undefined.
    public let pValue: Double
    /// Why the test is undefined, or nil.
    public let undefined: Undefined?
    /// What was tested, as reports state it, e.g. "leads -5 to -2 (Wald F)".
    public let description: String
    /// What qualifies the statistic, for a note beside it: a generalized inverse of a singular or
    /// ill-conditioned covariance with its rank as the degrees of freedom (WaldQuadraticForm), or
    /// why the test has no statistic; nil otherwise.
    public let note: String?
    /// Estimates a rule left out of the test (labels, e.g. `e-12`: pre-trend leads that rest on
    /// too few treated units, PretrendLeads in the DiD module); the note says which and why.
    public var excluded: [String] = []

    public init(statistic: Double, numeratorDegrees: Int, denominatorDegrees: Double?, pValue: Double,
                undefined: Undefined? = nil, description: String = "", note: String? = nil) {
        self.statistic = statistic
        self.numeratorDegrees = numeratorDegrees
        self.denominatorDegrees = denominatorDegrees
        self.pValue = pValue
        self.undefined = undefined
        self.description = description
        self.note = note
    }

    /// The same test described as `text`.
    public func described(_ text: String) -> WaldTestResult {
        var copy = WaldTestResult(statistic: statistic, numeratorDegrees: numeratorDegrees, denominatorDegrees: denominatorDegrees,
                                  pValue: pValue, undefined: undefined, description: text, note: note)
        copy.excluded = excluded
        return copy
    }

    /// The same test with `text` as its note.
    public func noted(_ text: String?) -> WaldTestResult {
        var copy = WaldTestResult(statistic: statistic, numeratorDegrees: numeratorDegrees, denominatorDegrees: denominatorDegrees,
                                  pValue: pValue, undefined: undefined, description: description, note: text)
        copy.excluded = excluded
        return copy
    }

    /// The reason a rule makes the test undefined (too few clusters), for a note; nil when the test
    /// is defined or the covariance's own note already says why.
    public var ruleReason: String? {
        if case .tooFewClusters(let reason) = undefined { return reason }
        return nil
    }
}
