// Triple differences (DDD) after Ortiz-Villavicencio & Sant'Anna (2025), "Better Understanding
// Triple Differences Estimators" (arXiv 2505.09942): the effect on the eligible units (Q = 1) of
// a cohort g that a programme reaches in period g, when eligible and ineligible units may trend
// apart as long as that gap trends alike in every cohort. Each ATT(g,t) is three 2x2 comparisons
// of the eligible treated units (subgroup 4: S = g, Q = 1), against the ineligible of the same
// cohort (3), the eligible of a comparison cohort (2) and its ineligible (1):
//     DDD = DiD(4 vs 3) + DiD(4 vs 2) − DiD(4 vs 1)   (their eq. 3.5 and 4.8),
// each by outcome regression, IPW or doubly robust with its own propensity score and outcome
// regression on the two subgroups compared (the 2x2 code of Callaway–Sant'Anna, TwoByTwoData).
// With not-yet-treated comparisons a cell has one DDD per comparison cohort, combined with the
// optimal GMM weights Ω⁻¹1 / (1′Ω⁻¹1), Ω their influence functions' covariance (eq. 4.11–4.12).
//
// Goals, in order:
// 1. The numbers of moderndid 0.2.0's `ddd` (the Python port of R triplediff): the same cells,
//    base periods and comparison groups as Callaway–Sant'Anna's, each 2x2's influence function
//    rescaled by n / n_j (n_j the units of its two subgroups), and the GMM weights from the
//    covariance over the units of the cell, centred.
// 2. One definition of everything around the cells: the influence-function basis (cells, then
//    one indicator column per cohort), the aggregations (simple, group, dynamic, calendar with the
//    estimated cohort shares' influence, as R triplediff's `agg_ddd` and R did's `aggte`), the
//    covariance and the multiplier bootstrap are Callaway–Sant'Anna's (CallawaySantAnna.inference).
//    Standard errors come from the influence functions throughout, also for a GMM cell (moderndid
//    reports sqrt(1 / (n · 1′Ω⁻¹1)) there, which scales the cell's covariance by all units
//    instead of the cell's; see Tests/Fixtures/ddd/README.md).

import LinearAlgebra
import PanelData

/// The triple-differences estimator: ATT(g,t) of eligible units, then Callaway–Sant'Anna's
/// aggregations and inference.
public enum TripleDifferences {
    /// Estimates every ATT(g,t) of `panel` whose units carry `eligible` (the partition, Q = 1), in
    /// Callaway–Sant'Anna's basis (cells, then one column per cohort). On a panel with gaps each
    /// cell uses the units observed in both of its periods, as moderndid's `ddd_mp` does.
    static func cells(panel: UnitPanel, eligible: [Bool], covariateColumns: Int, options: CallawaySantAnnaOptions) throws(PanelError) -> CallawaySantAnnaCells {
        let periods = panel.periods, periodCount = periods.count, n = panel.unitCount
        let cohorts = CallawaySantAnna.treatedCohorts(panel)
        guard !cohorts.isEmpty else { throw PanelError("no treated cohort remains in the sample: nothing to estimate") }
        if options.control == .never && !panel.cohorts.contains(UnitPanel.neverTreated) {
            throw PanelError("there are no never-treated units to compare with (--control never); use --control notyet to compare with units not yet treated")
        }
        let first = options.basePeriod == .universal ? 0 : 1
        let estimable = CallawaySantAnna.estimableCohorts(cohorts, panel: panel, options: options)
        var influence = Matrix(rows: n, columns: CallawaySantAnna.basisColumnCount(panel: panel, options: options))
        var unitsOf = [Int: [Int]]()
        for unit in 0..<n { unitsOf[panel.cohorts[unit], default: []].append(unit) }
        let orderedGroups = unitsOf.keys.sorted()
        let layout = CellLayout(panel: panel, eligible: eligible, covariateColumns: covariateColumns, method: options.method)
        var found = [CallawaySantAnnaCells.Cell](), skipped = [String: [String]]()
        for g in estimable {
            guard let baseIndex = periods.lastIndex(where: { $0 + options.anticipation < g }) else { continue }
            for currentIndex in first..<periodCount {
                let current = periods[currentIndex]
                let base = (g <= current || options.basePeriod == .universal) ? baseIndex : currentIndex - 1
                let threshold = max(current, periods[base]) + options.anticipation
                // On a panel with gaps, the units observed in both periods (moderndid's common ids).
                let observed = { (unit: Int) in !panel.outcome[unit * periodCount + currentIndex].isNaN && !panel.outcome[unit * periodCount + base].isNaN }
                let treatedUnits = (unitsOf[g] ?? []).filter(observed)
                let eligibleTreated = treatedUnits.lazy.filter { eligible[$0] }.count
                let comparisons = orderedGroups.filter { $0 != g && ($0 == UnitPanel.neverTreated || (options.control == .notyet && $0 > threshold)) }
                    .map { (unitsOf[$0] ?? []).filter(observed) }.filter { !$0.isEmpty }
                let controlCount = comparisons.reduce(0) { $0 + $1.count }
                func record(_ att: Double, identified: Bool) {
                    found.append(.init(group: g, time: current, basePeriod: periods[base], att: att, treatedUnits: eligibleTreated,
                                       controlUnits: controlCount, identified: identified))
                }
                if base == currentIndex { record(0, identified: false); continue }  // universal base: 0 by construction
                guard !comparisons.isEmpty else {
                    skipped["no comparison units", default: []].append("(\(g), \(current))")
                    record(.nan, identified: false)
                    continue
                }
                var estimates = [ComparisonEstimate](), failure: String? = nil
                for comparisonUnits in comparisons {
                    switch layout.comparison(treated: treatedUnits, comparison: comparisonUnits, current: currentIndex, base: base, totalUnits: n) {
                    case let .success(estimate): estimates.append(estimate)
                    case let .failure(reason): failure = failure ?? reason.message
                    }
                }
                guard let combined = estimates.count == 1 ? estimates.first : Self.optimallyWeighted(estimates) else {
                    skipped[failure ?? "the comparisons' influence functions are collinear (no GMM weights)", default: []].append("(\(g), \(current))")
                    record(.nan, identified: false)
                    continue
                }
                let offset = found.count * n
                for (unit, value) in zip(combined.units, combined.influence) { influence.values[offset + unit] += value }
                record(combined.att, identified: true)
            }
        }
        guard found.contains(where: { $0.identified }) else {
            throw PanelError("no triple-difference ATT(g,t) could be estimated: \(skipped.keys.sorted().joined(separator: "; "))")
        }
        let cellColumns = estimable.count * (periodCount - first)
        for (index, g) in cohorts.enumerated() {
            let base = (cellColumns + index) * n
            for unit in unitsOf[g] ?? [] { influence.values[base + unit] = 1 }
        }
        let notes = skipped.keys.sorted().map { "ATT(g,t) not estimated for \(skipped[$0]?.joined(separator: ", ") ?? ""): \($0)" }
        let dropped = cohorts.filter { !estimable.contains($0) }
        return CallawaySantAnnaCells(cells: found, influence: influence, basisCohorts: cohorts,
                                     notes: notes + dropped.map { "cohort \($0) has no pre-treatment period and was left out" },
                                     unestimatedCohorts: [])  // the covariate-support note is Callaway–Sant'Anna's; ddd names its skipped cells in its notes
    }
}
