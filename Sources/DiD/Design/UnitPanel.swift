import Inference
import PanelData

/// A balanced panel in wide form for Callaway–Sant'Anna: one row per unit, one column per period,
/// with each unit's cohort, baseline covariates and cluster.
///
/// Built as R did does with `panel = TRUE` (its default): rows with a missing outcome or covariate
/// are dropped, then units not observed in every period, then units treated in the first period
/// (plus anticipation), which have no pre-treatment period to compare with. Every drop is counted
/// in `sample`.
public struct UnitPanel: Sendable {
    /// The periods, ascending.
    public let periods: [Int]
    /// The number of units kept.
    public let unitCount: Int
    /// Outcomes, unit-major: `outcome[unit * periods.count + periodIndex]`.
    public let outcome: [Double]
    /// Each unit's cohort; `UnitPanel.neverTreated` for never treated.
    public let cohorts: [Int]
    /// The cohort of never-treated units: a value no period can take, since 0 (or any other
    /// code) may be a period of the panel (`--never-treated none` on time −1…3).
    public static let neverTreated = Int.min
    /// Baseline covariates, row-major `unitCount × covariateNames.count` (no intercept column).
    public let covariates: [Double]
    /// Names of the covariate columns (text covariates expand to `name::level` indicators).
    public let covariateNames: [String]
    /// Clusters of units, when clustering is coarser than the unit.
    public let clusters: ClusterVariable?
    /// Each unit's first usable row of the table read (a unit's influence is tied to it).
    public let unitFirstRows: [Int]
    /// What was used and what was dropped.
    public let sample: StaggeredSample
    /// Whether every unit is observed in every period (the panel estimators apply); otherwise the
    /// outcome matrix has NaN gaps and each comparison treats its two periods as cross-sections.
    public let isBalanced: Bool

    /// How to treat a panel with gaps.
    public enum Mode: String, Sendable, CaseIterable {
        /// Balanced if the data are, otherwise pairwise.
        case auto
        /// Keep only units observed in every period (R did's default, `panel = TRUE`).
        case balanced
        /// Keep every unit; each ATT(g,t) treats its two periods as repeated cross-sections
        /// (R did's `allow_unbalanced_panel = TRUE`).
        case unbalanced
        /// Keep every unit; each ATT(g,t) is a panel 2x2 on the units observed in both of its
        /// periods, so units are compared with themselves even when the panel has gaps.
        case pairwise
    }

    /// How the comparisons are formed.
    public let comparison: Mode


