import PanelData
import Primitives

/// JSON, text and Markdown renderings of `quipu describe`.
extension PanelDescription {
    /// The JSON document (keys as in Tests/Fixtures/pandas/panel_summaries.json).
    public var json: JSONValue {
        let structure = self.structure
        var pairs: [(String, JSONValue)] = [
            ("command", .string("describe")),
            ("data", .string(structure.source)),
            ("unit", .string(structure.unitName)),
            ("time", .string(structure.timeName)),
            ("cohort", structure.cohortDerivedFromTreatment ? .null : (structure.cohortSource.map { .string($0) } ?? .null)),
            ("treat", structure.cohortDerivedFromTreatment ? (structure.cohortSource.map { .string($0) } ?? .null) : .null),
            ("units", .integer(structure.unitCount)),
            ("periods", .array(structure.periodValues.map { .integer($0) })),
            ("observations", .integer(structure.rowCount)),
            ("balanced", .bool(balanced)),
            ("units_per_period", .array(periods.map { .object([("period", .integer($0.period)), ("units", .integer($0.units))]) })),
            ("entries_exits", .array(periods.map {
                .object([("period", .integer($0.period)), ("entering", .integer($0.entering)), ("exiting", .integer($0.exiting))])
            })),
        ]
        if structure.hasCohorts {
            pairs.append(("cohorts", .array(cohortSizes.map { CohortSizeRecord(cohort: $0.cohort, units: $0.units).json })))
            pairs.append(("status_by_period", .array(periods.map {
                .object([("period", .integer($0.period)), ("treated", .integer($0.treated)), ("not_treated", .integer($0.notTreated))])
            })))
        }
        pairs.append(("outcomes", .array(outcomes.map { outcome in
            .object([
                ("name", .string(outcome.name)),
                ("missing_share", .number(outcome.missingShare)),
                ("non_finite", .integer(outcome.nonFiniteRows)),
                ("zero_share", .number(outcome.zeroShare)),
                ("by_group", .array(outcome.byGroup.map { row in
                    .object([
                        ("group", .string(row.group)), ("period", .integer(row.period)), ("n", .integer(row.count)),
                        ("mean", .finite(row.mean)), ("median", .finite(row.median)), ("q1", .finite(row.lowerQuartile)),
                        ("q3", .finite(row.upperQuartile)), ("min", .finite(row.minimum)), ("max", .finite(row.maximum)),
                    ])
                })),
            ])
        })))
        return JSONValue.object(pairs).versioned()
    }

    /// A plain-text report.
    public var text: String { render(markdown: false) }

    /// A Markdown report.
    public var markdown: String { render(markdown: true) }

    private func render(markdown: Bool) -> String {
        let structure = self.structure
        var lines = [String]()
        let heading = { (title: String) in markdown ? "\n## \(title)\n" : "\n\(title)" }
        lines.append(markdown ? "# Panel: \(structure.source)" : "Panel: \(structure.source)")
        lines.append("")
        lines.append("Units (\(structure.unitName)): \(structure.unitCount); periods (\(structure.timeName)): "
                     + "\(structure.periodValues.first.map(String.init) ?? "-")–\(structure.periodValues.last.map(String.init) ?? "-") "
                     + "(\(structure.periodValues.count)); observations: \(structure.rowCount); "
                     + (balanced ? "balanced." : "unbalanced."))
        if let source = structure.cohortSource {
            lines.append(structure.cohortDerivedFromTreatment
                         ? "Cohort: first period with \(source) = 1."
                         : "Cohort: column \(source) (\(structure.neverTreatedCode): never treated).")
        }
        lines.append(heading("Units by period"))
        var table = [["period", "units", "entering", "exiting"] + (structure.hasCohorts ? ["treated", "not treated"] : [])]
        for row in periods {
            table.append([String(row.period), String(row.units), String(row.entering), String(row.exiting)]
                         + (structure.hasCohorts ? [String(row.treated), String(row.notTreated)] : []))
        }
        lines.append(contentsOf: TextGrid.lines(table, markdown: markdown))
        if structure.hasCohorts {
            lines.append(heading("Cohorts (units by first treated period)"))
            var cohorts = [["cohort", "units"]]
            for size in cohortSizes { cohorts.append([size.cohort.map(String.init) ?? "never treated", String(size.units)]) }
            lines.append(contentsOf: TextGrid.lines(cohorts, markdown: markdown))
        }
        for outcome in outcomes {
            lines.append(heading("Outcome \(outcome.name)"))
            if outcome.nonFiniteRows > 0 {
                lines.append("Non-finite: \(outcome.nonFiniteRows) rows hold ±inf or a number too large to represent; they are left out of every statistic.")
            }
            lines.append("Missing: \(NumberFormat.fixed(outcome.missingShare * 100, decimals: 1))% of rows; "
                         + "zeros: \(NumberFormat.fixed(outcome.zeroShare * 100, decimals: 1))% of non-missing values.")
            if markdown { lines.append("") }
            var stats = [["group", "period", "n", "mean", "median", "q1", "q3"]]
            for row in outcome.byGroup {
                stats.append([row.group, String(row.period), String(row.count), NumberFormat.significant(row.mean, digits: 5),
                              NumberFormat.significant(row.median, digits: 5), NumberFormat.significant(row.lowerQuartile, digits: 5),
                              NumberFormat.significant(row.upperQuartile, digits: 5)])
            }
            lines.append(contentsOf: TextGrid.lines(stats, markdown: markdown))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// JSON and CSV renderings of `quipu trends`.
extension PanelTrends {
    /// The JSON document.
    public var json: JSONValue {
        JSONValue.object([
            ("command", .string("trends")),
            ("outcome", .string(outcome)),
            ("statistic", .string(statistic.rawValue)),
            ("by", .string(grouping.rawValue)),
            ("points", .array(points.map(\.record.json))),
        ]).versioned()
    }

    /// One row per group and period.
    public var csv: String {
        var lines = ["group,period,n,\(statistic.rawValue)"]
        for point in points { lines.append("\(point.group),\(point.period),\(point.count),\(point.value)") }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension PanelTrends.Point {
    /// The point as the contract's record (shared by `trends` and the report's `trends`).
    public var record: TrendPointRecord { TrendPointRecord(group: group, period: period, count: count, value: value) }
}
