// Changes-in-changes (Athey & Imbens 2006, "Identification and Inference in Nonlinear
// Difference-in-Differences Models", Econometrica 74(2)) for one cohort × period cell.
//
// Goals:
// 1. The paper's plug-in estimators: the treated group's counterfactual outcome without treatment
//    is F₀₁⁻¹(F₀₀(y₁₀)) for each treated base-period outcome y₁₀ (eq. 15, 36); the mean effect is
//    mean(y₁₁) minus the mean of these draws, the quantile effect at τ is F₁₁⁻¹(τ) minus their
//    τ-quantile (eq. 17–18).
// 2. The numerical conventions of R `qte::CiC` 1.3.1 as diff-diff 3.13 ports them (the peers):
//    type-1 quantiles throughout, the empirical CDF counting values ≤ y (SortedSample).
// 3. A replicate costs O(n log n) at most: the counterfactual draws are monotone in y₁₀, so they
//    come out sorted in the base period's order and need no sort.
// Continuous outcomes only: a whole-number outcome (a head count) is refused before any cell
// runs (DistributionalAnalysis), as the paper's bounds for discrete outcomes (§4) are not built.

/// Changes-in-changes, with the DiD estimator protocol's conformance.
struct ChangesInChangesEstimator: DiDEstimator, DistributionalMethod {
    var id: StaggeredEstimator { .changesInChanges }
    var periodsBefore: Int { 1 }

    struct Prepared: Sendable {
        /// Indices into the store: controls and treated, in the base period and the compared one.
        let controlBase: Int, controlTime: Int, treatedBase: Int, treatedTime: Int
        /// For each treated base-period value (sorted), the number of control base-period values ≤ it.
        let ranks: [Int]
    }

    func estimate(_ design: DiDDesign) throws -> DiDEffectSet {
        try DistributionalAnalysis.estimate(design, method: self)
    }

    func prepare(_ cell: DistributionalCell, store: inout SampleStoreBuilder) -> Prepared {
        let controlBase = store.outcomes(cell.controls, group: cell.controlKey, column: cell.baseIndex)
        let treatedBase = store.outcomes(cell.treated, group: cell.treatedKey, column: cell.baseIndex)
        let controls = store.samples[controlBase]
        return Prepared(controlBase: controlBase, controlTime: store.outcomes(cell.controls, group: cell.controlKey, column: cell.timeIndex),
                        treatedBase: treatedBase, treatedTime: store.outcomes(cell.treated, group: cell.treatedKey, column: cell.timeIndex),
                        ranks: store.samples[treatedBase].values.map { controls.countAtOrBelow($0) })
    }

    func effects(_ prepared: Prepared, samples: [WeightedSample], counts: [Int32]?, quantiles: [Double]) -> [Double] {
        let controlBase = samples[prepared.controlBase], controlTime = samples[prepared.controlTime]
        let treatedBase = samples[prepared.treatedBase], treatedTime = samples[prepared.treatedTime]
        guard controlBase.total > 0, treatedBase.total > 0 else { return [Double](repeating: .nan, count: quantiles.count + 1) }
        // Counterfactual draw of each treated unit, in the base period's sorted order (monotone).
        let controlTotal = Double(controlBase.total)
        let treatedUnits = treatedBase.sample.units
        var counterfactual = [Double](repeating: 0, count: prepared.ranks.count)
        var sum = 0.0
        for (k, rank) in prepared.ranks.enumerated() {
            let weight = counts.map { Double($0[Int(treatedUnits[k])]) } ?? 1
            guard weight > 0 else { continue }
            counterfactual[k] = controlTime.quantileType1(Double(controlBase.weight(below: rank)) / controlTotal)
            sum += weight * counterfactual[k]
        }
        let drawn = WeightedSample(sample: SortedSample(sortedValues: counterfactual, units: treatedUnits), cumulative: treatedBase.cumulative)
        var effects = [treatedTime.mean(counts) - sum / Double(treatedBase.total)]
        for tau in quantiles { effects.append(treatedTime.quantileType1(tau) - drawn.quantileType1(tau)) }
        return effects
    }
}
