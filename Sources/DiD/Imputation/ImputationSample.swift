// Splitting a panel into the imputation estimator's untreated observations Ω₀ (which fit the fixed
// effects) and treated observations Ω₁ (whose untreated outcome is imputed), Borusyak, Jaravel &
// Spiess (2024, REStud), §3 and Theorem 1.
//
// Goals, in order:
// 1. Agreement with the peers: Ω₀ is the never-treated units' rows and the treated units' rows
//    before their cohort, as in Stata did_imputation and pyfixest did2s (with anticipation, the
//    last `anticipation` periods before the cohort count as treated too, BJS §4.4); a treated row
//    whose unit, period or other fixed-effect level has no untreated row has no imputed value and
//    is left out with a note that counts it and says why.
// 2. Speed: a few O(N) passes; every fixed effect is renumbered through lookup arrays over its
//    levels, into the compact arrays the solver and the variance read.

import Estimation
import PanelData
import Inference

/// The untreated and the imputable treated rows of an imputation design, with fixed effects
/// renumbered over the levels the untreated rows reach.
struct ImputationSample {
    /// Treated rows in compact columnar form.
    struct TreatedRows {
        /// The level of the eliminated factor (usually the unit), as in the untreated numbering.
        var primary: [Int32] = []
        /// The levels of the other factors, `width` per row.
        var secondary: [Int32] = []
        var outcome: [Double] = []
        var cluster: [Int32] = []
        var unit: [Int32] = []
        /// Periods since the cohort's first treated period (≥ −anticipation).
        var horizon: [Int] = []
        /// Index of the unit's cohort in `cohortValues`.
        var cohort: [Int32] = []

        var count: Int { outcome.count }

        /// The rows where `keep` is true.
        func filtered(_ keep: [Bool], width: Int) -> TreatedRows {
            var result = TreatedRows()
            for row in 0..<count where keep[row] {
                result.primary.append(primary[row])
                result.secondary.append(contentsOf: secondary[(row * width)..<((row + 1) * width)])
                result.outcome.append(outcome[row])
                result.cluster.append(cluster[row])
                result.unit.append(unit[row])
                result.horizon.append(horizon[row])
                result.cohort.append(cohort[row])
            }
            return result
        }
    }

    /// The number of factors besides the eliminated one, and the level counts of both sides.
    let width: Int
    let primaryCount: Int
    let secondaryCount: Int
    /// Where each other factor's levels start in the secondary numbering, and how many it has.
    let secondaryOffsets: [Int32]
    let secondaryLevelCounts: [Int]
    /// Untreated rows: levels, outcome and cluster.
    var untreatedPrimary: [Int32] = []
    var untreatedSecondary: [Int32] = []
    var untreatedOutcome: [Double] = []
    var untreatedCluster: [Int32] = []
    /// Treated rows that can be imputed so far.
    var treated = TreatedRows()
    /// The treated rows before any was left out.
    let treatedRowCount: Int
    /// The distinct cohorts, ascending.
    let cohortValues: [Int]
    /// Counts of treated rows left out, with the reasons.
    var notes: [String] = []