    /// Builds the wide panel from a long table's structure and columns.
    public init(structure: PanelStructure, outcome: OutcomeColumn, covariates: [(String, Column)],
                cluster: (String, Column)?, anticipation: Int, mode: Mode = .balanced) throws(PanelError) {
        let source = structure.source
        let rowCount = structure.rowCount
        var usable = outcome.values.map { !$0.isNaN }
        var drops = outcome.drops()
        for (name, column) in covariates {
            var missing = 0
            for row in 0..<rowCount where usable[row] && Self.isMissing(column, row) {
                usable[row] = false
                missing += 1
            }
            if missing > 0 { drops.append(.init(reason: "covariate \(name): missing", rows: missing, units: 0)) }
        }
        let unitTotal = structure.unitCount
        // Covariates and clusters must be constant within a unit: CS conditions on baseline values.
        var firstRow = [Int](repeating: -1, count: unitTotal)
        for row in 0..<rowCount where usable[row] {
            let unit = Int(structure.unitCodes[row])
            let first = firstRow[unit]
            guard first >= 0 else { firstRow[unit] = row; continue }
            for (name, column) in covariates where !Self.equal(column, first, row) {
                throw PanelError("\(source): covariate '\(name)' varies within unit \(structure.unitLabels[unit]) (\(Self.show(column, first)) in period \(structure.periods[first]), \(Self.show(column, row)) in period \(structure.periods[row])); Callaway–Sant'Anna conditions on time-invariant covariates: use each unit's baseline value (for example its value in the first period) as a column of its own")
            }
            if let (name, column) = cluster, !Self.equal(column, first, row) {
                throw PanelError("\(source): cluster variable '\(name)' varies within unit \(structure.unitLabels[unit]); clusters must contain whole units")
            }
        }
        // Balance: keep units observed with a usable outcome in every period.
        let periodValues = structure.periodValues
        let periodCount = periodValues.count
        var periodIndex = [Int: Int]()
        for (index, period) in periodValues.enumerated() { periodIndex[period] = index }
        var observed = [Int](repeating: 0, count: unitTotal)
        var unitRows = [Int](repeating: 0, count: unitTotal)
        for row in 0..<rowCount {
            unitRows[Int(structure.unitCodes[row])] += 1
            if usable[row] { observed[Int(structure.unitCodes[row])] += 1 }
        }
        let complete = (0..<unitTotal).map { observed[$0] == periodCount }
        let hasGaps = (0..<unitTotal).contains { observed[$0] > 0 && !complete[$0] }
        let balance = mode == .balanced || (mode == .auto && !hasGaps)
        var keep = (0..<unitTotal).map { balance ? complete[$0] : observed[$0] > 0 }
        let unbalanced = (0..<unitTotal).filter { !keep[$0] && observed[$0] > 0 }
        if balance && !unbalanced.isEmpty {
            let rows = unbalanced.reduce(0) { $0 + observed[$1] }
            drops.append(.init(reason: "not observed with the outcome in all \(periodCount) periods (balanced panel, as R did's panel = TRUE)", rows: rows, units: unbalanced.count))
        }
        // Units treated before any pre-treatment period exists.
        guard let firstPeriod = periodValues.first else { throw PanelError("\(source): the panel has no periods") }
        var early = (units: 0, rows: 0)
        for unit in 0..<unitTotal where keep[unit] {
            if let cohort = structure.cohorts[unit], cohort - anticipation <= firstPeriod {
                keep[unit] = false
                early.units += 1
                early.rows += observed[unit]
            }
        }
        if early.units > 0 {
            let when = anticipation > 0 ? "within \(anticipation) period(s) of the first period (anticipation)" : "in the first period"
            drops.append(.init(reason: "treated \(when): no pre-treatment period", rows: early.rows, units: early.units))
        }
        var newCode = [Int](repeating: -1, count: unitTotal)
        var count = 0
        for unit in 0..<unitTotal where keep[unit] { newCode[unit] = count; count += 1 }
        guard count > 0 else {
            throw PanelError(balance
                ? "\(source): no unit is observed with '\(outcome.name)' in all \(periodCount) periods, so the balanced panel is empty; use --panel unbalanced"
                : "\(source): no unit has a usable '\(outcome.name)' with a pre-treatment period")
        }
        var values = [Double](repeating: .nan, count: count * periodCount)
        var cohorts = [Int](repeating: Self.neverTreated, count: count)
        for unit in 0..<unitTotal where newCode[unit] >= 0 { cohorts[newCode[unit]] = structure.cohorts[unit] ?? Self.neverTreated }
        for row in 0..<rowCount where usable[row] {
            let unit = newCode[Int(structure.unitCodes[row])]
            guard unit >= 0, let column = periodIndex[structure.periods[row]] else { continue }
            values[unit * periodCount + column] = outcome.values[row]
        }
        // Covariates at each kept unit's first usable row.
        let keptFirstRows = (0..<unitTotal).filter { newCode[$0] >= 0 }.map { firstRow[$0] }
        let design = try Self.covariateDesign(covariates, rows: keptFirstRows, source: source)
        self.clusters = cluster.map { Self.unitClusters($0.0, $0.1, rows: keptFirstRows) }
        self.unitFirstRows = keptFirstRows
        self.periods = periodValues
        self.unitCount = count
        self.outcome = values
        self.cohorts = cohorts
        self.covariates = design.values
        self.covariateNames = design.names
        let rowsUsed = values.lazy.filter { !$0.isNaN }.count
        self.isBalanced = rowsUsed == count * periodCount
        self.comparison = isBalanced ? .balanced : (mode == .unbalanced ? .unbalanced : .pairwise)
        let span = "\(periodValues.first ?? 0)–\(periodValues.last ?? 0)"
        self.sample = StaggeredSample(
            rowsRead: rowCount, rows: rowsUsed, units: count,
            unitsPerCohort: StaggeredSample.cohortCounts(cohorts.map { $0 == Self.neverTreated ? nil : $0 }), drops: drops,
            panel: isBalanced
                ? "balanced panel: \(count) units observed in all \(periodCount) periods \(span)"
                : mode == .unbalanced
                ? "unbalanced panel: \(count) units observed in some of the \(periodCount) periods \(span); each ATT(g,t) compares the rows of its two periods as repeated cross-sections (R did's allow_unbalanced_panel = TRUE)"
                : "unbalanced panel: \(count) units observed in some of the \(periodCount) periods \(span); each ATT(g,t) compares the units observed in both of its periods (pairwise balanced; --panel balanced keeps only complete units as R did's default, --panel unbalanced uses R did's repeated cross-sections)")
    }

