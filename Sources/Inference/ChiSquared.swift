import Foundation

/// The χ² distribution, for Wald tests whose covariance comes from influence functions (no
/// residual degrees of freedom, so no F reference distribution).
public struct ChiSquared: Sendable {
    /// Degrees of freedom.
    public let degreesOfFreedom: Double

    public init(degreesOfFreedom: Double) { self.degreesOfFreedom = degreesOfFreedom }

    /// P(X ≥ x): the regularized upper incomplete gamma function Q(k/2, x/2).
    public func survival(_ x: Double) -> Double {
        guard x.isFinite else { return x.isNaN ? .nan : 0 }
        guard x > 0 else { return 1 }
        return Self.upperRegularizedGamma(degreesOfFreedom / 2, x / 2)
    }

    /// Q(a, x), by its power series below a + 1 and Lentz's continued fraction above
    /// (Abramowitz & Stegun 6.5.29 and 6.5.31), both accurate to about 1e-15.
    static func upperRegularizedGamma(_ a: Double, _ x: Double) -> Double {
        let logPrefactor = a * Foundation.log(x) - x - lgamma(a)
        if x < a + 1 {
            var term = 1 / a, sum = term, denominator = a
            for _ in 0..<10_000 {
                denominator += 1
                term *= x / denominator
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - sum * Foundation.exp(logPrefactor))
        }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return Foundation.exp(logPrefactor) * h
    }
}