    /// Splits `input`'s rows; throws when there are no untreated or no treated rows.
    init(_ input: ImputationInput) throws(PanelError) {
        let rows = input.rowCount
        var isTreated = [Bool](repeating: false, count: rows)
        var treatedCount = 0
        for row in 0..<rows where input.isTreated(row: row) {
            isTreated[row] = true
            treatedCount += 1
        }
        let untreatedCount = rows - treatedCount
        guard untreatedCount > 0 else {
            throw PanelError("imputation: no untreated observations: every one of the \(rows) rows is at or after its unit's first treated period (minus \(input.anticipation) of anticipation), so there are no never-treated or not-yet-treated rows to fit the \(input.unitName) and \(input.timeName) effects on")
        }
        guard treatedCount > 0 else {
            throw PanelError("imputation: no treated observations: no unit of '\(input.unitName)' is observed at or after its first treated period; there is no effect to estimate")
        }
        treatedRowCount = treatedCount

        let periodFactor = Factor(name: input.timeName, keys: input.periods.map { Int64($0) })
        let factors = [Factor(name: input.unitName, denseCodes: input.unitCodes, levelCount: input.unitCount), periodFactor]
            + input.extraFixedEffects
        // Renumber each factor over the levels that untreated rows reach (−1: none).
        var compact = [[Int32]]()
        var reached = [Int]()
        for factor in factors {
            var map = [Int32](repeating: -1, count: factor.levelCount)
            factor.codes.withUnsafeBufferPointer { codes in
                for row in 0..<rows where !isTreated[row] { map[Int(codes[row])] = 0 }
            }
            var next: Int32 = 0
            for level in 0..<map.count where map[level] == 0 {
                map[level] = next
                next += 1
            }
            compact.append(map)
            reached.append(Int(next))
        }
        // Eliminate the factor with the most levels exactly; the others form the reduced system.
        var eliminated = 0
        for index in factors.indices where reached[index] > reached[eliminated] { eliminated = index }
        let others = factors.indices.filter { $0 != eliminated }
        var offsets = [Int32]()
        var total = 0
        for index in others {
            offsets.append(Int32(total))
            total += reached[index]
        }
        width = others.count
        primaryCount = reached[eliminated]
        secondaryCount = total
        secondaryOffsets = offsets
        secondaryLevelCounts = others.map { reached[$0] }

        let cohortValues = Array(Set(input.cohorts.compactMap { $0 })).sorted()
        self.cohortValues = cohortValues
        var cohortIndexOfUnit = [Int32](repeating: -1, count: input.unitCount)
        let cohortIndex = Dictionary(uniqueKeysWithValues: cohortValues.enumerated().map { ($1, Int32($0)) })
        for unit in 0..<input.unitCount { cohortIndexOfUnit[unit] = input.cohorts[unit].flatMap { cohortIndex[$0] } ?? -1 }

        // Column by column: each row's renumbered level of every factor, and the first factor whose
        // level no untreated row reaches (only treated rows can have one; they cannot be imputed).
        let mapped = factors.indices.map { index in
            let map = compact[index]
            return factors[index].codes.map { map[Int($0)] }
        }
        var firstMissing = [Int32](repeating: -1, count: rows)
        for index in factors.indices.reversed() {
            for (row, level) in mapped[index].enumerated() where level < 0 { firstMissing[row] = Int32(index) }
        }
        var droppedRows = [Int](repeating: 0, count: factors.count)
        var droppedLevels = factors.map { [Bool](repeating: false, count: $0.levelCount) }
        for (row, index) in firstMissing.enumerated() where index >= 0 {
            droppedRows[Int(index)] += 1
            droppedLevels[Int(index)][Int(factors[Int(index)].codes[row])] = true
        }
        var untreatedRows = [Int](), treatedRows = [Int]()
        untreatedRows.reserveCapacity(untreatedCount)
        treatedRows.reserveCapacity(treatedCount)
        for row in 0..<rows {
            if !isTreated[row] {
                untreatedRows.append(row)
            } else if firstMissing[row] < 0 {
                treatedRows.append(row)
            }
        }
        let clusters = input.effectiveClusters.codes
        let otherLevels = others.map { mapped[$0] }
        let primaryLevels = mapped[eliminated]
        // The other factors' levels of `selected` rows, row-major and offset into one numbering.
        func secondaryLevels(of selected: [Int]) -> [Int32] {
            var result = [Int32](repeating: 0, count: selected.count * others.count)
            for (a, levels) in otherLevels.enumerated() {
                let offset = offsets[a], k = others.count
                for (position, row) in selected.enumerated() { result[position * k + a] = offset + levels[row] }
            }
            return result
        }
        untreatedPrimary = untreatedRows.map { primaryLevels[$0] }
        untreatedSecondary = secondaryLevels(of: untreatedRows)
        untreatedOutcome = untreatedRows.map { input.outcome[$0] }
        untreatedCluster = untreatedRows.map { clusters[$0] }
        treated.primary = treatedRows.map { primaryLevels[$0] }
        treated.secondary = secondaryLevels(of: treatedRows)
        treated.outcome = treatedRows.map { input.outcome[$0] }
        treated.cluster = treatedRows.map { clusters[$0] }
        treated.unit = treatedRows.map { input.unitCodes[$0] }
        treated.horizon = treatedRows.map { input.periods[$0] - (input.cohorts[Int(input.unitCodes[$0])] ?? 0) }
        treated.cohort = treatedRows.map { cohortIndexOfUnit[Int(input.unitCodes[$0])] }
        for index in factors.indices where droppedRows[index] > 0 {
            let rows = Self.count(droppedRows[index], "treated row")
            let levels = droppedLevels[index].reduce(0) { $0 + ($1 ? 1 : 0) }
            let name = factors[index].name
            switch index {
            case 0:
                notes.append("\(rows) of \(Self.count(levels, "unit")) of '\(name)' with no untreated period (treated throughout the panel) cannot be imputed and were left out")
            case 1:
                notes.append("\(rows) in \(Self.count(levels, "period")) of '\(name)' in which every observed unit is treated cannot be imputed and were left out")
            default:
                notes.append("\(rows) in \(Self.count(levels, "level")) of fixed effect '\(name)' with no untreated observation cannot be imputed and were left out")
            }
        }
    }

    /// Leaves out the treated rows whose fixed effects the untreated rows do not identify (a part
    /// of the panel not connected to the rest), with a note.
    mutating func dropUnidentified(by equations: ImputationNormalEquations) {
        var keep = [Bool](repeating: true, count: treated.count)
        var dropped = 0
        treated.secondary.withUnsafeBufferPointer { secondary in
            for row in 0..<treated.count {
                let levels = UnsafeBufferPointer(rebasing: secondary[(row * width)..<((row + 1) * width)])
                if !equations.isIdentified(primary: treated.primary[row], secondary: levels) {
                    keep[row] = false
                    dropped += 1
                }
            }
        }
        guard dropped > 0 else { return }
        treated = treated.filtered(keep, width: width)
        notes.append("\(Self.count(dropped, "treated row")) whose fixed effects are not identified from the untreated observations (their unit and period are not connected through untreated rows) cannot be imputed and were left out")
    }

    /// "1 unit", "3 units".
    static func count(_ value: Int, _ noun: String) -> String { "\(value) \(noun)\(value == 1 ? "" : "s")" }
}
