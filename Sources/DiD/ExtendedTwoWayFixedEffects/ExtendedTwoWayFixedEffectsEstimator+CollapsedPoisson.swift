// The extended TWFE's Poisson fit on cell totals: Wooldridge (2023), "Simple approaches to
// nonlinear difference-in-differences with panel data" (Econometrics Journal 26(3)), §3 — the
// Poisson QMLE with unit effects — computed without a row per firm-year.
//
// Why it is exact. With unit effects the Poisson log-likelihood concentrates them out: at
// α̂ᵢ = log Σₜ yᵢₜ − log Σₜ exp(xₜ'β) it is Σᵢ [Σₜ yᵢₜ xₜ'β − Yᵢ log Σₛ exp(xₛ'β)] + const, Yᵢ the
// unit's total (Hausman, Hall & Griliches 1984's multinomial form). Without covariates the ETWFE's
// regressors xₜ (the cell and period indicators) depend on the unit only through its cohort, so
// units sharing a cohort and the same observed periods (a *group* k) share Σₛ exp(xₛ'β), and the
// likelihood is Σₖ [Σₜ Yₖₜ xₜ'β − Yₖ log Σₛ exp(xₛ'β)]: the same concentrated likelihood as a
// Poisson of the group × period totals Yₖₜ on xₜ with group effects. That small fit (groups ×
// periods rows; on a balanced panel cohorts × periods) is the landed `fepois`, so β̂, its
// separation and collinearity rules are fepois's. (On a balanced panel unit and cohort effects give
// the same β̂, as the issue notes; the group effects are what keeps gappy panels exact too.)
//
// What goes back to the rows: μ̂ᵢₜ = Yᵢ πₖₜ, πₖₜ = exp(xₜ'β̂) / Σₛ exp(xₛ'β̂) over the group's
// periods. The Hessian of the concentrated likelihood, Σᵢ Σₜ μ̂ᵢₜ (xₜ − x̄ₖ)(xₜ − x̄ₖ)', sums to the
// group fit's (Σ_{i∈k} Yᵢ = Yₖ), so its bread is the dense fit's; unit i's score is
// Σₜ (yᵢₜ − Yᵢ πₖₜ) xₜ (no demeaning needed: its residuals sum to zero). One pass over the rows,
// sorted by cluster, accumulates the meat Σ_g s_g s_g', the cells' own sampling terms e_g (as in
// +Effects: (τᵢₜ − τ_c)/n_c and (yᵢₜ − ȳ_c)/n_c, all-zero units included with τ = y = 0) and their
// cross products, so the basis covariance is A M A' + A C + (A C)' + E with A the cells'
// gradients times the bread: no units × parameters matrix. The small-sample factor is fepois's
// G/(G − 1)·(n − 1)/(n − K) with n the firm-year rows the dense fit would use and K its nested count
// (coefficients + 1), the clusters counted as +Effects counts them.
//
// Scope: no covariates (time-invariant covariates enter through cell × x̂ products, which vary
// within a group: the dense fit runs then) and a cluster variable constant within units (else the
// dense fit). The dense fit stays as the reference (DiDOptions.etwfePoissonCollapse = false):
// ExtendedTwoWayFixedEffectsCollapseTests finds the same estimates (1e-8), samples and drops, and
// standard errors equal up to the two IRLS runs' stopping points (≤ 5e-7 relative).

import Estimation
import Formula
import Foundation
import Inference
import LinearAlgebra
import PanelData
import Primitives

extension ExtendedTwoWayFixedEffectsEstimator {
    /// One regressor of the Poisson ETWFE: a cell's indicator or a period dummy.
    struct PoissonTerm {
        let name: String
        let group: Int?  // the cell's cohort; nil for a period dummy
        let time: Int
    }

    /// What the collapsed fit hands back to `estimate`: the dense fit's quantities, computed from it.
    struct CollapsedPoissonFit {
        let effects: CellEffects
        let cells: [(cell: Cell, index: Int)]
        let lost: [Cell]
        let units: Set<Int32>
        let observations: Int
        let clusters: Int
        let allZeroRows: Int, allZeroUnits: Int, separatedRows: Int, singletonRows: Int
        let notes: [String]
    }

