// The extended TWFE's logit on cells that predict the outcome perfectly (issue 22: "separation,
// all-zero cells … dropped, counted and named").
//
// Why. A cohort × period cell whose outcome is all 0 (or all 1) has no finite maximum-likelihood
// coefficient: the likelihood rises as δ → −∞ (+∞). On the Peru panel's PUM cohorts (cells of 1–5
// firm-years) 19–23 of 177 cells of an export or temporary-jobs indicator are like that, and Newton's
// fitted probabilities reached 0 or 1 in floating point first, so the information matrix became
// singular and the error blamed collinearity.
//
// What. As the peers do, before the fit: Stata's `logit` (which `jwdid, method(logit)` calls) drops
// an indicator that "predicts failure perfectly" with the observations it covers and says so;
// fixest's `feglm(family = binomial)` removes fixed-effect groups whose outcome is only 0 or only 1,
// with a note counting them (`fixef.rm = "perfect"`). Here the groups are the cells, and a cohort's
// or a period's rows outside every cell (a cohort or period dummy less its cells predicts those rows
// alone): an all-0 or all-1 group's rows are left out, its cells lose their estimate, and the note
// names each. Dropping rows that a coefficient at ±∞ fits exactly leaves the other coefficients'
// maximum unchanged (the limit of the likelihood), so the remaining cells' effects are those of the
// fit with the separated cells at their limits. Repeated until no group is left separated, since a
// drop can separate another group.

import PanelData
import Primitives

extension ExtendedTwoWayFixedEffectsEstimator {
    /// The cells and rows the logit keeps, with the drops and notes of those it leaves out.
    struct LogitSeparation {
        var cells: [Cell]
        var usable: [Bool]
        var drops: [StaggeredSample.Drop] = []
        var notes: [Diagnostic] = []
    }

    /// Leaves out the perfectly predicted cells, cohorts and periods of a 0/1 outcome (header).
    static func logitSeparation(cells requested: [Cell], usable start: [Bool], outcome: [Double], structure: PanelStructure) -> LogitSeparation {
        var usable = start
        var cells = requested
        var namedCells = [String](), namedGroups = [String]()
        var droppedRows = 0
        var droppedUnits = Set<Int32>()
        /// "all 0" or "all 1" when every usable row of `rows` has that outcome, else nil.
        func constant(_ rows: [Int]) -> String? {
            let live = rows.filter { usable[$0] }
            guard let first = live.first.map({ outcome[$0] }) else { return nil }
            return live.allSatisfy({ outcome[$0] == first }) ? "all \(first == 0 ? 0 : 1)" : nil
        }
        func drop(_ rows: [Int]) {
            for row in rows where usable[row] {
                usable[row] = false
                droppedRows += 1
                droppedUnits.insert(structure.unitCodes[row])
            }
        }
        var changed = true
        while changed {
            changed = false
            for cell in cells {
                guard let value = constant(cell.rows) else { continue }
                namedCells.append("(\(cell.group), \(cell.time)) \(value) in \(cell.rows.filter { usable[$0] }.count) row(s)")
                drop(cell.rows)
                changed = true
            }
            cells = cells.compactMap { cell in
                var kept = cell
                kept.rows = cell.rows.filter { usable[$0] }
                return kept.rows.isEmpty ? nil : kept
            }
            // Rows outside every cell, by cohort and by period.
            var inCell = Set<Int>()
            for cell in cells { inCell.formUnion(cell.rows) }
            var byCohort = [Int: [Int]](), byPeriod = [Int: [Int]]()
            for row in 0..<structure.rowCount where usable[row] && !inCell.contains(row) {
                byCohort[structure.cohorts[Int(structure.unitCodes[row])] ?? Int.min, default: []].append(row)
                byPeriod[structure.periods[row], default: []].append(row)
            }
            for (cohort, rows) in byCohort.sorted(by: { $0.key < $1.key }) {
                guard let value = constant(rows) else { continue }
                let label = cohort == Int.min ? "never-treated units" : "cohort \(cohort)"
                namedGroups.append("\(label) outside its cells \(value): every row of the \(cohort == Int.min ? "never-treated units" : "cohort") left out")
                drop((0..<structure.rowCount).filter { (structure.cohorts[Int(structure.unitCodes[$0])] ?? Int.min) == cohort })
                changed = true
            }
            if changed { continue }
            for (period, rows) in byPeriod.sorted(by: { $0.key < $1.key }) {
                guard let value = constant(rows) else { continue }
                namedGroups.append("period \(period)'s comparison rows \(value): every row of period \(period) left out")
                drop((0..<structure.rowCount).filter { structure.periods[$0] == period })
                changed = true
            }
        }
        cells = cells.compactMap { cell in
            var kept = cell
            kept.rows = cell.rows.filter { usable[$0] }
            return kept.rows.isEmpty ? nil : kept
        }
        var result = LogitSeparation(cells: cells, usable: usable)
        guard droppedRows > 0 else { return result }
        result.drops.append(.init(reason: "logit: perfectly predicted (outcome all 0 or all 1 in a cohort × period cell, or in a cohort's or period's rows outside the cells)",
                                  rows: droppedRows, units: droppedUnits.count))
        var parts = [String]()
        if !namedCells.isEmpty { parts.append("\(namedCells.count) cohort × period cell(s) predict the outcome perfectly and are left out (no finite logit coefficient): " + namedCells.joined(separator: "; ")) }
        if !namedGroups.isEmpty { parts.append(namedGroups.joined(separator: "; ")) }
        result.notes.append(Diagnostic(.separation, .warning, "--model logit: " + parts.joined(separator: ". ")
                                       + ". As Stata's logit (jwdid) and fixest's feglm do; the other cells are estimated without them"))
        return result
    }
}
