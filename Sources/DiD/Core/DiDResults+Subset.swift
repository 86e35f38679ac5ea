import Estimation

extension DiDResults {
    /// Records a `--subset` filter applied to the data before the analysis: each estimator's
    /// sample then counts from the rows in the data, with the filter's removals as its first drop.
    public mutating func recordSubset(_ summary: SubsetSummary?) {
        guard let summary else { return }
        subset = summary
        samples = samples.map { entry in
            var sample = entry.sample
            sample.rowsRead = summary.rowsBefore
            sample.drops.insert(.init(reason: "subset: \(summary.expression)", rows: summary.removed, units: 0), at: 0)
            return (entry.estimator, sample)
        }
    }
}
