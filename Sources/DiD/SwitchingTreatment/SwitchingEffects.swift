// de Chaisemartin & D'Haultfœuille (2024, REStat), the estimators of `did_multiplegt_dyn`:
// effects ℓ periods after each unit's first treatment change, placebos before it, their joint
// covariance from the units' influence functions, normalized effects and the average total effect.
//
// Goals:
// 1. The paper's definitions (its eq. 3 and 5; Web Appendix 1.1 for the placebos), as
//    did_multiplegt_dyn computes them. For a switcher g at horizon ℓ,
//      DID_{g,ℓ} = Y_{g,F_g−1+ℓ} − Y_{g,F_g−1} − mean over controls of the same change,
//    the controls being the units with the same status quo D_{g,1} that have not changed by
//    F_g−1+ℓ; DID_ℓ = Σ S_g DID_{g,ℓ} / N_ℓ over the N_ℓ switchers with such controls
//    (F_g−1+ℓ ≤ T_g). Joiners and leavers are pooled with the sign S_g of their change, as R's
//    did_multiplegt_dyn does (its switchers-out estimates carry that sign too, `U_Gg_minus =
//    −U_Gg`); moderndid 0.2.0's `did_multiplegt` pools without the sign and reports the
//    switchers-out effects unsigned (Tests/Fixtures/dcdh/README.md).
//    Placebo ℓ compares Y_{g,F_g−1−ℓ} with Y_{g,F_g−1} against controls that have not changed by
//    F_g−1+ℓ (the controls of effect ℓ), for switchers with ℓ earlier periods and F_g−1+ℓ ≤ T_g.
// 2. Standard errors clustered at the unit: each unit's influence U_{g,ℓ} (its own change as a
//    switcher, minus its share of the control mean of every switcher it serves), centred within
//    its cohort (same status quo, period and direction of the first change: the paper's Section
//    3.7.3 plug-in), Var(DID_ℓ) = Σ_g Ũ_{g,ℓ}² / N_ℓ², and the covariances of horizons the same
//    cross products. This is diff-diff 3.13's analytic variance. R's did_multiplegt_dyn by
//    default centres each period's contributions within cohorts of treatment paths and rescales
//    them by √(n/(n−1)) for the cohort's size (ported as moderndid's default); that small-sample
//    convention is not implemented here: its SEs run a few percent larger (Tests/Fixtures/dcdh).
// 3. Normalized effects DID_ℓ / δ^D_ℓ, with δ^D_ℓ the switchers' mean cumulated change of
//    treatment |Σ_{k<ℓ} (D_{g,F_g+k} − D_{g,1})| (the paper's eq. 15); the average total effect
//    Σ_ℓ N_ℓ DID_ℓ / Σ_{ℓ,g} |D_{g,F_g−1+ℓ} − D_{g,1}| (the paper's δ, did_multiplegt_dyn's
//    `Av_tot_eff`), a linear combination of the effects and so in their covariance.

import LinearAlgebra

/// One horizon's estimate with its unit influence.
struct SwitchingHorizon {
    /// ℓ (effects) or ℓ of a placebo.
    let lag: Int
    let estimate: Double
    /// Switchers behind the estimate (N_ℓ).
    let switchers: Int
    /// Units serving as controls for at least one of them.
    let controls: Int
    /// Each unit's influence Σ-scaled so that Σ_g U_g = N_ℓ · DID_ℓ.
    let influence: [Double]
    /// Which units are the switchers behind it.
    let eligible: [Bool]
}

/// The estimator on one `SwitchingPanel`.
struct SwitchingEffects {
    let panel: SwitchingPanel
    let switchers: SwitchingTreatmentOptions.Switchers

    /// Whether unit `g` is a switcher of the chosen kind.
    func selected(_ g: Int) -> Bool {
        guard panel.firstChange[g] != nil else { return false }
        switch switchers {
        case .both: return true
        case .in: return panel.direction[g] > 0
        case .out: return panel.direction[g] < 0
        }
    }

