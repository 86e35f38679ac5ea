// The quantile of the folded normal |N(μ, 1)|, cv_α(t) in Rambachan & Roth (2023, eq. 18) and
// Armstrong & Kolesár (2018): the half-length of a fixed-length interval whose estimator has
// worst-case bias μ standard deviations. Computed from the normal CDF by bisection (moderndid
// 0.2.0's `folded_normal_quantile` uses Brent's method on the same CDF; R HonestDiD simulates it).

import Inference

enum FoldedNormal {
    /// P(|N(μ, 1)| ≤ x).
    static func cdf(_ x: Double, mean: Double) -> Double {
        StandardNormal.cdf(x - mean) - StandardNormal.cdf(-x - mean)
    }

    /// The p-quantile of |N(μ, 1)|; infinite when μ is. Bounded: the bracket doubles at most 60
    /// times and the bisection runs 200 steps at most.
    static func quantile(_ p: Double, mean: Double) -> Double {
        let mu = abs(mean)
        guard mu.isFinite else { return .infinity }
        if mu == 0 { return StandardNormal.quantile((1 + p) / 2) }
        var upper = mu + 8
        for _ in 0..<60 where cdf(upper, mean: mu) < p { upper *= 2 }
        var lower = 0.0
        for _ in 0..<200 {
            let middle = (lower + upper) / 2
            if middle == lower || middle == upper { break }
            if cdf(middle, mean: mu) < p { lower = middle } else { upper = middle }
        }
        return (lower + upper) / 2
    }
}
