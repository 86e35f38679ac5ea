import DiD
import Foundation

extension EvaluationResults {
    typealias Cell = ReportTable.Cell

    /// The spec's words for its units and rows: "firms", "firm-years".
    var unitsNoun: String { spec.unitNoun.many }
    var observationsNoun: String { spec.observationNoun }

    /// What one unit of an effect on `scale` means, for table notes.
    static func reading(_ scale: EvaluationSpec.Scale) -> String {
        switch scale {
        case .log: return "log points (×100 ≈ % change, among observations with a positive value)"
        case .poisson: return "log ratio of means (exp(b) − 1 is the % change in the mean, zeros included)"
        case .level: return "the outcome's own units"
        case .extensive: return "change in the share with a positive value (0.01 = one percentage point)"
        }
    }

    var level: String { "\(Int((spec.inference.level * 100).rounded()))%" }

    /// Numbers the distinct warnings of some estimates in order of first appearance: each
    /// estimate's marks and the numbered texts, printed under its table.
    static func footnotes(_ warnings: [[String]]) -> (cells: [Cell], texts: [String]) {
        var texts = [String]()
        let cells = warnings.map { list -> Cell in
            let numbers = list.map { text -> Int in
                if let index = texts.firstIndex(of: text) { return index + 1 }
                texts.append(text)
                return texts.count
            }
            return .marks(numbers, texts: list)
        }
        return (cells, texts)
    }

    /// The headline estimate of each programme × outcome.
    public var headlineTable: ReportTable {
        let withTruth = effects.contains { $0.truth != nil }
        var header = ["Programme", "Outcome", "Estimator", "Estimate", "\(level) CI low", "\(level) CI high", "N"]
        if withTruth { header.append("True effect") }
        header.append("Warnings")
        let headline = effects.filter(\.headline)
        let (marks, footnotes) = Self.footnotes(headline.map(\.warnings))
        let rows = zip(headline, marks).map { effect, mark -> [Cell] in
            var row: [Cell] = [.text(effect.programme), .text(effect.outcome), .text(effect.estimator.displayName)]
            row += numbers([effect.estimate, effect.low, effect.high]) + [.integer(effect.observations)]
            if withTruth { row.append(effect.truth.map { .estimate($0) } ?? .text("—")) }
            return row + [mark]
        }
        return ReportTable(name: "headline", title: "Headline effects: the first estimator of each programme", header: header, rows: rows,
                           note: "The headline estimator is the first one the spec lists for the programme (Poisson outcomes: the extended TWFE's log ratio of means when the programme lists etwfe, else TWFE)." + (withTruth ? " True effects come from the truth file: the mean log effect for log outcomes, the log ratio of means for Poisson." : "") + (footnotes.isEmpty ? "" : " Warnings: numbered above, what qualifies each estimate."),
                           footnotes: footnotes)
    }

    func numbers(_ values: [Double]) -> [Cell] { values.map { .estimate($0) } }

    /// Every programme × outcome × estimator.
    public var effectsTable: ReportTable {
        let withTruth = effects.contains { $0.truth != nil }
        var header = ["Programme", "Outcome", "Estimator", "Estimate", "Std. error", "\(level) CI low", "\(level) CI high", "p-value", "N", "Treated \(unitsNoun)"]
        if withTruth { header.append("True effect") }
        header.append("Warnings")
        let (marks, footnotes) = Self.footnotes(effects.map(\.warnings))
        let rows = zip(effects, marks).map { effect, mark -> [Cell] in
            let name = effect.estimator.displayName + (effect.estimator == .twfe && spec.programmes.first { $0.name == effect.programme }.map { hasManyCohorts($0) } == true ? " (biased if effects vary)" : "")
            var row: [Cell] = [.text(effect.programme), .text(effect.outcome), .text(name)]
            if let failure = effect.failure {
                row += [.text("not estimated: \(failure)")] + Array(repeating: Cell.text("—"), count: 6)
            } else {
                row += numbers([effect.estimate, effect.standardError, effect.low, effect.high])
                row += [.pValue(effect.pValue), .integer(effect.observations), .integer(effect.treatedUnits)]
            }
            if withTruth { row.append(effect.truth.map { .estimate($0) } ?? .text("—")) }
            return row + [mark]
        }
        return ReportTable(name: "effects", title: "Effects by programme, outcome and estimator (overall ATT)", header: header, rows: rows,
                           note: "Standard errors clustered by \(spec.unit) unless the spec says otherwise; Callaway–Sant'Anna's with the multiplier bootstrap when the spec asks for it. N counts the \(observationsNoun) each estimator used. Warnings: numbered above, what qualifies each estimate.",
                           footnotes: footnotes)
    }

    func hasManyCohorts(_ programme: EvaluationSpec.Programme) -> Bool {
        bacon.contains { $0.programme == programme.name && $0.decomposition != nil }
    }

    public var sampleTable: ReportTable {
        var header = ["Period", "\(spec.unitNoun.manyCapitalized) observed", "Entering", "Leaving after"]
        header += spec.programmes.map { "\($0.name) supported" }
        let rows = sample.periods.map { period -> [Cell] in
            [.text(String(period.period)), .integer(period.units), .integer(period.entering), .integer(period.exiting)] + period.treated.map { .integer($0) }
        }
        return ReportTable(name: "sample", title: "\(spec.unitNoun.manyCapitalized) by period: entries, exits and support", header: header, rows: rows,
                           note: "Entering: first observed in the period; leaving after: last observed in the period. Supported: \(unitsNoun) whose support has started.")
    }

