/// An outcome's mean or median by period for groups of units: supported against unsupported, or
/// one line per cohort. The raw-data picture an evaluator draws before estimating anything.
public struct PanelTrends: Sendable {
    /// Which statistic to draw.
    public enum Statistic: String, Sendable, CaseIterable { case mean, median }
    /// How units are grouped.
    public enum Grouping: String, Sendable, CaseIterable { case status, cohort }

    /// One group's value in one period.
    public struct Point: Sendable {
        public let group: String
        public let period: Int
        public let count: Int
        public let value: Double
    }

    public let outcome: String
    public let statistic: Statistic
    public let grouping: Grouping
    /// Points ordered by group (ever treated first, or cohorts ascending, never treated last), then period.
    public let points: [Point]
    /// The groups in drawing order, with each cohort's first treated period (nil for controls).
    public let groups: [(name: String, start: Int?)]
    /// Every cohort's first treated period, ascending (marked on the chart whatever the grouping).
    public let cohortStarts: [Int]
    /// Rows left out because the outcome is missing.
    public let missingRows: Int
    /// Rows left out because the outcome is infinite (inf, or beyond the double range such as
    /// 1e400): one such value would turn its group's mean into ±inf.
    public let nonFiniteRows: Int

    /// Computes the trends of `outcome` in `table`, whose panel structure (with cohorts) is given.
    public init(structure: PanelStructure, table: DataTable, outcome: String, statistic: Statistic, grouping: Grouping)
        throws(PanelError)
    {
        guard structure.hasCohorts else {
            throw PanelError("trends need treatment information: give --cohort or --treat")
        }
        let values = try PanelDescription.numericOutcome(table, outcome)
        var groupOfRow = [Int](repeating: 0, count: structure.rowCount)
        var groups = [(name: String, start: Int?)]()
        switch grouping {
        case .status:
            groups = [("ever_treated", nil), ("never_treated", nil)]
            for row in 0..<structure.rowCount { groupOfRow[row] = structure.isEverTreated(row: row) ? 0 : 1 }
        case .cohort:
            let cohorts = Array(Set(structure.cohorts.compactMap { $0 })).sorted()
            groups = cohorts.map { (String($0), $0) } + [("never", nil)]
            let index = Dictionary(uniqueKeysWithValues: cohorts.enumerated().map { ($1, $0) })
            for row in 0..<structure.rowCount {
                let cohort = structure.cohorts[Int(structure.unitCodes[row])]
                groupOfRow[row] = cohort.flatMap { index[$0] } ?? cohorts.count
            }
        }
        let periodIndex = Dictionary(uniqueKeysWithValues: structure.periodValues.enumerated().map { ($1, $0) })
        var buckets = [[[Double]]](repeating: [[Double]](repeating: [], count: structure.periodValues.count), count: groups.count)
        var missing = 0, nonFinite = 0
        for row in 0..<structure.rowCount {
            let value = values[row]
            guard value.isFinite else {
                if value.isNaN { missing += 1 } else { nonFinite += 1 }
                continue
            }
            buckets[groupOfRow[row]][periodIndex[structure.periods[row]] ?? 0].append(value)
        }
        // No finite value at all would draw an empty chart and exit 0, which reads as "no trend".
        guard missing + nonFinite < structure.rowCount else {
            let kinds = nonFinite == 0 ? "missing" : missing == 0 ? "non-finite" : "missing or non-finite"
            throw PanelError("\(table.source): outcome '\(outcome)' has no finite value: all \(structure.rowCount) rows are \(kinds); no trend to show")
        }
        var points = [Point]()
        for (groupIndex, group) in groups.enumerated() {
            for (periodPosition, period) in structure.periodValues.enumerated() {
                let bucket = buckets[groupIndex][periodPosition]
                guard !bucket.isEmpty else { continue }
                let value: Double
                switch statistic {
                case .mean: value = bucket.reduce(0, +) / Double(bucket.count)
                case .median: value = PanelDescription.quantile(bucket.sorted(), 0.5)
                }
                points.append(Point(group: group.name, period: period, count: bucket.count, value: value))
            }
        }
        self.outcome = outcome
        self.statistic = statistic
        self.grouping = grouping
        self.points = points
        self.groups = groups
        self.cohortStarts = Array(Set(structure.cohorts.compactMap { $0 })).sorted()
        self.missingRows = missing
        self.nonFiniteRows = nonFinite
    }

    /// What was left out, for a note beside the table ("outcome 'sales': 2 rows with a non-finite
    /// value ... left out of the means"); nil when nothing was.
    public var droppedNote: String? {
        var parts = [String]()
        if nonFiniteRows > 0 { parts.append("\(nonFiniteRows) \(nonFiniteRows == 1 ? "row" : "rows") with a non-finite value (inf, or beyond the double range)") }
        if missingRows > 0 { parts.append("\(missingRows) \(missingRows == 1 ? "row" : "rows") with a missing value") }
        guard !parts.isEmpty else { return nil }
        return "outcome '\(outcome)': " + parts.joined(separator: " and ") + " left out of the \(statistic.rawValue)s"
    }
}
