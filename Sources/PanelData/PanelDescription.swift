/// What an evaluator looks at before any model: the panel's shape, attrition, cohorts, treated
/// and control counts, and the distribution of each outcome by group and period.
///
/// Definitions (the contract the pandas fixtures in Tests/Fixtures/pandas check):
/// - balanced: every unit appears in every period (a row counts even if its outcomes are missing);
/// - entering in p: units first observed in p; exiting in p: units last observed in p, p not the
///   panel's last period;
/// - a row is treated when its unit's cohort is not "never" and the period is at least the cohort;
/// - groups for outcome statistics: ever treated and never treated units;
/// - quantiles interpolate linearly between order statistics (R type 7, pandas' default).
public struct PanelDescription: Sendable {
    /// Counts for one period.
    public struct PeriodCounts: Sendable {
        public let period: Int
        public let units: Int
        public let entering: Int
        public let exiting: Int
        public let treated: Int
        public let notTreated: Int
    }

    /// A cohort and its number of units (`cohort == nil`: never treated).
    public struct CohortSize: Sendable {
        public let cohort: Int?
        public let units: Int
    }

    /// Summary statistics of an outcome for one group in one period.
    public struct GroupSummary: Sendable {
        public let group: String
        public let period: Int
        public let count: Int
        public let mean: Double
        public let median: Double
        public let lowerQuartile: Double
        public let upperQuartile: Double
        public let minimum: Double
        public let maximum: Double
    }

    /// The distribution of one outcome.
    public struct OutcomeSummary: Sendable {
        public let name: String
        public let missingShare: Double
        /// Rows holding ±inf (or a number too large to represent), left out of every statistic as
        /// feols and trends leave them out.
        public let nonFiniteRows: Int
        public let zeroShare: Double
        public let byGroup: [GroupSummary]
    }

    public let structure: PanelStructure
    public let periods: [PeriodCounts]
    public let cohortSizes: [CohortSize]
    public let balanced: Bool
    public let outcomes: [OutcomeSummary]

    /// Describes the panel and the named outcome columns of `table`.
    public init(structure: PanelStructure, table: DataTable, outcomes outcomeNames: [String]) throws(PanelError) {
        self.structure = structure
        let periodIndex = Dictionary(uniqueKeysWithValues: structure.periodValues.enumerated().map { ($1, $0) })
        let periodCount = structure.periodValues.count
        var firstSeen = [Int](repeating: Int.max, count: structure.unitCount)
        var lastSeen = [Int](repeating: Int.min, count: structure.unitCount)
        var unitsPerPeriod = [Int](repeating: 0, count: periodCount)
        var treatedPerPeriod = [Int](repeating: 0, count: periodCount)
        for row in 0..<structure.rowCount {
            let unit = Int(structure.unitCodes[row])
            let period = structure.periods[row]
            firstSeen[unit] = min(firstSeen[unit], period)
            lastSeen[unit] = max(lastSeen[unit], period)
            let index = periodIndex[period] ?? 0
            unitsPerPeriod[index] += 1
            if structure.isTreated(row: row) { treatedPerPeriod[index] += 1 }
        }
        let lastPeriod = structure.periodValues.last ?? 0
        self.periods = structure.periodValues.enumerated().map { index, period in
            PeriodCounts(period: period, units: unitsPerPeriod[index],
                         entering: firstSeen.filter { $0 == period }.count,
                         exiting: period == lastPeriod ? 0 : lastSeen.filter { $0 == period }.count,
                         treated: treatedPerPeriod[index], notTreated: unitsPerPeriod[index] - treatedPerPeriod[index])
        }
        self.balanced = structure.rowCount == structure.unitCount * periodCount
        if structure.hasCohorts {
            var counts = [Int: Int]()
            var never = 0
            for cohort in structure.cohorts {
                if let cohort { counts[cohort, default: 0] += 1 } else { never += 1 }
            }
            self.cohortSizes = counts.keys.sorted().map { CohortSize(cohort: $0, units: counts[$0] ?? 0) }
                + [CohortSize(cohort: nil, units: never)]
        } else {
            self.cohortSizes = []
        }
        var summaries = [OutcomeSummary]()
        for name in outcomeNames {
            let raw = try Self.numericOutcome(table, name)
            let nonFinite = raw.lazy.filter { $0.isInfinite }.count
            let values = raw.map { $0.isFinite ? $0 : .nan }
            let present = values.filter { !$0.isNaN }
            let zeros = present.filter { $0 == 0 }.count
            let groups: [(String, (Int) -> Bool)] = structure.hasCohorts
                ? [("ever_treated", { structure.isEverTreated(row: $0) }), ("never_treated", { !structure.isEverTreated(row: $0) })]
                : [("all", { _ in true })]
            var byGroup = [GroupSummary]()
            for (group, member) in groups {
                var buckets = [[Double]](repeating: [], count: periodCount)
                for row in 0..<structure.rowCount where member(row) && !values[row].isNaN {
                    buckets[periodIndex[structure.periods[row]] ?? 0].append(values[row])
                }
                for (index, bucket) in buckets.enumerated() where !bucket.isEmpty {
                    byGroup.append(Self.summary(group: group, period: structure.periodValues[index], values: bucket))
                }
            }
            summaries.append(OutcomeSummary(
                name: name, missingShare: Double(values.count - present.count - nonFinite) / Double(max(values.count, 1)), nonFiniteRows: nonFinite,
                zeroShare: present.isEmpty ? 0 : Double(zeros) / Double(present.count), byGroup: byGroup))
        }
        self.outcomes = summaries
    }

    /// The values of an outcome column, which must be numeric.
    static func numericOutcome(_ table: DataTable, _ name: String) throws(PanelError) -> [Double] {
        switch table.column(named: name) {
        case let .numeric(values)?:
            return values
        case let .text(text)?:
            let example = text.firstNonNumeric.map { ": line \($0.row) has '\($0.value)'" } ?? ""
            throw PanelError("\(table.source): outcome column '\(name)' is not numeric\(example)")
        case nil:
            let suggestions = table.closestNames(to: name, limit: 3)
            let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: ", ") + "?"
            throw PanelError("\(table.source): no column named '\(name)'\(hint)")
        }
    }

    /// Count, mean, quartiles and range of a non-empty sample.
    static func summary(group: String, period: Int, values: [Double]) -> GroupSummary {
        let sorted = values.sorted()
        let mean = sorted.reduce(0, +) / Double(sorted.count)
        return GroupSummary(group: group, period: period, count: sorted.count, mean: mean,
                            median: quantile(sorted, 0.5), lowerQuartile: quantile(sorted, 0.25),
                            upperQuartile: quantile(sorted, 0.75), minimum: sorted[0], maximum: sorted[sorted.count - 1])
    }

    /// The p-quantile of sorted values by linear interpolation (Hyndman & Fan 1996, type 7).
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = Double(sorted.count - 1) * p
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
    }
}
