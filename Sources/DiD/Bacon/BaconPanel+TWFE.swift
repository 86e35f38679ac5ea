extension BaconPanel {
    /// The coefficient on `D` in `y ~ D + unit effects + period effects`, computed directly.
    ///
    /// This deliberately does not use the decomposition's group means: it is the independent
    /// number that the decomposition's weighted sum must reproduce (Goodman-Bacon 2021, Eq. 2).
    /// In a balanced panel the two-way within transformation
    /// `x̃_it = x_it − x̄_i· − x̄_·t + x̄_··` is the exact projection off both sets of effects in
    /// one pass (no iteration), so by Frisch–Waugh–Lovell `β̂ = Σ D̃ỹ / Σ D̃²`.
    ///
    /// - Parameter treated: the treatment dummy, unit-major like ``outcome``.
    /// - Returns: the coefficient and `V̂^D = Σ D̃² / (N T)`, the variance of the adjusted
    ///   dummy, whose value Theorem 1 says the weight numerators add up to; `nil` when
    ///   `Σ D̃² = 0` (the dummy is spanned by the fixed effects).
    func twoWayFixedEffects(treated: [Bool]) -> (coefficient: Double, variance: Double)? {
        let N = unitCount
        let T = periodCount
        let d = treated.map { $0 ? 1.0 : 0.0 }
        let dMeans = BaconPanel.marginalMeans(d, units: N, periods: T)
        let yMeans = BaconPanel.marginalMeans(outcome, units: N, periods: T)
        var dd = BaconSum()
        var dy = BaconSum()
        for i in 0..<N {
            for t in 0..<T {
                let cell = i * T + t
                // The demeaned values are formed cell by cell rather than stored: two fewer
                // N × T arrays, and the same arithmetic.
                let dTilde = d[cell] - dMeans.unit[i] - dMeans.period[t] + dMeans.grand
                let yTilde = outcome[cell] - yMeans.unit[i] - yMeans.period[t] + yMeans.grand
                dd.add(dTilde * dTilde)
                dy.add(dTilde * yTilde)
            }
        }
        guard dd.value > 0 else { return nil }
        return (dy.value / dd.value, dd.value / Double(N * T))
    }

    /// Unit means, period means and the grand mean of a unit-major `N × T` matrix.
    static func marginalMeans(_ x: [Double], units N: Int, periods T: Int)
        -> (unit: [Double], period: [Double], grand: Double)
    {
        var unitMean = [Double](repeating: 0, count: N)
        var periodSum = [BaconSum](repeating: BaconSum(), count: T)
        var grand = BaconSum()
        for i in 0..<N {
            var s = BaconSum()
            for t in 0..<T {
                s.add(x[i * T + t])
                periodSum[t].add(x[i * T + t])
            }
            unitMean[i] = s.value / Double(T)
            grand.add(s.value)
        }
        return (unitMean, periodSum.map { $0.value / Double(N) }, grand.value / Double(N * T))
    }
}
