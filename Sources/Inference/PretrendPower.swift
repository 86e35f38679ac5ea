// The power of an event study's pre-trend test against a linear violation of parallel trends
// (Roth 2022, "Pretest with Caution: Event-Study Estimates after Testing for Parallel Trends",
// AER: Insights 4(3)): the slope of a trend the Wald pre-test detects with 50% and 80% power, and
// the bias such a trend, continued past the start of support, puts in a post-period target.
//
// Goals, in order:
// 1. The same numbers as diff-diff 3.13's `PreTrendsPower(violation_type="linear",
//    pretest_form="wald")` (Tests/Fixtures/pretrends): the violation δ_t = γ·w_t with
//    w_t = |t − reference| on the pre-period coefficients (Roth's γ units), the statistic
//    δ′Σ⁻¹δ against χ²(K) at level α, its power P(χ²(K, λ) > c) with λ = γ²·w′Σ⁻¹w, and the slope
//    at a target power solved on λ. Asymptotic χ², as diff-diff and Roth, even where quipu's own
//    pre-test uses F(K, G − 1).
// 2. Never misleading: a singular or ill-conditioned Σ is read through its generalized inverse
//    with its rank as K (WaldQuadraticForm, as the pre-test itself), and the result says so.
// 3. The weights describe the violation in the estimator's own base: a linear trend in levels is
//    γ·(t − reference) for coefficients relative to one reference period, and γ for each
//    year-on-year coefficient (Callaway–Sant'Anna's varying base period); the caller gives them.
//    The bias is the unconditional one, γ·Σ_e a_e (e − reference) for a target Σ_e a_e β_e (Roth
//    2022 also studies the bias conditional on passing the pre-test; that is not computed here).

import LinearAlgebra

/// The pre-test's power against a linear trend. See the file's opening comment.
public struct PretrendPower: Sendable {
    /// The slope detected with one power, and the bias it would put in the target.
    public struct Detected: Sendable {
        /// The target power (0.5, 0.8).
        public let power: Double
        /// The slope γ (per period, in the outcome's units) the pre-test detects with `power`.
        public let slope: Double
        /// The bias such a trend puts in the target: γ · Σ_e a_e (e − reference); NaN without a target.
        public let bias: Double
    }

    /// The pre-test's level α.
    public let alpha: Double
    /// Degrees of freedom K of the χ² pre-test (the rank of Σ).
    public let degreesOfFreedom: Int
    /// The critical value c of χ²(K) at α.
    public let criticalValue: Double
    /// w′Σ⁻w: the noncentrality per squared unit of slope.
    public let curvature: Double
    /// The slopes at the target powers, in the order asked.
    public let detected: [Detected]
    /// What qualifies the figures (a rank-deficient covariance), or nil.
    public let note: String?

    /// The power of the pre-test of estimates with covariance `covariance` (pre periods only) against
    /// the violation γ·`weights`, at level `alpha`; the bias in a target whose trend factor is
    /// `targetFactor` (Σ_e a_e (e − reference); nil: no target).
    public init(weights: [Double], covariance: Matrix, alpha: Double, targetFactor: Double?, powers: [Double] = [0.5, 0.8])
        throws(LinearAlgebraError)
    {
        let form = try WaldQuadraticForm(estimates: weights, covariance: covariance)
        self.alpha = alpha
        self.degreesOfFreedom = form.rank
        self.curvature = form.value
        self.note = form.isRankDeficient ? form.rankNote : nil
        let k = Double(form.rank)
        let critical = form.rank > 0 ? ChiSquared(degreesOfFreedom: k).quantile(upperTail: alpha) : .nan
        self.criticalValue = critical
        self.detected = powers.map { power in
            let noncentrality = form.rank > 0 ? NoncentralChiSquared.noncentrality(degreesOfFreedom: k, criticalValue: critical, power: power) : .nan
            let slope = form.value > 0 ? (noncentrality / form.value).squareRoot() : .infinity
            return Detected(power: power, slope: slope, bias: targetFactor.map { slope * $0 } ?? .nan)
        }
    }

    /// The weights of a linear violation on pre-period coefficients at `eventTimes`: |t − reference|
    /// for coefficients relative to one reference period; 1 for year-on-year coefficients.
    public static func linearWeights(eventTimes: [Int], referencePeriod: Int, yearOnYear: Bool) -> [Double] {
        eventTimes.map { yearOnYear ? 1 : Double(abs($0 - referencePeriod)) }
    }

    /// The trend factor of the equally weighted average of post-period coefficients at
    /// `eventTimes`: the mean of (e − reference).
    public static func averageTrendFactor(eventTimes: [Int], referencePeriod: Int) -> Double? {
        guard !eventTimes.isEmpty else { return nil }
        return eventTimes.reduce(0.0) { $0 + Double($1 - referencePeriod) } / Double(eventTimes.count)
    }

    /// The power of the pre-test against the trend of slope `slope`.
    public func power(atSlope slope: Double) -> Double {
        guard degreesOfFreedom > 0 else { return .nan }
        return NoncentralChiSquared(degreesOfFreedom: Double(degreesOfFreedom), noncentrality: slope * slope * curvature).survival(criticalValue)
    }
}
