// The panel quantile treatment effect on the treated (Callaway & Li 2019, "Quantile treatment
// effects in difference in differences models with panel data", Quantitative Economics 10(4))
// for one cohort × period cell; R `qte::panel.qtet` is the peer.
//
// Assumptions: distributional parallel trends (the treated group's change without treatment,
// Y_t(0) − Y_b, is distributed as the control group's change), and copula stability (the
// dependence between that change and the base-period outcome equals the dependence, among the
// treated, between the change into the base period, Y_b − Y_{b−1}, and Y_{b−1}). The estimator
// draws one counterfactual per treated unit i,
//   y0ᵢ = F⁻¹_{ΔY_t | control}(F_{ΔY_b | treated}(ΔY_b,ᵢ)) + F⁻¹_{Y_b | treated}(F_{Y_{b−1} | treated}(Y_{b−1},ᵢ)),
// and QTT(τ) = F⁻¹_{Y_t | treated}(τ) − F⁻¹_{y0}(τ); the mean effect is mean(Y_t | treated) − mean(y0).
// The change into the base period spans one period (b − 1 to b) whatever the horizon t − b, so
// each cell needs a period before its base: cells without one are left out (a cohort in the
// second period has none), and a panel where no cell has one is refused.
//
// Goals: the paper's estimator with type-1 quantiles and the empirical CDF counting values ≤ y
// (as qte), equal to a dense numpy implementation (Tests/Fixtures/distributional); a replicate
// costs O(n log n) (one sort of the treated units' counterfactual draws).

/// Panel QTT, with the DiD estimator protocol's conformance.
struct PanelQuantileTreatmentEffectEstimator: DiDEstimator, DistributionalMethod {
    var id: StaggeredEstimator { .panelQTT }
    var periodsBefore: Int { 2 }

    struct Prepared: Sendable {
        /// Indices into the store. Treated: ΔY_b (change into the base), Y_{b−1}, Y_b, Y_t;
        /// controls: ΔY_t = Y_t − Y_b.
        let treatedChange: Int, treatedEarlier: Int, treatedBase: Int, treatedTime: Int, controlChange: Int
        /// For each treated unit (in `treated` order): the number of values ≤ its own in
        /// treatedChange and in treatedEarlier.
        let changeRank: [Int], earlierRank: [Int]
        let treated: [Int32]
    }

    func estimate(_ design: DiDDesign) throws -> DiDEffectSet {
        try DistributionalAnalysis.estimate(design, method: self)
    }

    func prepare(_ cell: DistributionalCell, store: inout SampleStoreBuilder) -> Prepared {
        let earlier = cell.earlierIndex ?? cell.baseIndex
        let panel = store.panel, width = panel.periods.count
        let treatedChange = store.changes(cell.treated, group: cell.treatedKey, from: earlier, to: cell.baseIndex)
        let treatedEarlier = store.outcomes(cell.treated, group: cell.treatedKey, column: earlier)
        let changes = store.samples[treatedChange], levels = store.samples[treatedEarlier]
        let changeRank = cell.treated.map { unit in
            changes.countAtOrBelow(panel.outcome[Int(unit) * width + cell.baseIndex] - panel.outcome[Int(unit) * width + earlier])
        }
        let earlierRank = cell.treated.map { levels.countAtOrBelow(panel.outcome[Int($0) * width + earlier]) }
        return Prepared(treatedChange: treatedChange, treatedEarlier: treatedEarlier,
                        treatedBase: store.outcomes(cell.treated, group: cell.treatedKey, column: cell.baseIndex),
                        treatedTime: store.outcomes(cell.treated, group: cell.treatedKey, column: cell.timeIndex),
                        controlChange: store.changes(cell.controls, group: cell.controlKey, from: cell.baseIndex, to: cell.timeIndex),
                        changeRank: changeRank, earlierRank: earlierRank, treated: cell.treated)
    }

    func effects(_ prepared: Prepared, samples: [WeightedSample], counts: [Int32]?, quantiles: [Double]) -> [Double] {
        let controlChange = samples[prepared.controlChange], treatedChange = samples[prepared.treatedChange]
        let treatedEarlier = samples[prepared.treatedEarlier], treatedBase = samples[prepared.treatedBase]
        let treatedTime = samples[prepared.treatedTime]
        guard controlChange.total > 0, treatedChange.total > 0 else { return [Double](repeating: .nan, count: quantiles.count + 1) }
        let treatedTotal = Double(treatedChange.total)
        var draws = [Double](), units = [Int32]()
        draws.reserveCapacity(prepared.treated.count)
        var sum = 0.0
        for (k, unit) in prepared.treated.enumerated() {
            let weight = counts.map { Double($0[Int(unit)]) } ?? 1
            guard weight > 0 else { continue }
            let change = controlChange.quantileType1(Double(treatedChange.weight(below: prepared.changeRank[k])) / treatedTotal)
            let level = treatedBase.quantileType1(Double(treatedEarlier.weight(below: prepared.earlierRank[k])) / treatedTotal)
            draws.append(change + level)
            units.append(unit)
            sum += weight * (change + level)
        }
        let counterfactual = SortedSample(values: draws, units: units).weighted(counts)
        var effects = [treatedTime.mean(counts) - sum / treatedTotal]
        for tau in quantiles { effects.append(treatedTime.quantileType1(tau) - counterfactual.quantileType1(tau)) }
        return effects
    }
}
