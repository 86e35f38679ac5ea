import DiD
import Estimation
import Foundation
import PanelData

extension EvaluationRunner {
    /// Rows, firms, entries and exits by period, each programme's supported firms, and the
    /// outcomes' missing and zero shares.
    func sampleSummary(_ table: DataTable, filter: SubsetSummary?) throws -> EvaluationResults.Sample {
        let columns = Array(Set(spec.outcomes.map(\.column))).sorted()
        let descriptions = try spec.programmes.map { programme in
            try PanelDescription(structure: PanelStructure(table: table, unit: spec.unit, time: spec.time, treatment: programme.treatment),
                                 table: table, outcomes: columns)
        }
        let first = descriptions[0]
        let periods = first.periods.enumerated().map { index, counts in
            EvaluationResults.PeriodRow(period: counts.period, units: counts.units, entering: counts.entering, exiting: counts.exiting,
                                        treated: descriptions.map { $0.periods[index].treated })
        }
        let structure = first.structure
        var firstSeen = [Int](repeating: Int.max, count: structure.unitCount), lastSeen = [Int](repeating: Int.min, count: structure.unitCount)
        for row in 0..<structure.rowCount {
            let unit = Int(structure.unitCodes[row])
            firstSeen[unit] = min(firstSeen[unit], structure.periods[row])
            lastSeen[unit] = max(lastSeen[unit], structure.periods[row])
        }
        let start = structure.periodValues.first ?? 0, end = structure.periodValues.last ?? 0
        return EvaluationResults.Sample(
            rowsRead: filter?.rowsBefore ?? table.rowCount, rows: table.rowCount, units: structure.unitCount, periods: periods,
            exits: lastSeen.filter { $0 < end }.count, entries: firstSeen.filter { $0 > start }.count, filter: filter?.expression,
            missingShares: first.outcomes.map { (column: $0.name, share: $0.missingShare, zeroShare: $0.zeroShare) })
    }

    /// For each pair of programmes, the firms supported by both, by one only, and by neither.
    func overlaps(_ table: DataTable) throws -> [EvaluationResults.Overlap] {
        let structures = try spec.programmes.map { try PanelStructure(table: table, unit: spec.unit, time: spec.time, treatment: $0.treatment) }
        var result = [EvaluationResults.Overlap]()
        for i in structures.indices {
            for j in structures.indices where j > i {
                var both = 0, firstOnly = 0, secondOnly = 0, neither = 0
                // Both structures come from the same table and unit column, so unit codes agree.
                for unit in 0..<structures[i].unitCount {
                    switch (structures[i].cohorts[unit] != nil, structures[j].cohorts[unit] != nil) {
                    case (true, true): both += 1
                    case (true, false): firstOnly += 1
                    case (false, true): secondOnly += 1
                    case (false, false): neither += 1
                    }
                }
                result.append(EvaluationResults.Overlap(first: spec.programmes[i].name, second: spec.programmes[j].name,
                                                        both: both, firstOnly: firstOnly, secondOnly: secondOnly, neither: neither))
            }
        }
        return result
    }

    /// Raw trends of each outcome for one programme, on the rows its estimates use (the spec's
    /// and the programme's filters applied: a cohort every estimate leaves out is not drawn) and
    /// on the scale it is estimated on: the mean of log(y) for a log outcome (a geometric mean,
    /// which a few very large units do not dominate, on the positive values the log keeps), the
    /// share above zero for the extensive margin, y itself otherwise. The values come from the
    /// estimators' own expression evaluator, so the trend and the estimate read the same numbers.
    func trends(_ programme: EvaluationSpec.Programme, table: DataTable) throws -> [EvaluationResults.Trend] {
        let statistic = PanelTrends.Statistic(rawValue: spec.trendStatistic) ?? .mean
        let structure = try PanelStructure(table: table, unit: spec.unit, time: spec.time, treatment: programme.treatment)
        return try spec.outcomes.map { outcome in
            var withOutcome = table
            if outcome.expression != outcome.column {
                let values = try OutcomeColumn(outcome: outcome.expression, table: table).values
                withOutcome = DataTable(source: table.source, names: table.names + [outcome.expression], columns: table.columns + [.numeric(values)],
                                        rowCount: table.rowCount)
            }
            // The median of a 0/1 indicator is 0 or 1: the margin's trend is always its share.
            let trends = try PanelTrends(structure: structure, table: withOutcome, outcome: outcome.expression,
                                         statistic: outcome.scale == .extensive ? .mean : statistic, grouping: .status)
            return EvaluationResults.Trend(programme: programme.name, outcome: outcome.title, label: outcome.label, expression: outcome.expression, scale: outcome.scale,
                                           slug: outcome.slug, trends: trends)
        }
    }
}
