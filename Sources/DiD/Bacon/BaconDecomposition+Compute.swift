// The Goodman-Bacon (2021) decomposition: the algorithm.
//
// Goals, in order:
// 1. Exact agreement with the references (diff-diff 3.13.0, pybacondecomp 0.1.0, and an
//    implementation of the paper's equations; see Tests/Fixtures/bacon) to rounding error.
//    Every 2×2 estimate and weight is the paper's closed form (Eqs. 7–9 and 10b–g) evaluated on
//    group-by-period means, written in the paper's notation so that each line can be checked
//    against the paper, with no algebraic shortcut that would move the rounding.
// 2. A check that does not share this code: the TWFE coefficient comes from two-way demeaning
//    of the raw panel (BaconPanel+TWFE.swift), not from the group means, and the tests require
//    the weighted sum of the 2×2 estimates to reproduce it to 1e-10.
// 3. Speed. One pass over the N×T cells builds the G×T group means (G ≤ T + 1 groups); all
//    comparisons then cost O(G² T), independent of N. The references run a regression per
//    pair; here no regression is needed because, in a balanced panel, each 2×2 TWFE
//    regression equals its difference of window means (the paper's Eqs. 3 and 10b–d).
//
// Notation. Periods are indexed 0..<T in ascending order. A unit's onset `e` is the number of
// periods before its treatment starts, so D_it = 1{t >= e}: e = 0 is "always treated",
// e = T is untreated throughout the window (never treated, or treated after the last period),
// and 0 < e < T is an adoption cohort. Units with the same onset form the paper's group k,
// with sample share n_k = N_k / N and treated share D̄_k = (T − e_k) / T. Comparing the
// groups' onsets, rather than raw cohort labels, is what makes cohorts before the window,
// after it, or between two observed periods behave exactly as the regression treats them.

extension BaconDecomposition {
    /// Decomposes a checked panel; see ``compute(_:options:)``.
    static func decompose(_ panel: BaconPanel, options: BaconOptions) throws(BaconError)
        -> BaconDecomposition
    {
        let N = panel.unitCount
        let T = panel.periodCount
        let periods = panel.periods

        // Onsets from the cohorts, and the treatment dummy the regression sees.
        let trueOnset = panel.cohort.map { cohort in cohort.map { onsetIndex(of: $0, in: periods) } ?? T }
        var treated = [Bool](repeating: false, count: N * T)
        for i in 0..<N where trueOnset[i] < T {
            for t in trueOnset[i]..<T { treated[i * T + t] = true }
        }
        let alwaysTreatedUnits = trueOnset.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        // Pooling moves the always treated into U; their D (constant 1) is absorbed by their
        // unit effect either way, so the regression is the same (BaconOptions.AlwaysTreated).
        let onset = options.alwaysTreated == .pooledWithUntreated
            ? trueOnset.map { $0 == 0 ? T : $0 } : trueOnset

        // Group sizes and group-by-period mean outcomes, indexed by onset 0...T.
        var size = [Int](repeating: 0, count: T + 1)
        var sum = [BaconSum](repeating: BaconSum(), count: (T + 1) * T)
        for i in 0..<N {
            let g = onset[i]
            size[g] += 1
            for t in 0..<T { sum[g * T + t].add(panel.outcome[i * T + t]) }
        }
        let mean = (0...T).map { g in
            size[g] == 0 ? [] : (0..<T).map { sum[g * T + $0].value / Double(size[g]) }
        }

        let switching = (1..<T).filter { size[$0] > 0 }
        guard !switching.isEmpty else {
            throw BaconError(.noIdentifyingVariation,
                             "no unit changes treatment status inside the window \(periods[0])–\(periods[T - 1]): "
                                 + "every unit is never treated, first treated after \(periods[T - 1]), or treated "
                                 + "in or before \(periods[0]), so the treatment dummy is absorbed by the unit effects")
        }

        let groups = Groups(size: size, mean: mean, unitCount: N, periods: periods)
        let raw = groups.comparisons()
        let total = raw.reduce(0) { $0 + $1.numerator }
        guard total > 0 else {
            // Only one cohort switches and nothing else is left to compare it with.
            throw BaconError(.noIdentifyingVariation,
                             "every unit is first treated in \(periods[switching[0]]): with no untreated, "
                                 + "always-treated or differently timed units to compare with, the treatment "
                                 + "dummy is collinear with the period effects and the TWFE estimate does not exist")
        }
        guard let twfe = panel.twoWayFixedEffects(treated: treated) else {
            // Not reachable when some numerator is positive (Theorem 1: their sum is V̂^D > 0),
            // but the division in the regression is guarded on its own terms.
            throw BaconError(.noIdentifyingVariation,
                             "the treatment dummy has no variation left after unit and period effects")
        }
        // Eqs. 10e–g divide by V̂^D; Theorem 1 makes it the sum of the numerators, and dividing
        // by that sum (as the references do) makes the weights add up to one to the last bit.
        let comparisons = raw.map { $0.comparison(weight: $0.numerator / total) }

        var cohortSizes: [Int: Int] = [:]
        for e in switching { cohortSizes[periods[e]] = size[e] }
        return BaconDecomposition(comparisons: comparisons, twfeEstimate: twfe.coefficient,
                                  identifyingVariance: twfe.variance, periods: periods, unitCount: N,
                                  cohortSizes: cohortSizes, untreatedUnits: size[T],
                                  alwaysTreatedUnits: alwaysTreatedUnits, options: options)
    }

