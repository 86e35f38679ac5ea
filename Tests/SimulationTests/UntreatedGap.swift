@testable import Simulation

/// How far one programme's untreated log outcomes of its supported firms drift from its
/// comparison firms' after support starts: the bias a difference-in-differences estimator would
/// have on these outcomes, where the true effect is 0.
///
/// Only `programme`'s support counts as treatment, as in `quipu did --cohort cbi_cohort`: the
/// other programme's firms are comparisons like any other (`LogPanel.imputation` instead sets
/// aside the firm-years of either programme).
struct UntreatedGap {
    private var firm: [Int] = [], period: [Int] = [], treated: [Bool] = [], y: [Double] = []
    private var firmCount = 0, periodCount = 0

    /// Firm-years with a positive `values` entry, kept where `keep` holds.
    init(_ records: [FirmYearRecord], _ values: [Int64?], programme: Programme,
         keep: (FirmYearRecord) -> Bool = { _ in true }) {
        var firms: [Int: Int] = [:], periods: [Int: Int] = [:]
        for (record, value) in zip(records, values) {
            guard let value, value > 0, keep(record) else { continue }
            let index = firms[record.firmID] ?? firms.count
            firms[record.firmID] = index
            let year = periods[record.year] ?? periods.count
            periods[record.year] = year
            firm.append(index)
            period.append(year)
            treated.append(record.isTreated(programme))
            y.append(DeterministicMath.log(Double(value)))
        }
        firmCount = firms.count
        periodCount = periods.count
    }

    /// The imputation estimate (Borusyak, Jaravel and Spiess 2024): firm and year effects fitted
    /// on untreated firm-years by alternating projections, then the mean residual of treated
    /// firm-years. It uses every pre-support year, so it sees a drift over the whole history.
    func imputation() -> Double {
        let untreated = y.indices.filter { !treated[$0] }
        var alpha = Array(repeating: 0.0, count: firmCount), lambda = Array(repeating: 0.0, count: periodCount)
        var seen = Array(repeating: false, count: firmCount)
        for row in untreated { seen[firm[row]] = true }
        for _ in 0..<200 {
            var sums = Array(repeating: 0.0, count: firmCount), counts = sums
            for row in untreated { sums[firm[row]] += y[row] - lambda[period[row]]; counts[firm[row]] += 1 }
            for index in alpha.indices where counts[index] > 0 { alpha[index] = sums[index] / counts[index] }
            var periodSums = Array(repeating: 0.0, count: periodCount), periodCounts = periodSums
            for row in untreated { periodSums[period[row]] += y[row] - alpha[firm[row]]; periodCounts[period[row]] += 1 }
            for index in lambda.indices where periodCounts[index] > 0 { lambda[index] = periodSums[index] / periodCounts[index] }
        }
        let gaps = y.indices.filter { treated[$0] && seen[firm[$0]] }.map { y[$0] - alpha[firm[$0]] - lambda[period[$0]] }
        return gaps.reduce(0, +) / Double(max(1, gaps.count))
    }
}
