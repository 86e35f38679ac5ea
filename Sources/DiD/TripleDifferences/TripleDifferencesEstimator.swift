// Triple differences in `quipu did` (`--estimator ddd --partition COLUMN`; Ortiz-Villavicencio &
// Sant'Anna 2025, see TripleDifferences.swift): the partition column checked (0/1, constant
// within units, both levels in every cohort), the panel (balanced, or pairwise on a panel with
// gaps) with the covariates and the partition as its last column, and Callaway–Sant'Anna's aggregations and inference.
//
// Goals: refuse what the estimator cannot use with one line naming the column (a partition that
// is text, takes other values than 0 and 1, has one level, varies within a unit or leaves a cohort
// without eligible or ineligible units); otherwise behave as Callaway–Sant'Anna does with the
// same options (cohorts, base period, comparison group, aggregations, bootstrap).

import PanelData
import Primitives

/// Triple differences as a `quipu did` estimator.
struct TripleDifferencesEstimator: DiDEstimator {
    var id: StaggeredEstimator { .tripleDifferences }

    func estimate(_ design: DiDDesign) throws -> DiDEffectSet {
        let options = design.options
        let table = design.sourceTable
        let structure = design.timing.structure
        guard let partitionName = options.partition else { throw PanelError("--estimator ddd needs --partition COLUMN (1 for eligible units, 0 for the others)") }
        guard !options.covariates.contains(partitionName) else {
            throw PanelError("the partition '\(partitionName)' is also among --covariates: triple differences compare its two levels, so it cannot be a covariate as well")
        }
        guard options.callawaySantAnna.anticipation == 0 else { throw PanelError("--anticipation is not available with --estimator ddd (moderndid's and R triplediff's ddd have none)") }
        guard options.effect == .level else { throw PanelError("--estimator ddd estimates level effects; --effect proportional is not available for it") }
        let partition = try Self.checkedPartition(partitionName, table: table, structure: structure)
        var covariates = [(String, Column)]()
        for name in options.covariates {
            guard let column = table.column(named: name) else { throw PanelError("\(table.source): no column named '\(name)'") }
            covariates.append((name, column))
        }
        let (cluster, notes) = try CallawaySantAnnaEstimator.clusterColumn(design, estimator: "Triple differences")
        // The partition rides along as the last covariate column, so that it follows the panel's
        // units; the 2x2 models use the columns before it.
        guard options.panelMode != .unbalanced else {
            throw PanelError("--panel unbalanced (repeated cross-sections) is not available with --estimator ddd: use --panel auto or pairwise (each ATT(g,t) on the units observed in both its periods) or balanced")
        }
        let panel = try UnitPanel(structure: structure, outcome: design.outcomeColumn, covariates: covariates + [(partitionName, partition)],
                                  cluster: cluster, anticipation: 0, mode: options.panelMode)
        let stride = panel.covariateNames.count
        let eligible = (0..<panel.unitCount).map { panel.covariates[$0 * stride + stride - 1] == 1 }
        try Self.checkCells(partitionName, panel: panel, eligible: eligible, source: table.source)
        var dddOptions = options.callawaySantAnna
        dddOptions.threads = 1
        try CallawaySantAnna.checkBudget(panel: panel, options: dddOptions)
        let cells = try TripleDifferences.cells(panel: panel, eligible: eligible, covariateColumns: stride - 1, options: dddOptions)
        var eligiblePerCohort = [Int: Int]()
        for unit in 0..<panel.unitCount where eligible[unit] { eligiblePerCohort[panel.cohorts[unit], default: 0] += 1 }
        let result = try CallawaySantAnna.inference(cells, panel: panel, aggregations: options.aggregations, bootstrap: options.bootstrap,
                                                    unitName: structure.unitName, estimator: .tripleDifferences,
                                                    treatedUnitsPerCohort: eligiblePerCohort)
        let covariateNames = panel.covariateNames.dropLast()
        let eligibleCount = eligible.lazy.filter { $0 }.count
        let method = "ATT(g,t) of the eligible units (\(partitionName) = 1: \(eligibleCount) of \(panel.unitCount) units) by \(dddOptions.method.rawValue) triple differences "
            + "(Ortiz-Villavicencio & Sant'Anna 2025) against \(dddOptions.control == .never ? "never-treated" : "not-yet-treated (GMM-weighted)") units, "
            + "\(dddOptions.basePeriod.rawValue) base period" + (covariateNames.isEmpty ? "" : ", covariates " + covariateNames.joined(separator: ", "))
        let designNotes = notes + (options.extraFixedEffects.isEmpty ? [] : ["--fe applies to the regression estimators (TWFE, Sun–Abraham, imputation); triple differences condition on covariates instead"])
        return DiDEffectSet(result: result.withNotes([Diagnostic(.descriptive, .note, method)] + result.notes + designNotes.map { Diagnostic(.design, .note, $0) }),
                            sample: panel.sample)
    }

