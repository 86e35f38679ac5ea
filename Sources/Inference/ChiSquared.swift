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

    /// The x with P(X ≥ x) = `upperTail` (the critical value of a test at level `upperTail`), by
    /// bisection on the survival function to relative precision 1e-15; NaN outside (0, 1).
    public func quantile(upperTail: Double) -> Double {
        guard upperTail > 0 && upperTail < 1, degreesOfFreedom > 0 else { return .nan }
        var low = 0.0, high = max(1, degreesOfFreedom)
        while survival(high) > upperTail { low = high; high *= 2 }
        return bisect(low: low, high: high) { survival($0) > upperTail }
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

/// The boundary between `low` (where `isBelow` holds) and `high` (where it does not), by bisection
/// to relative precision 1e-15 or until the interval cannot shrink.
func bisect(low: Double, high: Double, isBelow: (Double) -> Bool) -> Double {
    var low = low, high = high
    for _ in 0..<2000 {
        let middle = 0.5 * (low + high)
        guard middle > low && middle < high, high - low > 1e-15 * max(abs(high), 1e-300) else { break }
        if isBelow(middle) { low = middle } else { high = middle }
    }
    return 0.5 * (low + high)
}