    /// The collapsed Poisson fit, or nil when it does not apply (covariates, a cluster variable that
    /// varies within units, not one-way clustered): the caller then runs the dense fit.
    func collapsedPoisson(requested: [Cell], periodDummies: [Int], usable: [Bool], design: DiDDesign) throws -> CollapsedPoissonFit? {
        let structure = design.timing.structure
        let outcome = design.outcomeColumn.values
        guard case let .cluster(names) = design.options.covariance, names.count == 1,
              let clusterColumn = design.sourceTable.column(named: names[0]) else { return nil }
        let unitCount = structure.unitCount
        // Cluster codes, which must be constant within units.
        var clusterOf = [Int](repeating: -1, count: unitCount)
        var codeOfKey = [Double: Int]()
        for row in 0..<structure.rowCount where usable[row] {
            let key: Double
            switch clusterColumn {
            case .numeric(let values): key = values[row]
            case .text(let text): key = Double(text.codes[row])
            }
            guard !key.isNaN else { return nil }
            let code = codeOfKey[key] ?? codeOfKey.count
            codeOfKey[key] = code
            let unit = Int(structure.unitCodes[row])
            if clusterOf[unit] == -1 { clusterOf[unit] = code } else if clusterOf[unit] != code { return nil }
        }
        // Groups: cohort and observed periods.
        let periodIndex = Dictionary(uniqueKeysWithValues: structure.periodValues.enumerated().map { ($1, $0) })
        let periodCount = structure.periodValues.count
        var patterns = [[Int]](repeating: [], count: unitCount)
        var unitTotal = [Double](repeating: 0, count: unitCount)
        for row in 0..<structure.rowCount where usable[row] {
            let unit = Int(structure.unitCodes[row])
            patterns[unit].append(periodIndex[structure.periods[row]] ?? 0)
            unitTotal[unit] += outcome[row]
        }
        var groupOfKey = [[Int]: Int]()
        var groupOf = [Int](repeating: -1, count: unitCount)
        var groupCohort = [Int?](), groupPattern = [[Int]]()
        for unit in 0..<unitCount where !patterns[unit].isEmpty {
            let pattern = patterns[unit].sorted()
            let cohort = structure.cohorts[unit]
            let key = [cohort ?? Int.min] + pattern
            if let known = groupOfKey[key] { groupOf[unit] = known; continue }
            groupOfKey[key] = groupCohort.count
            groupOf[unit] = groupCohort.count
            groupCohort.append(cohort)
            groupPattern.append(pattern)
        }
        // Group × period totals (units with a zero total add nothing; they are out of the fit).
        let groupCount = groupCohort.count
        var totals = [Double](repeating: 0, count: groupCount * periodCount)
        for row in 0..<structure.rowCount where usable[row] {
            let unit = Int(structure.unitCodes[row])
            totals[groupOf[unit] * periodCount + (periodIndex[structure.periods[row]] ?? 0)] += outcome[row]
        }
        // The terms and the collapsed table: one row per group and observed period.
        var terms = requested.map { PoissonTerm(name: $0.name, group: $0.group, time: $0.time) }
        terms += periodDummies.map { PoissonTerm(name: "etwfe_period_\(Self.termPart($0))", group: nil, time: $0) }
        var cellTerm = [Int: Int]()  // cohort * 100_000 + period → term
        var periodTerm = [Int: Int]()
        for (j, term) in terms.enumerated() {
            if let g = term.group { cellTerm[g * 100_000 + term.time] = j } else { periodTerm[term.time] = j }
        }
        func active(_ group: Int, _ t: Int) -> [Int] {
            let period = structure.periodValues[t]
            var list = [Int]()
            if let g = groupCohort[group], let j = cellTerm[g * 100_000 + period] { list.append(j) }
            if let j = periodTerm[period] { list.append(j) }
            return list
        }
        var collapsedGroup = [Double](), collapsedPeriod = [Int](), collapsedY = [Double]()
        for k in 0..<groupCount {
            for t in groupPattern[k] {
                collapsedGroup.append(Double(k))
                collapsedPeriod.append(t)
                collapsedY.append(totals[k * periodCount + t])
            }
        }
        let collapsedRows = collapsedY.count
        var columns: [Column] = [.numeric(collapsedY), .numeric(collapsedGroup)]
        var indicators = [[Double]](repeating: [Double](repeating: 0, count: collapsedRows), count: terms.count)
        for r in 0..<collapsedRows { for j in active(Int(collapsedGroup[r]), collapsedPeriod[r]) { indicators[j][r] = 1 } }
        columns += indicators.map { Column.numeric($0) }
        let table = DataTable(source: structure.source, names: ["etwfe_y", "etwfe_group"] + terms.map(\.name), columns: columns, rowCount: collapsedRows)
        let formula = try ModelFormula.parse("etwfe_y ~ " + terms.map(\.name).joined(separator: " + ") + " | etwfe_group")
        let poisson = try PoissonModel.fit(try ModelFrame(table: table, formula: formula, options: ModelFrameOptions(removeSingletons: true)),
                                           options: PoissonModelOptions(threads: design.options.threads))
        let fit = RegressionFit(poisson)
        // Which group × period rows the fit kept; β̂ over all terms (collinear ones at zero).
        var keptCollapsed = [Bool](repeating: false, count: groupCount * periodCount)
        for r in fit.core.sourceRows { keptCollapsed[Int(collapsedGroup[r]) * periodCount + collapsedPeriod[r]] = true }
        let termIndex = Dictionary(uniqueKeysWithValues: terms.enumerated().map { ($1.name, $0) })
        let p = fit.coefficients.count
        var coefficientOfTerm = [Int?](repeating: nil, count: terms.count)
        for (j, name) in fit.coefficientNames.enumerated() { if let term = termIndex[name] { coefficientOfTerm[term] = j } }
        var beta = [Double](repeating: 0, count: terms.count)
        for term in terms.indices { if let j = coefficientOfTerm[term] { beta[term] = fit.coefficients[j] } }
        // π over each group's kept periods, shifted by the largest η for safety.
        var pi = [Double](repeating: 0, count: groupCount * periodCount)
        for k in 0..<groupCount {
            let kept = groupPattern[k].filter { keptCollapsed[k * periodCount + $0] }
            let eta = kept.map { t in active(k, t).reduce(0) { $0 + beta[$1] } }
            guard let shift = eta.max() else { continue }
            let scale = eta.reduce(0) { $0 + exp($1 - shift) }
            for (t, value) in zip(kept, eta) { pi[k * periodCount + t] = exp(value - shift) / scale }
        }
        // The rows the dense fit would use, and its drops, in firm-years.
        func inFit(_ row: Int) -> Bool {
            let unit = Int(structure.unitCodes[row])
            return unitTotal[unit] > 0 && keptCollapsed[groupOf[unit] * periodCount + (periodIndex[structure.periods[row]] ?? 0)]
        }
        var observations = 0, allZeroRows = 0, separatedRows = 0, singletonRows = 0
        var fitUnits = Set<Int32>(), zeroUnits = Set<Int32>()
        for row in 0..<structure.rowCount where usable[row] {
            let unit = Int(structure.unitCodes[row])
            if unitTotal[unit] == 0 { zeroUnits.insert(structure.unitCodes[row]) }
            if groupPattern[groupOf[unit]].count == 1 { singletonRows += 1 }
            else if unitTotal[unit] == 0 { allZeroRows += 1 }
            else if inFit(row) { observations += 1; fitUnits.insert(structure.unitCodes[row]) }
            else { separatedRows += 1 }
        }
        // Cells as the dense path keeps them (+ its all-zero rows).
        var cells = [(cell: Cell, index: Int)](), lost = [Cell]()
        for cell in requested {
            var kept = cell
            kept.rows = cell.rows.filter(inFit)
            kept.allZeroRows = cell.rows.filter { unitTotal[Int(structure.unitCodes[$0])] == 0 }
            if let term = termIndex[cell.name], let index = coefficientOfTerm[term], !kept.rows.isEmpty { cells.append((kept, index)) } else { lost.append(cell) }
        }
        guard !cells.isEmpty else { throw Self.nothingLeft(structure.source) }
        let effects = try collapsedEffects(cells: cells, coefficientOfTerm: coefficientOfTerm, p: p, fit: fit,
                                           groupOf: groupOf, groupPattern: groupPattern, periodCount: periodCount, pi: pi, unitTotal: unitTotal,
                                           active: active, clusterOf: clusterOf, usable: usable, inFit: inFit, observations: observations, design: design)
        let notes = RegressionFit.poissonNotes(allZero: allZeroRows, separated: separatedRows, separatingRegressors: poisson.separatingRegressors,
                                               unchecked: poisson.separationDiagnostics.filter { $0.code == .separationUnchecked }.map(\.message))
        return CollapsedPoissonFit(effects: effects.cellEffects, cells: cells, lost: lost, units: fitUnits, observations: observations,
                                   clusters: effects.clusters, allZeroRows: allZeroRows, allZeroUnits: zeroUnits.count,
                                   separatedRows: separatedRows, singletonRows: singletonRows, notes: notes)
    }
}