    /// The number of periods strictly before `cohort`: the unit's onset index.
    static func onsetIndex(of cohort: Int, in periods: [Int]) -> Int {
        var low = 0
        var high = periods.count
        while low < high {
            let mid = (low + high) / 2
            if periods[mid] < cohort { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The groups' sizes and mean paths, and the paper's formulas on them.
    private struct Groups {
        let size: [Int]
        let mean: [[Double]]
        let unitCount: Int
        let periods: [Int]
        var T: Int { periods.count }

        /// n_g: the group's share of all units.
        func share(_ g: Int) -> Double { Double(size[g]) / Double(unitCount) }
        /// D̄_g: the share of the window the group spends treated.
        func treatedShare(_ g: Int) -> Double { Double(T - g) / Double(T) }

        /// Group `g`'s mean outcome over periods `range`.
        func windowMean(_ g: Int, _ range: Range<Int>) -> Double {
            var s = 0.0
            for t in range { s += mean[g][t] }
            return s / Double(range.count)
        }

        /// `(ȳ_treated(post) − ȳ_treated(pre)) − (ȳ_control(post) − ȳ_control(pre))`.
        func differenceInDifferences(treated: Int, control: Int, pre: Range<Int>, post: Range<Int>) -> Double {
            (windowMean(treated, post) - windowMean(treated, pre))
                - (windowMean(control, post) - windowMean(control, pre))
        }

        /// Every comparison with a non-empty pre and post window, with its weight numerator.
        func comparisons() -> [Pending] {
            let U = T
            let timing = (0..<T).filter { size[$0] > 0 }
            var out: [Pending] = []
            if size[U] > 0 {
                let nU = share(U)
                // The always treated (onset 0) against U has no variation in D: skipped.
                for k in timing where k > 0 {
                    let nk = share(k), Dk = treatedShare(k)
                    let nkU = nk / (nk + nU)
                    let V = nkU * (1 - nkU) * Dk * (1 - Dk)                                  // Eq. 7
                    out.append(Pending(kind: .treatedVsNever, treated: k, control: U,
                                       estimate: differenceInDifferences(treated: k, control: U,
                                                                         pre: 0..<k, post: k..<T), // Eq. 10b
                                       numerator: (nk + nU) * (nk + nU) * V,                     // Eq. 10e
                                       window: 0..<T, postStart: k, groups: self))
                }
            }
            for (position, k) in timing.enumerated() {
                for l in timing[(position + 1)...] {
                    // k is treated earlier than l: 0 <= k < l < T, so D̄_k > D̄_l > 0 and
                    // 1 − D̄_l > 0; no denominator below can vanish.
                    let nk = share(k), nl = share(l)
                    let Dk = treatedShare(k), Dl = treatedShare(l)
                    let nkl = nk / (nk + nl)
                    if k > 0 {  // an always-treated k has no PRE(k) window: weight zero, skipped
                        let V = nkl * (1 - nkl) * ((Dk - Dl) / (1 - Dl)) * ((1 - Dk) / (1 - Dl))  // Eq. 8
                        let scale = (nk + nl) * (1 - Dl)
                        out.append(Pending(kind: .earlierVsLater, treated: k, control: l,
                                           estimate: differenceInDifferences(treated: k, control: l,
                                                                             pre: 0..<k, post: k..<l), // 10c
                                           numerator: scale * scale * V,                         // Eq. 10f
                                           window: 0..<l, postStart: k, groups: self))
                    }
                    let V = nkl * (1 - nkl) * (Dl / Dk) * ((Dk - Dl) / Dk)                  // Eq. 9
                    let scale = (nk + nl) * Dk
                    out.append(Pending(kind: .laterVsEarlier, treated: l, control: k,
                                       estimate: differenceInDifferences(treated: l, control: k,
                                                                         pre: k..<l, post: l..<T), // 10d
                                       numerator: scale * scale * V,                             // Eq. 10g
                                       window: k..<T, postStart: l, groups: self))
                }
            }
            return out
        }
    }

    /// A comparison whose weight is known up to the common denominator V̂^D.
    private struct Pending {
        let kind: BaconComparison.Kind
        let treated: Int
        let control: Int
        let estimate: Double
        let numerator: Double
        let window: Range<Int>
        let postStart: Int
        let groups: Groups

        func comparison(weight: Double) -> BaconComparison {
            let periods = groups.periods
            return BaconComparison(
                kind: kind, treatedCohort: periods[treated],
                controlCohort: control == groups.T ? nil : periods[control],
                controlIsAlwaysTreated: control == 0,
                estimate: estimate, weight: weight,
                treatedUnits: groups.size[treated], controlUnits: groups.size[control],
                firstPeriod: periods[window.lowerBound], lastPeriod: periods[window.upperBound - 1],
                firstPostPeriod: periods[postStart])
        }
    }
}
