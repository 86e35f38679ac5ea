// Inference for Callaway–Sant'Anna from influence functions: analytic standard errors (R did's
// sqrt(mean(ψ²)/n), or with clusters the sum of ψ within each cluster first), the joint covariance
// of all estimates for linear combinations, and the multiplier bootstrap with uniform bands.

import Inference
import LinearAlgebra
import PanelData
import Primitives

extension CallawaySantAnna {
    /// Estimates every ATT(g,t), the requested aggregations, and their inference.
    public static func estimate(panel: UnitPanel, options: CallawaySantAnnaOptions, aggregations: Set<StaggeredAggregation>,
                                bootstrap: MultiplierBootstrap?, unitName: String) throws -> StaggeredResult
    {
        try checkBudget(panel: panel, options: options)
        return try inference(cells(panel: panel, options: options), panel: panel, aggregations: aggregations, bootstrap: bootstrap,
                             unitName: unitName, estimator: .callawaySantAnna)
    }

    /// Refuses a panel whose cells and estimates would not fit in memory (StaggeredCellBudget).
    static func checkBudget(panel: UnitPanel, options: CallawaySantAnnaOptions) throws {
        let basis = basisColumnCount(panel: panel, options: options)
        let cohortCount = treatedCohorts(panel).count
        let clusterCount = panel.clusters?.levelCount ?? panel.unitCount
        // Aggregates: at most one per event time, cohort and period, and the overall ones.
        let estimateBound = basis + 2 * panel.periods.count + cohortCount + panel.periods.count + 4
        try StaggeredCellBudget.checkCallawaySantAnna(cells: basis - cohortCount, estimates: estimateBound, units: panel.unitCount,
                                                      clusters: clusterCount, cohorts: cohortCount, periods: panel.periods.count)
    }

    /// Aggregates `cellResult` (ATT(g,t) with their influence-function basis) and adds the
    /// inference: the one path from cells to estimates for every estimator of ATT(g,t) cells
    /// (Callaway–Sant'Anna, triple differences).
    static func inference(_ cellResult: CallawaySantAnnaCells, panel: UnitPanel, aggregations: Set<StaggeredAggregation>,
                          bootstrap: MultiplierBootstrap?, unitName: String, estimator: StaggeredEstimator,
                          treatedUnitsPerCohort: [Int: Int]? = nil) throws -> StaggeredResult
    {
        let clusterCount = panel.clusters?.levelCount ?? panel.unitCount
        let (estimates, map) = aggregate(cellResult, cohortOfUnit: panel.cohorts, aggregations: aggregations, treatedUnitsPerCohort: treatedUnitsPerCohort)
        let influence = cellResult.influence
        let covariance = try influenceCovariance(influence, map: map, clusters: panel.clusters)
        // The text names a user's cluster variable with its count, the unit alone (its count is the header's).
        let clustering = InferenceDescription.Clustering(variable: panel.clusters?.name ?? unitName, statedCount: panel.clusters?.levelCount)
        // t with G − 1 df, as every clustered estimate in quipu (FewClusters); R did uses the normal.
        // As R did: a standard error at rounding level (a normalised reference cell) is undefined.
        let analytic = StaggeredResult(estimator: estimator, estimates: estimates, covariance: covariance,
                                       degreesOfFreedom: FewClusters.degreesOfFreedom(clusters: clusterCount),
                                       inference: InferenceDescription(method: "analytic (influence functions)", clustering: clustering),
                                       observationCount: panel.sample.rows, clusterCount: clusterCount, notes: cellResult.notes.map { Diagnostic(.design, .note, $0) } + unestimatedCohortsNote(cellResult, panel: panel),
                                       standardErrorFloor: Double.ulpOfOne.squareRoot() * 10)
            .withUnitInfluences(unitInfluences(influence, map: map, estimates: estimates, panel: panel))
        guard let bootstrap else { return analytic.withPretrend(pretrendTest(analytic)) }
        // The basis replicates, the estimates' replicates and their row-major copy.
        let perReplicate = influence.columns + 2 * estimates.count + 2
        try BootstrapMemory.check(BootstrapMemory.bytes(replicates: bootstrap.replicates, doublesPerReplicate: perReplicate),
                                  for: "the multiplier bootstrap's \(bootstrap.replicates) replicates of \(estimates.count) estimates",
                                  replicates: bootstrap.replicates)
        let basisDraws = try bootstrap.run(influence: influence, clusters: panel.clusters)
        // Replicates of every estimate: (B × basis) · Mᵀ.
        let replicateMatrix = Matrix(rows: influence.columns, columns: bootstrap.replicates, values: basisDraws.replicates)
        let estimateDraws = try map.multiplied(by: replicateMatrix)  // J × B, column b = replicate b
        let width = estimates.count
        var replicates = [Double](repeating: 0, count: bootstrap.replicates * width)
        for b in 0..<bootstrap.replicates { for j in 0..<width { replicates[b * width + j] = estimateDraws[j, b] } }
        // A new result: the analytic one is not overwritten, so nothing derived from it can mix in.
        let result = analytic.withBootstrap(
            replicates: replicates, count: bootstrap.replicates, level: bootstrap.confidenceLevel,
            inference: InferenceDescription(method: "multiplier bootstrap (\(bootstrap.replicates) replicates, \(bootstrap.weights.rawValue) weights, seed \(bootstrap.seed))", clustering: clustering))
        return result.withPretrend(pretrendTest(result))
    }

    /// V = M (ZᵀZ / n²) Mᵀ for influence functions Z (units × basis; summed within clusters first,
    /// V = Σ_c (Σ_{i∈c} ψ_i)(Σ_{i∈c} ψ_i)′ / n²) and the map M from the basis to the estimates; the
    /// level and the proportional effects both use it.
    ///
    /// Computed as (Z Mᵀ)ᵀ(Z Mᵀ) / n²: forming ZᵀZ first costs cells² × (clusters + 2 · estimates)
    /// and a cells × cells matrix, while Z Mᵀ costs clusters × cells × estimates. With 100 cohorts
    /// × 100 periods (10^4 cells, 200 units) that is minutes and 3 GB against seconds.
    static func influenceCovariance(_ influence: Matrix, map: Matrix, clusters: ClusterVariable?) throws -> Matrix {
        let n = Double(influence.rows)
        var scores = influence
        if let clusters {
            var sums = Matrix(rows: clusters.levelCount, columns: influence.columns)
            for j in 0..<influence.columns {
                let base = j * influence.rows, target = j * clusters.levelCount
                for i in 0..<influence.rows { sums.values[target + Int(clusters.codes[i])] += influence.values[base + i] }
            }
            scores = sums
        }
        let mapped = try scores.multiplied(by: map, transposeOther: true)
        var covariance = mapped.crossProduct()
        for index in covariance.values.indices { covariance.values[index] /= n * n }
        covariance.symmetrizeFromUpper()
        return covariance
    }
}
