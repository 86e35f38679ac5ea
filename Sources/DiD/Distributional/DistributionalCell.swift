// The cohort × period comparisons of the distributional estimators (changes-in-changes, quantile
// DiD, panel QTT), built as Callaway & Sant'Anna (2021) build ATT(g,t): cohort g against
// never-treated units, or units not yet treated by max(t, base), with the varying base period
// (g − 1 for t ≥ g, t − 1 before), on the balanced panel (UnitPanel).

/// One cohort × period comparison: which units are treated and compared, and in which periods.
struct DistributionalCell: Sendable {
    /// The cohort (first treated period) and the period compared.
    let group: Int, time: Int
    /// Column indices into the panel's periods: the compared period, the base period, and the
    /// period before the base (panel QTT's copula period; nil when the panel has none).
    let timeIndex: Int, baseIndex: Int, earlierIndex: Int?
    /// The cohort's units and the comparison units (indices into the panel's units).
    let treated: [Int32], controls: [Int32]
    /// Whether the comparison units are the never-treated units (the same set for every cell).
    let controlsAreNeverTreated: Bool

    /// Periods since the start of treatment.
    var eventTime: Int { time - group }
    /// Whether the cell lies at or after the start of treatment.
    var isPost: Bool { time >= group }
}

extension DistributionalCell {
    /// Every cell of `panel` with treated and comparison units; cells without comparison units
    /// are named in `skipped`.
    static func cells(panel: UnitPanel, notYetTreated: Bool) -> (cells: [DistributionalCell], skipped: [String]) {
        let periods = panel.periods
        let cohorts = Array(Set(panel.cohorts.filter { $0 != UnitPanel.neverTreated })).sorted()
        var cells = [DistributionalCell](), skipped = [String]()
        for group in cohorts {
            guard let groupIndex = periods.firstIndex(of: group), groupIndex > 0 else { continue }
            let treated = panel.cohorts.indices.filter { panel.cohorts[$0] == group }.map { Int32($0) }
            for timeIndex in 1..<periods.count {
                let baseIndex = timeIndex >= groupIndex ? groupIndex - 1 : timeIndex - 1
                let latest = periods[max(timeIndex, baseIndex)]
                let controls = panel.cohorts.indices.filter { unit in
                    let cohort = panel.cohorts[unit]
                    return cohort == UnitPanel.neverTreated || (notYetTreated && cohort != group && cohort > latest)
                }.map { Int32($0) }
                guard !controls.isEmpty else {
                    skipped.append("(\(group),\(periods[timeIndex]))")
                    continue
                }
                cells.append(DistributionalCell(group: group, time: periods[timeIndex], timeIndex: timeIndex, baseIndex: baseIndex,
                                                earlierIndex: baseIndex > 0 ? baseIndex - 1 : nil, treated: treated, controls: controls,
                                                controlsAreNeverTreated: !notYetTreated))
            }
        }
        return (cells, skipped)
    }

    /// The sorted outcomes of `units` in period column `column`.
    static func sample(_ panel: UnitPanel, units: [Int32], column: Int) -> SortedSample {
        let width = panel.periods.count
        return SortedSample(values: units.map { panel.outcome[Int($0) * width + column] }, units: units)
    }

    /// The sorted changes Y(later) − Y(earlier) of `units`.
    static func changes(_ panel: UnitPanel, units: [Int32], from earlier: Int, to later: Int) -> SortedSample {
        let width = panel.periods.count
        return SortedSample(values: units.map { panel.outcome[Int($0) * width + later] - panel.outcome[Int($0) * width + earlier] }, units: units)
    }
}

/// A distributional 2x2 estimator: prepares a cell once (its samples, stored once across cells in
/// a SampleStoreBuilder, and the ranks it needs) and computes the mean effect and the quantile
/// effects of the cell under any unit weights.
protocol DistributionalMethod: Sendable {
    associatedtype Prepared: Sendable
    /// Periods needed before the compared one: 1 (the base), or 2 (panel QTT's copula period).
    var periodsBefore: Int { get }
    /// Sorts the cell's samples once (into `store`).
    func prepare(_ cell: DistributionalCell, store: inout SampleStoreBuilder) -> Prepared
    /// The mean effect followed by the effect at each of `quantiles`, from the store's samples
    /// under the resampling counts `counts` (nil: the estimate); NaN when a sample is empty in
    /// the draw.
    func effects(_ prepared: Prepared, samples: [WeightedSample], counts: [Int32]?, quantiles: [Double]) -> [Double]
}
