// Analytic power of a difference-in-differences design on panel data with serially correlated
// errors: the minimum detectable effect (MDE) for given firm counts, years, significance level and
// power, and the power against a given effect.
//
// Goals: the variance of the DiD estimate is the one Burlig, Preonas & Woerman (2020, "Panel data
// and experimental design", Journal of Development Economics 144, 102458) derive for J units, a
// share P of them treated, m pre- and r post-periods and errors with any within-unit covariance
// (their equation 2), so that the MDE does not assume independent years; when the covariances are
// estimated from a pilot panel's residuals the formula is their residual-based one (section 4 and
// the Stata package pcpanel, `pc_dd_analytic` with `depvar()`), which undoes the bias that removing
// unit and period effects puts into the estimated covariances. Critical values come from Student's
// t with J degrees of freedom when errors are serially correlated and J(m+r) − (J+m+r) otherwise,
// as pcpanel does; `.normal` gives Bloom's (1995) normal approximation that diff-diff's
// `PowerAnalysis` uses.
//
// Peers: pcpanel 3.0 (`pc_dd_analytic.ado`, `pc_dd_covar.ado`); diff-diff 3.13.0's
// `PowerAnalysis` implements equation 2 for equicorrelated errors only (ψᴮ = ψᴬ = ψˣ = ρσ²) with
// normal critical values, which this type reproduces with `.equicorrelated` and `.normal`
// (Tests/Fixtures/power/make_power_reference.py checks both against a dense computation).

import Inference

/// A DiD design's analytic power (Burlig, Preonas & Woerman 2020).
public struct DesignPower: Sendable {
    /// Treated and control units of the planned evaluation.
    public let treated: Int, controls: Int
    /// Periods before and after support starts.
    public let prePeriods: Int, postPeriods: Int
    /// The errors' covariance structure.
    public let errors: ErrorCovariance
    /// The test's significance level (two-sided).
    public let significance: Double
    /// Where the critical values come from.
    public let criticalValues: CriticalValues

    /// The distribution of the critical values.
    public enum CriticalValues: String, Sendable, CaseIterable {
        /// Student's t with BPW's degrees of freedom (pcpanel).
        case studentT = "t"
        /// The normal approximation (Bloom 1995; diff-diff).
        case normal
    }

    /// Validates the design. Throws `PowerError` naming the first value out of range.
    public init(treated: Int, controls: Int, prePeriods: Int, postPeriods: Int, errors: ErrorCovariance,
                significance: Double = 0.05, criticalValues: CriticalValues = .studentT) throws(PowerError) {
        guard treated >= 1 else { throw .treatedFirms(treated) }
        guard controls >= 1 else { throw .controlFirms(controls) }
        guard prePeriods >= 1 else { throw .prePeriods(prePeriods) }
        guard postPeriods >= 1 else { throw .postPeriods(postPeriods) }
        guard significance > 0, significance < 1 else { throw .significance(significance) }
        guard errors.variance > 0, errors.variance.isFinite else { throw .nonPositiveVariance(errors.variance) }
        self.treated = treated
        self.controls = controls
        self.prePeriods = prePeriods
        self.postPeriods = postPeriods
        self.errors = errors
        self.significance = significance
        self.criticalValues = criticalValues
        let variance = periodVariance
        guard variance > 0, variance.isFinite else { throw .nonPositiveDesignVariance(variance) }
    }

    /// The units of the design, J.
    public var units: Int { treated + controls }

    /// The bracket of BPW's equation 2: the variance of a unit's post-minus-pre mean difference
    /// (so that Var(τ̂) = bracket · (1/treated + 1/controls)). With population parameters it is
    /// (m+r)/(mr)·σ² + (m−1)/m·ψᴮ + (r−1)/r·ψᴬ − 2ψˣ; with covariances estimated from two-way
    /// demeaned residuals of J̃ pilot units, the demeaning ties ψˣ to the others and BPW's
    /// residual form is J̃(m+r)²/(J̃−1) · [(m+r)/(2m²r²)·σ̂² + (r−1)/(2m²r)·ψ̂ᴬ + (m−1)/(2mr²)·ψ̂ᴮ].
    public var periodVariance: Double {
        let m = Double(prePeriods), r = Double(postPeriods)
        let e = errors
        switch e.origin {
        case .given:
            return (m + r) / (m * r) * e.variance + (m - 1) / m * e.preCovariance + (r - 1) / r * e.postCovariance - 2 * e.crossCovariance
        case let .pilot(pilotUnits, _):
            let t = m + r
            let bracket = t / (2 * m * m * r * r) * e.variance
                + (r - 1) / (2 * m * m * r) * (postPeriods > 1 ? e.postCovariance : 0)
                + (m - 1) / (2 * m * r * r) * (prePeriods > 1 ? e.preCovariance : 0)
            return pilotUnits * t * t / (pilotUnits - 1) * bracket
        }
    }

    /// The standard error of the DiD estimate.
    public var standardError: Double {
        (periodVariance * (1 / Double(treated) + 1 / Double(controls))).squareRoot()
    }

    /// The degrees of freedom of the critical values (infinite for `.normal`).
    public var degreesOfFreedom: Double {
        switch criticalValues {
        case .normal: return .infinity
        case .studentT:
            let j = Double(units), t = Double(prePeriods + postPeriods)
            return errors.isSeriallyCorrelated ? j : max(1, j * t - (j + t))
        }
    }

    private var distribution: StudentT { StudentT(degreesOfFreedom: degreesOfFreedom) }

    /// The two-sided test's critical value.
    public var criticalValue: Double { distribution.quantile(1 - significance / 2) }

    /// The smallest effect the design detects with probability `power`:
    /// (t₁₋α/₂ + t_power) · SE.
    public func minimumDetectableEffect(power: Double) throws(PowerError) -> Double {
        guard power > 0, power < 1 else { throw .power(power) }
        return (criticalValue + distribution.quantile(power)) * standardError
    }

    /// The probability that the two-sided test rejects when the true effect is `effect`, with the
    /// estimate's distribution shifted by effect/SE (both tails: a rejection with the wrong sign
    /// counts, as diff-diff counts it; pcpanel keeps the main tail only, a difference of at most
    /// α/2 and far less once the effect is not small).
    public func power(effect: Double) -> Double {
        let shift = abs(effect) / standardError
        let c = criticalValue
        return distribution.cdf(shift - c) + distribution.cdf(-shift - c)
    }
}
