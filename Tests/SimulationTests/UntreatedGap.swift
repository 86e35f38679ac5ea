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
        let effects = UntreatedTwoWayEffects(y: y, firmOf: firm, periodOf: period, untreated: y.indices.filter { !treated[$0] },
                                             firmCount: firmCount, periodCount: periodCount, iterations: 200)
        return effects.meanGap(y, rows: y.indices.filter { treated[$0] && effects.firmSeen[firm[$0]] }, firmOf: firm, periodOf: period)
    }
}
