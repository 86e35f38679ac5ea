// The sorted samples of all cells of a distributional analysis, each stored once: cells of one
// cohort share its samples by period, and cells against never-treated units share the controls'
// samples by period, so a bootstrap replicate reads each distinct sample once (its running
// weights) instead of once per cell. This is what keeps 10⁵ units × 10 periods with 999
// replicates within seconds (Benchmarks/distributional).

/// Builds the distinct samples of the cells (preparation only).
struct SampleStoreBuilder {
    private(set) var samples = [SortedSample]()
    private var index = [String: Int]()
    let panel: UnitPanel

    init(panel: UnitPanel) { self.panel = panel }

    /// The index of the sorted outcomes of `units` (named by `group`, e.g. "g2004", "never") in
    /// period column `column`.
    mutating func outcomes(_ units: [Int32], group: String, column: Int) -> Int {
        let panel = self.panel
        return store("\(group)@\(column)") { DistributionalCell.sample(panel, units: units, column: column) }
    }

    /// The index of the sorted changes of `units` from column `earlier` to column `later`.
    mutating func changes(_ units: [Int32], group: String, from earlier: Int, to later: Int) -> Int {
        let panel = self.panel
        return store("\(group)@\(earlier)->\(later)") { DistributionalCell.changes(panel, units: units, from: earlier, to: later) }
    }

    private mutating func store(_ key: String, _ make: () -> SortedSample) -> Int {
        if let found = index[key] { return found }
        samples.append(make())
        index[key] = samples.count - 1
        return samples.count - 1
    }
}

extension DistributionalCell {
    /// The name of the treated units' set in a sample store.
    var treatedKey: String { "g\(group)" }
    /// The name of the comparison units' set: all cells against never-treated units share it.
    var controlKey: String { controlsAreNeverTreated ? "never" : "control(\(group),\(time))" }
}
