// Aggregating ATT(g,t) into summary effects, as R did's `aggte` does (Callaway & Sant'Anna 2021,
// §3 and Appendix B): simple (post-treatment cells weighted by cohort size), group (per cohort,
// then weighted by cohort size), dynamic (per event time e = t − g, then the mean over e ≥ 0) and
// calendar (per period, then their mean).
//
// Goals, in order:
// 1. R did's estimates and analytic standard errors, including the influence of the estimated
//    cohort-share weights ("wif"). With weights P(G = g) over a set K of cells, that term for unit
//    i reduces to (A(Gᵢ) − c(Gᵢ)·θ) / S, where A(g) and c(g) are the sum and count of the cells of
//    K in cohort g, θ the aggregate and S the sum of the cells' weights: one O(n) pass per
//    aggregate instead of an n × |K| matrix.
// 2. Every aggregate's influence function is kept, so any linear combination of estimates has a
//    standard error and the multiplier bootstrap covers aggregates and cells alike.

import LinearAlgebra

/// Which aggregations to compute.
public enum StaggeredAggregation: String, Sendable, CaseIterable {
    case simple, group, dynamic, calendar, all
}

extension CallawaySantAnna {
    /// Estimates of the cells and the aggregations asked for, with the linear map from the basis
    /// influence functions (the cells' columns, then one indicator column per cohort, see
    /// `cells(panel:options:)`) to every estimate's influence function: ψ_estimates = basis · mapᵀ.
    ///
    /// Every aggregate's influence function is Σₖ wₖψₖ plus a term constant within cohorts (the
    /// estimated weights' influence), so it is a fixed combination of that basis: covariances and
    /// bootstrap replicates of all estimates follow from the basis alone.
    ///
    /// `treatedUnitsPerCohort` overrides the treated units an aggregate reports per cohort (triple
    /// differences: the eligible units only); the weights stay the cohorts' shares of all units.
    static func aggregate(_ result: CallawaySantAnnaCells, cohortOfUnit: [Int], aggregations: Set<StaggeredAggregation>,
                          treatedUnitsPerCohort: [Int: Int]? = nil) -> (estimates: [StaggeredEstimate], map: Matrix)
    {
        let n = cohortOfUnit.count
        var unitsPerCohort = [Int: Int]()
        for cohort in cohortOfUnit where cohort != UnitPanel.neverTreated { unitsPerCohort[cohort, default: 0] += 1 }
        let share = { (g: Int) in Double(unitsPerCohort[g] ?? 0) / Double(n) }
        let cells = result.cells
        let basisCount = result.influence.columns
        let cohortColumn = Dictionary(uniqueKeysWithValues: result.basisCohorts.enumerated().map { ($1, cells.count + $0) })
        let usable = cells.indices.filter { cells[$0].att.isFinite }
        var estimates = cells.map { cell in
            StaggeredEstimate(kind: .attGT, eventTime: cell.time - cell.group, group: cell.group, time: cell.time, estimate: cell.att,
                              treatedUnits: cell.treatedUnits, cohortCount: 1, controlUnits: cell.controlUnits)
        }
        var rows = cells.indices.map { k -> [Double] in
            var row = [Double](repeating: 0, count: basisCount)
            row[k] = 1
            return row
        }
        let wants = { (kind: StaggeredAggregation) in aggregations.contains(kind) || aggregations.contains(.all) }

        /// The share-weighted average of `keepers` and its row of the map, or nil when empty.
        func weighted(_ keepers: [Int], estimatedWeights: Bool) -> (Double, [Double])? {
            guard !keepers.isEmpty else { return nil }
            let total = keepers.reduce(0.0) { $0 + share(cells[$1].group) }
            guard total > 0 else { return nil }
            var theta = 0.0
            for k in keepers { theta += share(cells[k].group) * cells[k].att }
            theta /= total
            var row = [Double](repeating: 0, count: basisCount)
            for k in keepers { row[k] += share(cells[k].group) / total }
            if estimatedWeights {
                // (A(g) − c(g)·θ) / S for units of cohort g, A and c the sum and count of its cells.
                var sums = [Int: (sum: Double, count: Double)]()
                for k in keepers {
                    let entry = sums[cells[k].group] ?? (0, 0)
                    sums[cells[k].group] = (entry.sum + cells[k].att, entry.count + 1)
                }
                for (g, entry) in sums { if let column = cohortColumn[g] { row[column] += (entry.sum - entry.count * theta) / total } }
            }
            return (theta, row)
        }
        func units(of keepers: [Int]) -> (units: Int, cohorts: Int) {
            let groups = Set(keepers.map { cells[$0].group })
            let reported = treatedUnitsPerCohort ?? unitsPerCohort
            return (groups.reduce(0) { $0 + (reported[$1] ?? 0) }, groups.count)
        }
        func append(_ kind: StaggeredEstimateKind, _ value: (Double, [Double]), keepers: [Int], eventTime: Int? = nil, group: Int? = nil, time: Int? = nil) {
            let counts = units(of: keepers)
            estimates.append(StaggeredEstimate(kind: kind, eventTime: eventTime, group: group, time: time, estimate: value.0,
                                               treatedUnits: counts.units, cohortCount: counts.cohorts))
            rows.append(value.1)
        }
        func mean(_ parts: [(Double, [Double])]) -> (Double, [Double]) {
            var row = [Double](repeating: 0, count: basisCount)
            for part in parts { for b in 0..<basisCount { row[b] += part.1[b] / Double(parts.count) } }
            return (parts.reduce(0) { $0 + $1.0 } / Double(parts.count), row)
        }
        let post = usable.filter { cells[$0].group <= cells[$0].time }
        if wants(.simple), let value = weighted(post, estimatedWeights: true) {
            append(.simple, value, keepers: post)
        }
        if wants(.group) {
            var parts = [(g: Int, value: (Double, [Double]))]()
            for g in Set(post.map { cells[$0].group }).sorted() {
                let keepers = post.filter { cells[$0].group == g }
                guard let value = weighted(keepers, estimatedWeights: false) else { continue }
                append(.group, value, keepers: keepers, group: g)
                parts.append((g, value))
            }
            if !parts.isEmpty {
                // Cohort-share weights over cohorts, with their estimated-weight influence.
                let total = parts.reduce(0.0) { $0 + share($1.g) }
                let theta = parts.reduce(0.0) { $0 + share($1.g) * $1.value.0 } / total
                var row = [Double](repeating: 0, count: basisCount)
                for part in parts {
                    let weight = share(part.g) / total
                    for b in 0..<basisCount { row[b] += weight * part.value.1[b] }
                    if let column = cohortColumn[part.g] { row[column] += (part.value.0 - theta) / total }
                }
                append(.group, (theta, row), keepers: post)
            }
        }
        if wants(.dynamic) {
            var positive = [(Double, [Double])]()
            var nonNegativeKeepers = [Int]()
            for e in Set(usable.map { cells[$0].time - cells[$0].group }).sorted() {
                let keepers = usable.filter { cells[$0].time - cells[$0].group == e }
                guard let value = weighted(keepers, estimatedWeights: true) else { continue }
                append(.dynamic, value, keepers: keepers, eventTime: e)
                if e >= 0 { positive.append(value); nonNegativeKeepers += keepers }
            }
            if !positive.isEmpty { append(.dynamic, mean(positive), keepers: nonNegativeKeepers) }
        }
        if wants(.calendar), let firstCohort = usable.map({ cells[$0].group }).min() {
            var parts = [(Double, [Double])]()
            for t in Set(usable.map { cells[$0].time }).sorted() where t >= firstCohort {
                let keepers = post.filter { cells[$0].time == t }
                guard let value = weighted(keepers, estimatedWeights: true) else { continue }
                append(.calendar, value, keepers: keepers, time: t)
                parts.append(value)
            }
            if !parts.isEmpty { append(.calendar, mean(parts), keepers: post) }
        }
        var map = Matrix(rows: rows.count, columns: basisCount)
        for (r, row) in rows.enumerated() { for b in 0..<basisCount where row[b] != 0 { map[r, b] = row[b] } }
        return (estimates, map)
    }
}