    /// Numeric covariates as they are; text covariates as indicators of every level but the
    /// first in sorted order (R's `model.matrix` treatment coding).
    static func covariateDesign(_ covariates: [(String, Column)], rows: [Int], source: String) throws(PanelError) -> (values: [Double], names: [String]) {
        var columns = [[Double]]()
        var names = [String]()
        for (name, column) in covariates {
            switch column {
            case let .numeric(values):
                let picked = rows.map { values[$0] }
                guard let first = picked.first, picked.contains(where: { $0 != first }) else {
                    throw PanelError("\(source): covariate '\(name)' takes one value for every unit; it cannot explain treatment or outcome trends: remove it")
                }
                columns.append(picked)
                names.append(name)
            case let .text(text):
                let codes = rows.map { Int(text.codes[$0]) }
                let present = Set(codes).sorted { text.levels[$0] < text.levels[$1] }
                guard present.count > 1 else {
                    throw PanelError("\(source): covariate '\(name)' takes one value ('\(present.first.map { text.levels[$0] } ?? "")') for every unit: remove it")
                }
                for level in present.dropFirst() {
                    columns.append(codes.map { $0 == level ? 1 : 0 })
                    names.append("\(name)::\(text.levels[level])")
                }
            }
        }
        var values = [Double](repeating: 0, count: rows.count * columns.count)
        for (j, column) in columns.enumerated() {
            for i in 0..<rows.count { values[i * columns.count + j] = column[i] }
        }
        return (values, names)
    }

    static func unitClusters(_ name: String, _ column: Column, rows: [Int]) -> ClusterVariable {
        var lookup = [String: Int32]()
        let codes = rows.map { row -> Int32 in
            let key = show(column, row)
            if let code = lookup[key] { return code }
            let code = Int32(lookup.count)
            lookup[key] = code
            return code
        }
        return ClusterVariable(name: name, codes: codes, count: lookup.count)
    }

    static func isMissing(_ column: Column, _ row: Int) -> Bool {
        switch column {
        case let .numeric(values): return !values[row].isFinite
        case let .text(text): return text.codes[row] < 0
        }
    }

    static func equal(_ column: Column, _ a: Int, _ b: Int) -> Bool {
        switch column {
        case let .numeric(values): return values[a] == values[b] || (values[a].isNaN && values[b].isNaN)
        case let .text(text): return text.codes[a] == text.codes[b]
        }
    }

    static func show(_ column: Column, _ row: Int) -> String {
        switch column {
        case let .numeric(values): return "\(values[row])"
        case let .text(text): return text.codes[row] >= 0 ? text.levels[Int(text.codes[row])] : "NA"
        }
    }
}