    public var outcomeTable: ReportTable {
        ReportTable(name: "outcomes", title: "Outcome columns: missing and zero values", header: ["Outcome column", "Missing (share of rows)", "Zero (share of present values)"],
                    rows: sample.missingShares.map { [.text($0.column), .number($0.share, decimals: 3), .number($0.zeroShare, decimals: 3)] },
                    note: "Log outcomes drop the zeros; Poisson and the extensive margin keep them.")
    }

    public var overlapTable: ReportTable {
        ReportTable(name: "overlap", title: "Overlap of programmes (\(unitsNoun))", header: ["Programmes", "Both", "First only", "Second only", "Neither"],
                    rows: overlaps.map { [.text("\($0.first) and \($0.second)"), .integer($0.both), .integer($0.firstOnly), .integer($0.secondOnly), .integer($0.neither)] },
                    note: "Each programme's estimates compare its \(unitsNoun) with \(unitsNoun) it never supported, some of which the other programme supported: its effect is measured against the other programme as it was.")
    }

    public var pretrendTable: ReportTable {
        ReportTable(name: "pretrends", title: "Pre-trend tests", header: ["Programme", "Outcome", "Estimator", "Test", "Statistic", "df", "p-value"],
                    rows: pretrends.map { test in
                        [.text(test.programme), .text(test.outcome), .text(test.estimator.displayName), .text(test.description),
                         .number(test.statistic, decimals: 3),
                         .text(test.denominatorDegrees.map { "\(test.numeratorDegrees), \(Int($0))" } ?? "\(test.numeratorDegrees)"),
                         .pValue(test.pValue)]
                    },
                    note: "A small p-value flags effects before support started: supported \(unitsNoun) were already on another path. A large one does not prove parallel trends (see the caveats).")
    }

    public var baconTable: ReportTable {
        ReportTable(name: "bacon", title: "Goodman-Bacon decomposition of TWFE (balanced panel)",
                    header: ["Programme", "Outcome", "TWFE (balanced)", "Weight: vs never supported", "Weight: later vs earlier (forbidden)", "Weight: earlier vs later", "Mean estimate of forbidden comparisons"],
                    rows: bacon.compactMap { entry in
                        guard let decomposition = entry.decomposition else { return nil }
                        return [.text(entry.programme), .text(entry.outcome), .estimate(decomposition.twfeEstimate),
                                .number(decomposition.weightsByKind[.treatedVsNever] ?? 0, decimals: 3),
                                .number(decomposition.forbiddenWeight, decimals: 3),
                                .number(decomposition.weightsByKind[.earlierVsLater] ?? 0, decimals: 3),
                                .estimate(decomposition.estimateByKind[.laterVsEarlier] ?? .nan)]
                    },
                    note: "Later-vs-earlier comparisons use already-supported \(unitsNoun) as controls; when effects grow over time they pull TWFE away from the true effect.")
    }

    public var bootstrapTable: ReportTable {
        ReportTable(name: "bootstrap", title: "Multiplier bootstrap of Callaway–Sant'Anna's overall effect",
                    header: ["Programme", "Outcome", "Estimate", "Analytic SE", "Bootstrap SE", "\(level) CI low", "\(level) CI high", "Sup-t critical value (event-time band)", "Replicates", "Seed"],
                    rows: bootstrap.map { row in
                        [.text(row.programme), .text(row.outcome), .estimate(row.estimate), .estimate(row.analyticStandardError),
                         .estimate(row.bootstrapStandardError), .estimate(row.low), .estimate(row.high),
                         .number(row.dynamicCriticalValue ?? .nan, decimals: 3), .integer(row.replicates), .text(String(row.seed))]
                    },
                    note: "Rademacher weights per \(spec.unitNoun.one); the sup-t critical value widens the event-time intervals into a band that covers the whole profile at once.")
    }

    public var subgroupTable: ReportTable {
        let withTruth = subgroups.contains { $0.effect.truth != nil }
        var header = ["Subgroup", "Programme", "Outcome", "Estimator", "Estimate", "\(level) CI low", "\(level) CI high", "Treated \(unitsNoun)"]
        if withTruth { header.append("True effect") }
        header.append("Warnings")
        let (marks, footnotes) = Self.footnotes(subgroups.map { $0.tooFewTreated(spec.unitNoun) == nil ? $0.effect.warnings : [] })
        return ReportTable(name: "subgroups", title: "Effects within subgroups (headline estimator, analytic inference)", header: header,
                           rows: zip(subgroups, marks).map { group, mark in
                               let effect = group.effect
                               var row: [Cell] = [.text("\(group.column) = \(group.level)"), .text(effect.programme), .text(effect.outcome), .text(effect.estimator.displayName)]
                               if let failure = effect.failure {
                                   row += [.text("not estimated: \(failure)"), .text("—"), .text("—"), .text("—")]
                               } else if let flag = group.tooFewTreated(spec.unitNoun) {
                                   row += [.text(flag), .text("—"), .text("—"), .integer(effect.treatedUnits)]
                               } else {
                                   row += numbers([effect.estimate, effect.low, effect.high]) + [.integer(effect.treatedUnits)]
                               }
                               if withTruth { row.append(effect.truth.map { .estimate($0) } ?? .text("—")) }
                               return row + [mark]
                           },
                           note: "Small subgroups give wide intervals; a difference between subgroups needs its own test before it is read as one. A subgroup with fewer than \(SubgroupEffect.minimumTreatedUnits) treated \(unitsNoun) is not shown as an estimate: its number is those \(unitsNoun)' own history, and its interval cannot be trusted (results.json keeps it, flagged).",
                           footnotes: footnotes)
    }

    /// Every table, in report order.
    public var tables: [ReportTable] {
        [headlineTable, sampleTable, outcomeTable, overlapTable, effectsTable, pretrendTable, baconTable, bootstrapTable, subgroupTable, adjustedTable]
    }
}
