// Callaway–Sant'Anna on the proportional scale (`--effect proportional`), for outcomes with zeros
// such as export values: every estimate θ (a cell ATT(g,t) or an aggregate) is reported as
// log(E[Y(1)] / E[Y(0)]) = log(m / (m − θ)), where m is the treated units' mean outcome over the
// same cells with the same weights, and m − θ their counterfactual mean E[Y(0) | treated].
// Chen & Roth (2024, "Logs with zeros? Some problems and solutions", QJE, §5) recommend this
// scale: the ATT as a proportion of the counterfactual mean, estimated on the outcome in levels.
//
// Goals, in order:
// 1. The level estimates are Callaway–Sant'Anna's own (the same cells and aggregation weights,
//    CallawaySantAnna+Aggregation.swift); the treated means go through the same aggregation, so
//    that m and θ weight the same cells alike, with the estimated weights' influence in both.
// 2. Standard errors by the delta method on the joint influence functions of θ and m on the same
//    unit index: ψ_r = ψ_θ / (m − θ) − ψ_m · θ / (m (m − θ)); clustered as the level estimates.

import Foundation
import Inference
import LinearAlgebra
import PanelData
import Primitives

extension CallawaySantAnna {
    /// Every ATT(g,t) and the requested aggregations as log ratios of the treated units' mean to
    /// their counterfactual mean, with analytic (influence-function) inference.
    static func estimateProportional(panel: UnitPanel, options: CallawaySantAnnaOptions, aggregations: Set<StaggeredAggregation>,
                                     unitName: String) throws -> StaggeredResult
    {
        let basis = basisColumnCount(panel: panel, options: options)
        let cohortCount = treatedCohorts(panel).count
        let clusterCount = panel.clusters?.levelCount ?? panel.unitCount
        let estimateBound = basis + 2 * panel.periods.count + cohortCount + panel.periods.count + 4
        // The treated means double the influence basis: budget as twice the cells.
        try StaggeredCellBudget.checkCallawaySantAnna(cells: 2 * (basis - cohortCount), estimates: estimateBound, units: panel.unitCount,
                                                      clusters: clusterCount, cohorts: cohortCount, periods: panel.periods.count)
        let levels = try cells(panel: panel, options: options)
        let (levelEstimates, levelMap) = aggregate(levels, cohortOfUnit: panel.cohorts, aggregations: aggregations)
        let means = treatedMeans(levels, panel: panel)
        let (meanEstimates, meanMap) = aggregate(means, cohortOfUnit: panel.cohorts, aggregations: aggregations)
        guard meanEstimates.count == levelEstimates.count else {
            throw PanelError("Callaway–Sant'Anna: the treated means do not aggregate like the effects (\(meanEstimates.count) against \(levelEstimates.count) estimates)")
        }
        // ψ_r = b ψ_θ + a ψ_m over the stacked basis [ATT cells | treated means].
        let width = levels.influence.columns
        var map = Matrix(rows: levelEstimates.count, columns: 2 * width)
        var estimates = [StaggeredEstimate]()
        var undefined = [String]()
        for (j, level) in levelEstimates.enumerated() {
            let theta = level.estimate, mean = meanEstimates[j].estimate
            let counterfactual = mean - theta
            var ratio = Double.nan
            if mean > 0 && counterfactual > 0 && theta.isFinite {
                ratio = log(mean / counterfactual)
                let b = 1 / counterfactual, a = -theta / (mean * counterfactual)
                for c in 0..<width {
                    map[j, c] = b * levelMap[j, c]
                    map[j, width + c] = a * meanMap[j, c]
                }
            } else if theta.isFinite {
                undefined.append(level.label)
            }
            estimates.append(StaggeredEstimate(kind: level.kind, eventTime: level.eventTime, group: level.group, time: level.time,
                                               estimate: ratio, treatedUnits: level.treatedUnits, cohortCount: level.cohortCount,
                                               controlUnits: level.controlUnits))
        }
        var influence = Matrix(rows: panel.unitCount, columns: 2 * width)
        influence.values.replaceSubrange(0..<levels.influence.values.count, with: levels.influence.values)
        influence.values.replaceSubrange(levels.influence.values.count..<influence.values.count, with: means.influence.values)
        let covariance = try influenceCovariance(influence, map: map, clusters: panel.clusters)
        // As the level estimates: a user's cluster variable with its count, the unit alone.
        let clustering = InferenceDescription.Clustering(variable: panel.clusters?.name ?? unitName, statedCount: panel.clusters?.levelCount)
        var notes = levels.notes.map { Diagnostic(.design, .note, $0) } + unestimatedCohortsNote(levels, panel: panel)
        notes.append(Diagnostic(.descriptive, .note, "proportional effects (Chen & Roth 2024): log(E[Y(1)]/E[Y(0)]) over the treated cells, E[Y(0) | treated] = the treated units' mean minus the ATT; % change = 100·(exp(b) − 1)"))
        if !undefined.isEmpty {
            notes.append(Diagnostic(.design, .note, "no proportional effect for " + undefined.joined(separator: ", ") + ": the treated mean or the counterfactual mean (treated mean − ATT) is not positive"))
        }
        let result = StaggeredResult(estimator: .callawaySantAnna, estimates: estimates, covariance: covariance,
                                     degreesOfFreedom: FewClusters.degreesOfFreedom(clusters: clusterCount),
                                     inference: InferenceDescription(method: "analytic (influence functions, delta method for the log ratio)", clustering: clustering),
                                     observationCount: panel.sample.rows, clusterCount: clusterCount, notes: notes,
                                     standardErrorFloor: Double.ulpOfOne.squareRoot() * 10)
        return result.withPretrend(pretrendTest(result))
    }

