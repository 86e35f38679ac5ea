// Quantile difference-in-differences (Athey & Imbens 2006, §3.3, the comparison estimator) for one
// cohort × period cell: the treated group's counterfactual τ-quantile is its base-period quantile
// plus the control group's change at the same quantile,
//   QTE(τ) = Q₁₁(τ) − [Q₁₀(τ) + Q₀₁(τ) − Q₀₀(τ)].
//
// Goals:
// 1. Equal R `qte::QDiD` 1.3.1 as diff-diff 3.13 ports it (the peers): type-7 (interpolated)
//    quantiles, as qte uses for this estimator (CiC uses type 1); the mean effect is qte's:
//    mean(y₁₁) − [mean(y₁₀) + mean Q₀₁(r) − mean Q₀₀(r)], with r each treated unit's rank in its
//    own base-period sample (the empirical CDF at its value).
// 2. A replicate costs O(n log n) at most, from samples sorted once (SortedSample).
// The paper recommends changes-in-changes over this estimator (its model is not invariant to
// monotone transformations of the outcome); it is here as the common comparison.

/// Quantile DiD, with the DiD estimator protocol's conformance.
struct QuantileDiDEstimator: DiDEstimator, DistributionalMethod {
    var id: StaggeredEstimator { .quantileDiD }
    var periodsBefore: Int { 1 }

    struct Prepared: Sendable {
        /// Indices into the store: controls and treated, in the base period and the compared one.
        let controlBase: Int, controlTime: Int, treatedBase: Int, treatedTime: Int
        /// For each treated base-period position, the number of treated base-period values ≤ its value.
        let ownRanks: [Int]
    }

    func estimate(_ design: DiDDesign) throws -> DiDEffectSet {
        try DistributionalAnalysis.estimate(design, method: self)
    }

    func prepare(_ cell: DistributionalCell, store: inout SampleStoreBuilder) -> Prepared {
        let treatedBase = store.outcomes(cell.treated, group: cell.treatedKey, column: cell.baseIndex)
        let treated = store.samples[treatedBase]
        return Prepared(controlBase: store.outcomes(cell.controls, group: cell.controlKey, column: cell.baseIndex),
                        controlTime: store.outcomes(cell.controls, group: cell.controlKey, column: cell.timeIndex),
                        treatedBase: treatedBase, treatedTime: store.outcomes(cell.treated, group: cell.treatedKey, column: cell.timeIndex),
                        ownRanks: treated.values.map { treated.countAtOrBelow($0) })
    }

    func effects(_ prepared: Prepared, samples: [WeightedSample], counts: [Int32]?, quantiles: [Double]) -> [Double] {
        let controlBase = samples[prepared.controlBase], controlTime = samples[prepared.controlTime]
        let treatedBase = samples[prepared.treatedBase], treatedTime = samples[prepared.treatedTime]
        guard controlBase.total > 0, treatedBase.total > 0 else { return [Double](repeating: .nan, count: quantiles.count + 1) }
        let treatedTotal = Double(treatedBase.total)
        let treatedUnits = treatedBase.sample.units
        var controlChange = 0.0
        for (k, rank) in prepared.ownRanks.enumerated() {
            let weight = counts.map { Double($0[Int(treatedUnits[k])]) } ?? 1
            guard weight > 0 else { continue }
            let r = Double(treatedBase.weight(below: rank)) / treatedTotal
            controlChange += weight * (controlTime.quantileType7(r) - controlBase.quantileType7(r))
        }
        var effects = [treatedTime.mean(counts) - (treatedBase.mean(counts) + controlChange / treatedTotal)]
        for tau in quantiles {
            let counterfactual = treatedBase.quantileType7(tau) + controlTime.quantileType7(tau) - controlBase.quantileType7(tau)
            effects.append(treatedTime.quantileType7(tau) - counterfactual)
        }
        return effects
    }
}
