/// Firm and period effects fitted on untreated firm-years only, y = αᵢ + λₜ, by alternating
/// projections (the first step of the imputation estimator, Borusyak, Jaravel and Spiess 2024),
/// written plainly so that the simulation tests check the simulator with an estimator of their
/// own rather than the package's.
struct UntreatedTwoWayEffects {
    var firm: [Double]
    var period: [Double]
    /// Whether each firm has an untreated firm-year (its effect is defined).
    var firmSeen: [Bool]

    /// Fits the effects on the rows `untreated` of `y`, with `iterations` sweeps.
    init(y: [Double], firmOf: [Int], periodOf: [Int], untreated: [Int], firmCount: Int, periodCount: Int, iterations: Int) {
        var alpha = Array(repeating: 0.0, count: firmCount), lambda = Array(repeating: 0.0, count: periodCount)
        var seen = Array(repeating: false, count: firmCount)
        for row in untreated { seen[firmOf[row]] = true }
        for _ in 0..<iterations {
            var sums = Array(repeating: 0.0, count: firmCount), counts = sums
            for row in untreated { sums[firmOf[row]] += y[row] - lambda[periodOf[row]]; counts[firmOf[row]] += 1 }
            for index in alpha.indices where counts[index] > 0 { alpha[index] = sums[index] / counts[index] }
            var periodSums = Array(repeating: 0.0, count: periodCount), periodCounts = periodSums
            for row in untreated { periodSums[periodOf[row]] += y[row] - alpha[firmOf[row]]; periodCounts[periodOf[row]] += 1 }
            for index in lambda.indices where periodCounts[index] > 0 { lambda[index] = periodSums[index] / periodCounts[index] }
        }
        firm = alpha
        period = lambda
        firmSeen = seen
    }

    /// The mean gap y − α̂ − λ̂ over `rows` (the imputed effect).
    func meanGap(_ y: [Double], rows: [Int], firmOf: [Int], periodOf: [Int]) -> Double {
        let gaps = rows.map { y[$0] - firm[firmOf[$0]] - period[periodOf[$0]] }
        return gaps.reduce(0, +) / Double(max(1, gaps.count))
    }
}
