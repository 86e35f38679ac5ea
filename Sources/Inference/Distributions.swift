#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard normal distribution.
public enum StandardNormal {
    /// P(Z ≤ z).
    public static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// The upper tail P(Z > z), accurate far into the tail.
    public static func survival(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }

    /// The quantile function, by bisection-safeguarded Newton steps on `cdf`.
    public static func quantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        return invert(p, lower: -40, upper: 40, cdf: cdf, density: { exp(-0.5 * $0 * $0) / (2 * Double.pi).squareRoot() })
    }
}

/// Student's t distribution with `degreesOfFreedom` degrees of freedom.
public struct StudentT: Sendable {
    /// The degrees of freedom (need not be an integer).
    public let degreesOfFreedom: Double

    /// Creates the distribution.
    public init(degreesOfFreedom: Double) { self.degreesOfFreedom = degreesOfFreedom }

    /// P(T ≤ t).
    public func cdf(_ t: Double) -> Double {
        if t.isNaN { return .nan }
        if degreesOfFreedom.isInfinite { return StandardNormal.cdf(t) }
        let tail = 0.5 * twoSidedPValue(t)
        return t < 0 ? tail : 1 - tail
    }

    /// The two-sided p-value P(|T| ≥ |t|), computed from the tail directly to keep small values.
    public func twoSidedPValue(_ t: Double) -> Double {
        if t.isNaN { return .nan }
        if degreesOfFreedom.isInfinite { return 2 * StandardNormal.survival(abs(t)) }
        let denominator = degreesOfFreedom + t * t
        return SpecialFunctions.regularizedIncompleteBeta(
            degreesOfFreedom / denominator, complement: t * t / denominator, degreesOfFreedom / 2, 0.5)
    }

    /// The quantile function.
    public func quantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        if degreesOfFreedom.isInfinite { return StandardNormal.quantile(p) }
        let nu = degreesOfFreedom
        let logNormaliser = lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * log(nu * Double.pi)
        let density = { (t: Double) in exp(logNormaliser - (nu + 1) / 2 * log1p(t * t / nu)) }
        return invert(p, lower: -1e8, upper: 1e8, cdf: cdf, density: density)
    }
}

/// The F distribution with `numerator` and `denominator` degrees of freedom.
public struct FDistribution: Sendable {
    /// Numerator degrees of freedom.
    public let numerator: Double
    /// Denominator degrees of freedom.
    public let denominator: Double

    /// Creates the distribution.
    public init(numerator: Double, denominator: Double) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The upper tail P(F ≥ f): the p-value of a Wald F test.
    public func survival(_ f: Double) -> Double {
        if f.isNaN { return .nan }
        if f <= 0 { return 1 }
        let total = denominator + numerator * f
        return SpecialFunctions.regularizedIncompleteBeta(
            denominator / total, complement: numerator * f / total, denominator / 2, numerator / 2)
    }
}

/// Inverts a continuous, increasing `cdf` at `p` by Newton steps kept inside a shrinking bracket.
func invert(_ p: Double, lower: Double, upper: Double, cdf: (Double) -> Double, density: (Double) -> Double) -> Double {
    var low = lower
    var high = upper
    var x = 0.0
    for _ in 0..<400 {
        let value = cdf(x) - p
        if value == 0 { return x }
        if value < 0 { low = x } else { high = x }
        let slope = density(x)
        var next = x - value / slope
        if !(next > low && next < high) || !slope.isNormal { next = 0.5 * (low + high) }
        if abs(next - x) <= 1e-15 * max(1, abs(x)) { return next }
        x = next
    }
    return x
}