    /// The treated units' mean outcome in each cell's period, shaped as the cells (NaN where the
    /// cell has no ATT), with its influence function on the level basis's scale: for cohort g in
    /// period t, (n / n_gt)(Y_it − Ȳ_gt) for the n_gt units of g observed in t (and, when each cell
    /// compares the units observed in both its periods, in its base period); the cohort
    /// indicator columns are copied, so the aggregation adds the estimated weights' influence.
    static func treatedMeans(_ levels: CallawaySantAnnaCells, panel: UnitPanel) -> CallawaySantAnnaCells {
        let n = panel.unitCount, periodCount = panel.periods.count
        var influence = Matrix(rows: n, columns: levels.influence.columns)
        var unitsOf = [Int: [Int]]()
        for unit in 0..<n where panel.cohorts[unit] != UnitPanel.neverTreated { unitsOf[panel.cohorts[unit], default: []].append(unit) }
        let periodIndex = Dictionary(uniqueKeysWithValues: panel.periods.enumerated().map { ($1, $0) })
        var cells = [CallawaySantAnnaCells.Cell]()
        for (k, cell) in levels.cells.enumerated() {
            var mean = Double.nan
            if cell.att.isFinite, let t = periodIndex[cell.time], let base = periodIndex[cell.basePeriod] {
                // The units the cell's ATT compares: pairwise, those observed in both periods.
                let pairwise = panel.comparison == .pairwise
                let observed = (unitsOf[cell.group] ?? []).filter {
                    !panel.outcome[$0 * periodCount + t].isNaN && !(pairwise && panel.outcome[$0 * periodCount + base].isNaN)
                }
                if !observed.isEmpty {
                    mean = observed.reduce(0.0) { $0 + panel.outcome[$1 * periodCount + t] } / Double(observed.count)
                    let scale = Double(n) / Double(observed.count)
                    for unit in observed { influence[unit, k] = scale * (panel.outcome[unit * periodCount + t] - mean) }
                }
            }
            cells.append(.init(group: cell.group, time: cell.time, basePeriod: cell.basePeriod, att: mean, treatedUnits: cell.treatedUnits,
                               controlUnits: cell.controlUnits, identified: cell.identified))
        }
        for column in levels.cells.count..<levels.influence.columns {
            for unit in 0..<n { influence[unit, column] = levels.influence[unit, column] }
        }
        return CallawaySantAnnaCells(cells: cells, influence: influence, basisCohorts: levels.basisCohorts, notes: [],
                                     unestimatedCohorts: levels.unestimatedCohorts)
    }
}
