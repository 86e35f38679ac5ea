// Sun & Abraham (2021, J. Econometrics), "Estimating dynamic treatment effects in event studies
// with heterogeneous treatment effects": the interaction-weighted estimator.
//
// Goals, in order:
// 1. fixest's `sunab()` numbers: one indicator per cohort × relative period (every relative period
//    but −1; never-treated units get none, so they are the comparison group), unit and period
//    fixed effects (plus any `--fe`), the covariance the user asked for (clustered by unit by
//    default); event-time effects are averages of the cohort coefficients weighted by each cell's
//    number of observations in the estimation sample, and the overall ATT weights every
//    post-treatment cell the same way, with the delta-method covariance treating the weights as
//    fixed (fixest's `aggregate()`; the paper's variance also accounts for estimated shares).
// 2. Without never-treated units, the last-treated cohort is the comparison group and the periods
//    from its start on are left out (Sun & Abraham §4.1), said in a note.

import Estimation
import Formula
import Inference
import LinearAlgebra
import PanelData
import Primitives

/// Sun–Abraham's cohort × relative-period regression and its event-time and overall averages.
struct SunAbrahamEstimator: DiDEstimator {
    var id: StaggeredEstimator { .sunAbraham }

    /// Fits the interaction-weighted event study on `design`'s panel.
    func estimate(_ design: DiDDesign) throws -> DiDEffectSet {
        let options = design.options
        let structure = design.timing.structure
        let outcome = design.outcomeColumn.values
        var cohorts = design.timing.cohorts
        var notes = [String]()
        var lastPeriod = Int.max
        if design.timing.neverTreatedCount == 0 {
            guard cohorts.count > 1, let last = cohorts.last else {
                throw PanelError("\(structure.source): Sun–Abraham needs never-treated units or at least two cohorts (the last treated one serves as the comparison group)")
            }
            lastPeriod = last
            cohorts.removeLast()
            notes.append("no never-treated units: cohort \(last) serves as the comparison group and periods from \(last) on are left out")
        }
        // Cohorts treated from the first period have no untreated period: their effects are not
        // identified against their own unit effects, so their rows are left out (said in the sample).
        let firstPeriod = structure.periodValues.first ?? 0
        let alwaysTreated = Set(cohorts.filter { $0 <= firstPeriod })
        cohorts.removeAll { alwaysTreated.contains($0) }
        let treatedCohorts = Set(cohorts)
        // Rows that can enter the regression, to count observations per cell for the weights.
        var usable = outcome.map { !$0.isNaN }
        // Rows without a usable outcome first, then this estimator's own filters.
        var drops = design.outcomeColumn.drops()
        if !alwaysTreated.isEmpty {
            var rows = 0
            var units = Set<Int32>()
            for row in 0..<structure.rowCount {
                guard let g = structure.cohorts[Int(structure.unitCodes[row])], alwaysTreated.contains(g) else { continue }
                if usable[row] { rows += 1 }
                usable[row] = false
                units.insert(structure.unitCodes[row])
            }
            drops.append(.init(reason: "treated in the first period: no untreated period", rows: rows, units: units.count))
        }
        for row in 0..<structure.rowCount where structure.periods[row] >= lastPeriod { usable[row] = false }
        var rowsPerUnit = [Int](repeating: 0, count: structure.unitCount)
        for row in 0..<structure.rowCount where usable[row] { rowsPerUnit[Int(structure.unitCodes[row])] += 1 }
        var cellRows = [Int: [Int]]()  // key g * 4096 + (e + 2048)
        func key(_ g: Int, _ e: Int) -> Int { g * 4096 + (e + 2048) }
        for row in 0..<structure.rowCount where usable[row] && rowsPerUnit[Int(structure.unitCodes[row])] > 1 {
            guard let g = structure.cohorts[Int(structure.unitCodes[row])], treatedCohorts.contains(g) else { continue }
            let e = structure.periods[row] - g
            if e != -1 { cellRows[key(g, e), default: []].append(row) }
        }
        let cells = cellRows.keys.sorted().map { (g: $0 / 4096, e: $0 % 4096 - 2048) }
        guard !cells.isEmpty else { throw PanelError("\(structure.source): no treated observations besides the reference period −1: Sun–Abraham has nothing to estimate") }
        try StaggeredCellBudget.checkSunAbraham(cells: cells.count, rows: structure.rowCount, cohorts: treatedCohorts.count)
        var extra = [(String, Column)]()
        var names = [String]()
        for cell in cells {
            let name = "sunab_\(cell.g)_\(cell.e < 0 ? "m" : "")\(abs(cell.e))"
            var column = [Double](repeating: 0, count: structure.rowCount)
            for row in 0..<structure.rowCount where !usable[row] { column[row] = .nan }
            for row in cellRows[key(cell.g, cell.e)] ?? [] { column[row] = 1 }
            extra.append((name, .numeric(column)))
            names.append(name)
        }
        // Each data row's cell (its indicator's position in `names`, −1 for none), for the
        // leave-one-out covariance on panels with gaps (SunAbraham+LeaveOut.swift).
        let periodsUsed = Set((0..<structure.rowCount).filter { usable[$0] }.map { structure.periods[$0] }).count
        let hasGaps = rowsPerUnit.contains { $0 > 0 && $0 < periodsUsed }
        var cellOfDataRow: [Int]? = nil
        if options.leaveOutOnGaps && hasGaps {
            var labels = [Int](repeating: -1, count: structure.rowCount)
            for (index, cell) in cells.enumerated() { for row in cellRows[key(cell.g, cell.e)] ?? [] { labels[row] = index } }
            cellOfDataRow = labels
        }
        let fitted = try design.fit(formulaTerms: names, options: options, extraColumns: extra)
        let fit = fitted.fit
        let cr2 = options.cr2Covariance ? try design.cr2Covariance(fitted) : nil
        let leaveOut = cr2 == nil ? cellOfDataRow.flatMap { Self.leaveOutCovariance(fitted, cellOfDataRow: $0) } : nil
        let coefficientIndex = Dictionary(uniqueKeysWithValues: fit.coefficientNames.enumerated().map { ($1, $0) })
        var kept = [(g: Int, e: Int, index: Int, rows: Int)]()
        for (position, cell) in cells.enumerated() {
            guard let index = coefficientIndex[names[position]] else { continue }
            kept.append((cell.g, cell.e, index, cellRows[key(cell.g, cell.e)]?.count ?? 0))
        }
        if kept.count < cells.count { notes.append("\(cells.count - kept.count) cohort × period indicators were collinear with the fixed effects and dropped") }
        let unitsPerCohort = Dictionary(grouping: (0..<structure.unitCount).compactMap { structure.cohorts[$0] }, by: { $0 }).mapValues(\.count)
        // Rows of A map coefficients to reported estimates: cells, event times, overall.
        var rowsOfA = [[(Int, Double)]]()
        var estimates = [StaggeredEstimate]()
        for cell in kept {
            estimates.append(.init(kind: .cohortPeriod, eventTime: cell.e, group: cell.g, estimate: fit.coefficients[cell.index],
                                   treatedUnits: unitsPerCohort[cell.g] ?? 0, cohortCount: 1))
            rowsOfA.append([(cell.index, 1)])
        }
        func average(_ members: [(g: Int, e: Int, index: Int, rows: Int)], kind: StaggeredEstimateKind, eventTime: Int?) {
            let total = Double(members.reduce(0) { $0 + $1.rows })
            guard total > 0 else { return }
            let row = members.map { ($0.index, Double($0.rows) / total) }
            let estimate = row.reduce(0) { $0 + $1.1 * fit.coefficients[$1.0] }
            let groups = Set(members.map(\.g))
            estimates.append(.init(kind: kind, eventTime: eventTime, estimate: estimate,
                                   treatedUnits: groups.reduce(0) { $0 + (unitsPerCohort[$1] ?? 0) }, cohortCount: groups.count))
            rowsOfA.append(row)
        }
        for e in Set(kept.map(\.e)).sorted() { average(kept.filter { $0.e == e }, kind: .dynamic, eventTime: e) }
        average(kept.filter { $0.e >= 0 }, kind: .simple, eventTime: nil)
        var a = Matrix(rows: rowsOfA.count, columns: fit.coefficients.count)
        for (r, row) in rowsOfA.enumerated() { for (index, weight) in row { a[r, index] = weight } }
        let covariance = try a.multiplied(by: cr2?.matrix ?? leaveOut ?? fitted.covariance.matrix).multiplied(by: a, transposeOther: true)
        let covarianceMethod = cr2?.method ?? "regression covariance \(fitted.covariance.type.description)\(leaveOut == nil ? "" : ", residuals of cells of m rows × m/(m − 1)")"
        let analytic = StaggeredResult(estimator: .sunAbraham, estimates: estimates, covariance: covariance,
                                       degreesOfFreedom: fitted.covariance.degreesOfFreedom,
                                       inference: InferenceDescription(method: "\(covarianceMethod), delta method with fixed weights"),
                                       observationCount: fit.observationCount, clusterCount: fitted.covariance.clusterCounts.min(),
                                       notes: notes.map { Diagnostic(.design, .note, $0) } + fitted.notes.map { Diagnostic(.note, .note, $0) })
        let leads = estimates.indices.filter { estimates[$0].kind == .dynamic && (estimates[$0].eventTime ?? 0) < -1 }
        let result = analytic.withPretrend(analytic.leadTest(candidates: leads, description: "event-time effects before −1 are zero"))
        let usedUnits = Set((0..<structure.rowCount).filter { usable[$0] && rowsPerUnit[Int(structure.unitCodes[$0])] > 1 }.map { structure.unitCodes[$0] })
        let sample = StaggeredSample(rowsRead: structure.rowCount, rows: fit.observationCount, units: usedUnits.count,
                                     unitsPerCohort: StaggeredSample.cohortCounts(usedUnits.map { structure.cohorts[Int($0)] }),
                                     drops: drops, panel: "all observed unit-periods (unbalanced panels allowed)")
        return DiDEffectSet(result: result, sample: sample)
    }
}