    /// Effect ℓ (`placebo: false`) or placebo ℓ (`placebo: true`).
    func horizon(_ lag: Int, placebo: Bool) -> SwitchingHorizon {
        let units = panel.unitCount
        var influence = [Double](repeating: 0, count: units)
        var eligible = [Bool](repeating: false, count: units)
        var isControl = [Bool](repeating: false, count: units)
        var sum = 0.0
        for g in 0..<units where selected(g) {
            guard let change = panel.firstChange[g] else { continue }
            let reference = change - 1
            let forward = reference + lag
            let compared = placebo ? reference - lag : forward
            guard compared >= 0, forward < panel.periodCount, forward <= panel.lastControlPeriod[g],
                  panel.observed(g, reference), panel.observed(g, compared) else { continue }
            let controls = (0..<units).filter { c in
                panel.statusQuo[c] == panel.statusQuo[g] && (panel.firstChange[c].map { $0 > forward } ?? true)
                    && panel.observed(c, reference) && panel.observed(c, compared) && (!placebo || panel.observed(c, forward))
            }
            guard !controls.isEmpty else { continue }
            eligible[g] = true
            let sign = Double(panel.direction[g])
            let own = sign * (panel.outcome[g][compared] - panel.outcome[g][reference])
            influence[g] += own
            sum += own
            let share = sign / Double(controls.count)
            for c in controls {
                let change = share * (panel.outcome[c][compared] - panel.outcome[c][reference])
                influence[c] -= change
                sum -= change
                isControl[c] = true
            }
        }
        let count = eligible.filter { $0 }.count
        return SwitchingHorizon(lag: lag, estimate: count > 0 ? sum / Double(count) : .nan, switchers: count,
                                controls: isControl.filter { $0 }.count, influence: influence, eligible: eligible)
    }

    /// The joint covariance of `horizons` from their cohort-centred influences.
    func covariance(_ horizons: [SwitchingHorizon]) -> Matrix {
        let cohorts = panel.varianceCohorts()
        let cohortCount = (cohorts.max() ?? -1) + 1
        let centred = horizons.map { horizon -> [Double] in
            var sums = [Double](repeating: 0, count: cohortCount), sizes = [Double](repeating: 0, count: cohortCount)
            for (unit, cohort) in cohorts.enumerated() {
                sums[cohort] += horizon.influence[unit]
                sizes[cohort] += 1
            }
            return cohorts.enumerated().map { unit, cohort in horizon.influence[unit] - sums[cohort] / sizes[cohort] }
        }
        var matrix = Matrix(rows: horizons.count, columns: horizons.count, repeating: .nan)
        for i in horizons.indices {
            for j in horizons.indices where horizons[i].switchers > 0 && horizons[j].switchers > 0 {
                var cross = 0.0
                for unit in cohorts.indices { cross += centred[i][unit] * centred[j][unit] }
                matrix[i, j] = cross / (Double(horizons[i].switchers) * Double(horizons[j].switchers))
            }
        }
        return matrix
    }

    /// δ^D_ℓ: the mean over effect ℓ's switchers of |Σ_{k<ℓ} (D_{g,F_g+k} − D_{g,1})|.
    func cumulatedChange(_ horizon: SwitchingHorizon) -> Double {
        guard horizon.switchers > 0 else { return .nan }
        var total = 0.0
        for g in horizon.eligible.indices where horizon.eligible[g] {
            guard let change = panel.firstChange[g] else { continue }
            var dose = 0.0
            for k in 0..<horizon.lag where change + k < panel.periodCount {
                let value = panel.treatment[g][change + k]
                if !value.isNaN { dose += value - panel.statusQuo[g] }
            }
            total += abs(dose)
        }
        return total / Double(horizon.switchers)
    }

    /// The weights of the average total effect on the effects: N_ℓ / Σ_{ℓ,g} |D_{g,F_g−1+ℓ} − D_{g,1}|
    /// (zero for a horizon without switchers); nil when the treatment changed by nothing in total.
    func averageTotalEffectWeights(_ effects: [SwitchingHorizon]) -> [Double]? {
        var dose = 0.0
        for horizon in effects {
            for g in horizon.eligible.indices where horizon.eligible[g] {
                guard let change = panel.firstChange[g] else { continue }
                let value = panel.treatment[g][change - 1 + horizon.lag]
                if !value.isNaN { dose += abs(value - panel.statusQuo[g]) }
            }
        }
        guard dose > 0 else { return nil }
        return effects.map { Double($0.switchers) / dose }
    }
}
