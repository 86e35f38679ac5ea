// The estimands of the imputation with a Poisson first stage (ImputationDiD+Poisson): the overall
// effect, one per horizon (periods since treatment) and one per cohort × period cell, as sets of
// treated rows whose outcomes and imputed untreated means are summed.

import Inference

/// The estimands of the Poisson imputation: overall, one per horizon, one per cohort × period
/// cell, and which of them each treated row belongs to.
struct PoissonImputationEstimands {
    /// The estimates' descriptions (their values are filled in by the caller).
    let estimates: [StaggeredEstimate]
    /// Each treated row's horizon and cell index (into the horizons' and cells' blocks).
    let horizonOfRow: [Int], cellOfRow: [Int]
    let horizonCount: Int

    var count: Int { estimates.count }

    /// Whether the cells are estimands (after the horizons).
    let includesCells: Bool

    /// The estimands row `row` counts in: overall, its horizon, its cell.
    func members(ofRow row: Int) -> [Int] {
        includesCells ? [0, 1 + horizonOfRow[row], 1 + horizonCount + cellOfRow[row]] : [0, 1 + horizonOfRow[row]]
    }

    /// The index of row `row`'s cell in the sums the variance's residuals use: its cell, or its
    /// horizon when the cells are not estimands.
    func residualGroup(ofRow row: Int) -> Int { includesCells ? 1 + horizonCount + cellOfRow[row] : 1 + horizonOfRow[row] }

    init(sample: ImputationSample, includeCells: Bool) {
        let treated = sample.treated
        let horizons = ImputationHorizons(horizons: treated.horizon)
        let counts = ImputationDiD.distinctCounts(treated, horizons: horizons, unitCount: Int(treated.unit.max() ?? 0) + 1,
                                                  cohortCount: sample.cohortValues.count)
        var cellKeys = [[Int]: Int]()
        var cellOfRow = [Int](repeating: 0, count: treated.count)
        let ordered = Set((0..<treated.count).map { [Int(treated.cohort[$0]), treated.horizon[$0]] }).sorted { $0.lexicographicallyPrecedes($1) }
        for key in ordered { cellKeys[key] = cellKeys.count }
        var cellUnits = [Set<Int32>](repeating: [], count: ordered.count)
        for row in 0..<treated.count {
            let cell = cellKeys[[Int(treated.cohort[row]), treated.horizon[row]]] ?? 0
            cellOfRow[row] = cell
            cellUnits[cell].insert(treated.unit[row])
        }
        var estimates = [StaggeredEstimate(kind: .simple, estimate: .nan, treatedUnits: counts.overallUnits, cohortCount: counts.overallCohorts)]
        for (j, value) in horizons.values.enumerated() {
            estimates.append(StaggeredEstimate(kind: .dynamic, eventTime: value, estimate: .nan, treatedUnits: counts.units[j], cohortCount: counts.cohorts[j]))
        }
        for (cell, key) in ordered.enumerated() where includeCells {
            let group = sample.cohortValues[key[0]]
            estimates.append(StaggeredEstimate(kind: .attGT, eventTime: key[1], group: group, time: group + key[1], estimate: .nan,
                                               treatedUnits: cellUnits[cell].count, cohortCount: 1))
        }
        self.estimates = estimates
        self.horizonOfRow = horizons.index
        self.cellOfRow = cellOfRow
        self.horizonCount = horizons.values.count
        self.includesCells = includeCells
    }
}