    /// The partition column (or a formula expression of columns, `I(cbi_cohort > 0)`), checked row
    /// by row: numeric, 0 or 1, present, constant within units, with both levels.
    static func checkedPartition(_ name: String, table: DataTable, structure: PanelStructure) throws -> Column {
        let column: Column
        if let named = table.column(named: name) {
            column = named
        } else if name.contains("(") {
            // An expression such as I(cbi_cohort > 0), evaluated as an outcome is (1 where true).
            column = .numeric(try OutcomeColumn(outcome: name, table: table).values)
        } else {
            throw PanelError("\(table.source): no column named '\(name)' (--partition)")
        }
        guard case let .numeric(values) = column else {
            throw PanelError("\(table.source): partition '\(name)' is text; it must be 1 for eligible units and 0 for the others")
        }
        var unitValue = [Double?](repeating: nil, count: structure.unitCount)
        var levels = Set<Double>()
        for row in values.indices {
            let unit = Int(structure.unitCodes[row])
            let value = values[row]
            guard value == 0 || value == 1 else {
                let shown = value.isNaN ? "missing" : NumberFormat.significant(value)
                throw PanelError("\(table.source): partition '\(name)' is \(shown) for unit \(structure.unitLabels[unit]) in period \(structure.periods[row]); it must be 1 (eligible) or 0 for every row")
            }
            if let earlier = unitValue[unit], earlier != value {
                throw PanelError("\(table.source): partition '\(name)' varies within unit \(structure.unitLabels[unit]) (\(Int(earlier)) and \(Int(value)), period \(structure.periods[row])); it must be constant within units")
            }
            unitValue[unit] = value
            levels.insert(value)
        }
        guard levels.count == 2 else {
            throw PanelError("\(table.source): partition '\(name)' has one level (\(Int(levels.first ?? 0)) for every unit); triple differences compare eligible (1) with ineligible (0) units")
        }
        return column
    }

    /// Refuses a cohort, or the never-treated units, without eligible or without ineligible
    /// units: one of the three 2x2 comparisons of its cells would be empty.
    static func checkCells(_ name: String, panel: UnitPanel, eligible: [Bool], source: String) throws {
        var counts = [Int: (eligible: Int, ineligible: Int)]()
        for unit in 0..<panel.unitCount {
            let entry = counts[panel.cohorts[unit]] ?? (0, 0)
            counts[panel.cohorts[unit]] = eligible[unit] ? (entry.eligible + 1, entry.ineligible) : (entry.eligible, entry.ineligible + 1)
        }
        for cohort in counts.keys.sorted() {
            guard let entry = counts[cohort] else { continue }
            let never = cohort == UnitPanel.neverTreated
            let missing = entry.eligible == 0 ? 1 : entry.ineligible == 0 ? 0 : nil
            guard let missing else { continue }
            let group = never ? "the never-treated units" : "cohort \(cohort)"
            throw PanelError("\(source): partition '\(name)' has no units with \(name) = \(missing) in \(group) (\(entry.eligible + entry.ineligible) units); triple differences need eligible and ineligible units in every cohort and among the comparison units")
        }
    }
}
