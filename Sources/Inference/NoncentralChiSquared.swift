// The noncentral χ² distribution: the distribution of a Wald statistic under a fixed alternative,
// for the power of a pre-trend test (Roth 2022; PretrendPower).
//
// Goals: agreement with scipy's `ncx2.sf` (Boost's non_central_chi_squared), which diff-diff's
// `PreTrendsPower` calls, to about 1e-12; no underflow for the noncentralities a pre-test meets.
// Method: the Poisson mixture P(X > x) = Σ_j Pois(j; λ/2) · Q(k/2 + j, x/2) (Johnson, Kotz &
// Balakrishnan 1995, ch. 29, eq. 29.2), summed outwards from the Poisson mode with the weights in
// logs, as Ding (1992, Applied Statistics AS 275) does, until the remaining weight is below 1e-17.

import Foundation

/// The noncentral χ² distribution with `degreesOfFreedom` k and noncentrality λ.
public struct NoncentralChiSquared: Sendable {
    public let degreesOfFreedom: Double
    public let noncentrality: Double

    public init(degreesOfFreedom: Double, noncentrality: Double) {
        self.degreesOfFreedom = degreesOfFreedom
        self.noncentrality = noncentrality
    }

    /// P(X > x).
    public func survival(_ x: Double) -> Double {
        guard x.isFinite, noncentrality.isFinite, noncentrality >= 0 else { return .nan }
        guard noncentrality > 0 else { return ChiSquared(degreesOfFreedom: degreesOfFreedom).survival(x) }
        guard x > 0 else { return 1 }
        let half = noncentrality / 2
        let mode = floor(half)
        func weight(_ j: Double) -> Double { exp(j * log(half) - half - lgamma(j + 1)) }
        func tail(_ j: Double) -> Double { ChiSquared.upperRegularizedGamma(degreesOfFreedom / 2 + j, x / 2) }
        // The Poisson weights fall away from the mode on both sides: stop where they are negligible.
        var total = 0.0
        var j = mode
        while j >= 0 {
            let w = weight(j)
            total += w * tail(j)
            if w < 1e-17 { break }
            j -= 1
        }
        j = mode + 1
        while j <= mode + 100_000 {
            let w = weight(j)
            total += w * tail(j)
            if w < 1e-17 { break }
            j += 1
        }
        return min(max(total, 0), 1)
    }

    /// The noncentrality at which P(X > `criticalValue`) = `power` for k degrees of freedom: the
    /// noncentrality a test with that critical value detects with that power (0 when the test's
    /// size already reaches `power`).
    public static func noncentrality(degreesOfFreedom k: Double, criticalValue: Double, power: Double) -> Double {
        guard power > 0 && power < 1, criticalValue.isFinite else { return .nan }
        let size = ChiSquared(degreesOfFreedom: k).survival(criticalValue)
        guard size < power else { return 0 }
        var high = 1.0
        while NoncentralChiSquared(degreesOfFreedom: k, noncentrality: high).survival(criticalValue) < power { high *= 2 }
        return bisect(low: 0, high: high) { NoncentralChiSquared(degreesOfFreedom: k, noncentrality: $0).survival(criticalValue) < power }
    }
}
