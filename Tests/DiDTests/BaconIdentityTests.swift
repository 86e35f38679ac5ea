import DiD
import Testing

/// Theorem 1 as an identity on simulated panels, and the invariances the conventions promise.
@Suite("Bacon decomposition: identities on simulated panels")
struct BaconIdentityTests {
    /// Staggered designs with random unit and period effects and heterogeneous, dynamic
    /// effects: with and without never-treated and always-treated units, with cohorts before,
    /// between and after the observed periods, and with gaps between periods.
    static let designs: [BaconSimulation] = [
        BaconSimulation(periods: Array(1...8), cohorts: BaconSimulation.cohorts([(3, 6), (5, 9), (7, 4), (nil, 11)]), seed: 1),
        BaconSimulation(periods: Array(2001...2010),
                        cohorts: BaconSimulation.cohorts([(1998, 3), (2001, 2), (2002, 5), (2004, 7), (2008, 3), (2010, 6), (nil, 5)]),
                        seed: 2),
        // No untreated group: only timing comparisons (and always-treated controls).
        BaconSimulation(periods: Array(1...6), cohorts: BaconSimulation.cohorts([(2, 4), (4, 5), (6, 3)]), seed: 3),
        BaconSimulation(periods: Array(1...6), cohorts: BaconSimulation.cohorts([(0, 4), (4, 5), (5, 3)]), seed: 4),
        // Gaps between periods, a cohort label between two of them, one after the last.
        BaconSimulation(periods: [1990, 1992, 1995, 1996, 2000, 2003, 2004],
                        cohorts: BaconSimulation.cohorts([(1993, 5), (1995, 2), (2001, 6), (2010, 3), (nil, 4)]), seed: 5),
        // Many cohorts, one unit each.
        BaconSimulation(periods: Array(1...12), cohorts: (2...12).map { $0 } + [nil, nil], seed: 6, noise: 2),
    ]

    static let arguments: [(Int, BaconOptions.AlwaysTreated)] =
        designs.indices.flatMap { i in BaconOptions.AlwaysTreated.allCases.map { (i, $0) } }

    @Test("weights are positive and sum to one; Σ weight × estimate = TWFE = dummy OLS", arguments: arguments)
    func theoremOne(design: Int, always: BaconOptions.AlwaysTreated) throws {
        let input = Self.designs[design].input()
        let result = try BaconDecomposition.compute(input, options: BaconOptions(alwaysTreated: always))
        let total = result.comparisons.reduce(0) { $0 + $1.weight }
        #expect(abs(total - 1) <= 1e-12)
        #expect(result.comparisons.allSatisfy { $0.weight > 0 })
        let scale = max(1, abs(result.twfeEstimate))
        #expect(abs(result.weightedSum - result.twfeEstimate) <= 1e-10 * scale,
                "design \(design): \(result.weightedSum) vs \(result.twfeEstimate)")
        let ols = BaconDummyOLS.coefficient(input)
        #expect(abs(ols - result.twfeEstimate) <= 1e-10 * scale, "design \(design): OLS \(ols)")
        let kindTotal = result.weightsByKind.values.reduce(0, +)
        #expect(abs(kindTotal - 1) <= 1e-12)
        #expect(result.forbiddenWeight == result.weightsByKind[.laterVsEarlier])
    }

    /// Pooling the always treated into U relabels comparisons without changing the sum: the
    /// pooled weight of cohort k against U is its weight against A plus that against N
    /// (both `∝ n_k n_control D̄_k (1 − D̄_k)`, Eqs. 7 and 10e), and the pooled estimate is their
    /// weighted mean. Earlier-vs-later comparisons do not involve either group.
    @Test("always treated: pooled and separate agree", arguments: [1, 3])
    func pooledAgreesWithSeparate(design: Int) throws {
        let input = Self.designs[design].input()
        let separate = try BaconDecomposition.compute(input, options: BaconOptions(alwaysTreated: .separateGroup))
        let pooled = try BaconDecomposition.compute(input, options: BaconOptions(alwaysTreated: .pooledWithUntreated))
        #expect(separate.alwaysTreatedUnits > 0)
        #expect(separate.twfeEstimate == pooled.twfeEstimate)
        for c in pooled.comparisons where c.kind == .treatedVsNever {
            let parts = separate.comparisons.filter {
                $0.treatedCohort == c.treatedCohort && ($0.controlCohort == nil || $0.controlIsAlwaysTreated)
            }
            let weight = parts.reduce(0) { $0 + $1.weight }
            let estimate = parts.reduce(0) { $0 + $1.weight * $1.estimate } / weight
            #expect(BaconTestSupport.agrees(weight, c.weight, tolerance: 1e-12))
            #expect(BaconTestSupport.agrees(estimate, c.estimate))
        }
        let separateTiming = separate.comparisons.filter { $0.kind == .earlierVsLater }
        let pooledTiming = pooled.comparisons.filter { $0.kind == .earlierVsLater }
        #expect(separateTiming == pooledTiming)
    }

    @Test("row order, unit labels and period labels do not matter")
    func invariances() throws {
        let design = Self.designs[1]
        let base = try BaconDecomposition.compute(design.input())
        var shifted = design
        shifted.unitStride = 13
        let relabelled = try BaconDecomposition.compute(shifted.input())
        #expect(relabelled.comparisons.map(\.estimate) == base.comparisons.map(\.estimate))
        #expect(relabelled.comparisons.map(\.weight) == base.comparisons.map(\.weight))

        // Periods t → 10 t + 3 with cohorts moved alike: the same numbers, new labels.
        let input = design.input()
        let stretched = BaconInput(unit: input.unit, time: input.time.map { 10 * $0 + 3 }, outcome: input.outcome,
                                   cohort: input.cohort.map { $0.map { 10 * $0 + 3 } })
        let other = try BaconDecomposition.compute(stretched)
        #expect(other.twfeEstimate == base.twfeEstimate)
        #expect(other.comparisons.map(\.weight) == base.comparisons.map(\.weight))
        #expect(other.comparisons.map(\.treatedCohort) == base.comparisons.map { 10 * $0.treatedCohort + 3 })
    }

    /// A cohort is known only through its treatment path, so labels with the same path give
    /// the same decomposition: after the last period is never, at or before the first is
    /// always treated, and between two periods is the next observed period.
    @Test("cohort labels with the same treatment path are the same group")
    func cohortLabels() throws {
        let design = Self.designs[4]
        let input = design.input()
        let base = try BaconDecomposition.compute(input)
        let recoded = input.cohort.map { cohort -> Int? in
            switch cohort {
            case 1993: 1995
            case 2001: 2003
            case 2010: nil
            default: cohort
            }
        }
        let same = try BaconDecomposition.compute(BaconInput(unit: input.unit, time: input.time,
                                                             outcome: input.outcome, cohort: recoded))
        #expect(same.comparisons == base.comparisons)
        #expect(base.cohortSizes == [1995: 7, 2003: 6])
        #expect(base.untreatedUnits == 7)

        let early = Self.designs[1].input()
        let moved = early.cohort.map { $0 == 2001 ? 1990 : $0 }
        let a = try BaconDecomposition.compute(early)
        let b = try BaconDecomposition.compute(BaconInput(unit: early.unit, time: early.time,
                                                          outcome: early.outcome, cohort: moved))
        #expect(a.comparisons == b.comparisons)
        #expect(a.alwaysTreatedUnits == 5)
        #expect(a.comparisons.filter(\.controlIsAlwaysTreated).allSatisfy { $0.controlCohort == 2001 })
    }

    /// With parallel trends and one constant effect δ, every 2×2 estimate is δ.
    @Test("constant homogeneous effect: every 2×2 estimate equals it")
    func constantEffect() throws {
        let periods = Array(1...7)
        let cohorts: [Int?] = [2, 2, 4, 4, 4, 6, nil, nil, 1]
        var unit: [Int] = [], time: [Int] = [], outcome: [Double] = [], cohort: [Int?] = []
        for (u, c) in cohorts.enumerated() {
            for t in periods {
                unit.append(u); time.append(t); cohort.append(c)
                let treated = c.map { t >= $0 } ?? false
                outcome.append(Double(u * u) * 0.7 + Double(t) * 1.3 - Double(t * t) * 0.1 + (treated ? 2.5 : 0))
            }
        }
        let result = try BaconDecomposition.compute(BaconInput(unit: unit, time: time, outcome: outcome, cohort: cohort))
        #expect(result.comparisons.allSatisfy { abs($0.estimate - 2.5) < 1e-12 })
        #expect(abs(result.twfeEstimate - 2.5) < 1e-12)
    }

    /// The paper's trend-break case: effect φ (t − e + 1) from onset index e on. Averaging over
    /// each window (periods indexed from 0, onsets e_k < e_l):
    ///   treated vs never   = φ (T − e_k + 1) / 2,
    ///   earlier vs later   = φ (e_l − e_k + 1) / 2,
    ///   later vs earlier   = φ (T − e_l + 1) / 2 − φ (T − e_k) / 2 = φ (e_k − e_l + 1) / 2 ≤ 0,
    /// the last because k's growing effect is subtracted (the ΔATT term of Eq. 15).
    @Test("trend-break effects: the 2×2 estimates in closed form")
    func trendBreak() throws {
        let T = 9
        let phi = 0.8
        let cohorts: [Int?] = [3, 3, 5, 7, 7, 7, nil, nil]
        var unit: [Int] = [], time: [Int] = [], outcome: [Double] = [], cohort: [Int?] = []
        for (u, c) in cohorts.enumerated() {
            for t in 0..<T {
                unit.append(u); time.append(t); cohort.append(c)
                let effect = c.map { t >= $0 ? phi * Double(t - $0 + 1) : 0 } ?? 0
                outcome.append(Double(u) * 1.7 + Double(t % 4) * 0.9 + effect)
            }
        }
        let result = try BaconDecomposition.compute(BaconInput(unit: unit, time: time, outcome: outcome, cohort: cohort))
        for c in result.comparisons {
            let k = Double(c.treatedCohort)
            let expected: Double
            switch c.kind {
            case .treatedVsNever: expected = phi * (Double(T) - k + 1) / 2
            case .earlierVsLater: expected = phi * (Double(c.controlCohort ?? 0) - k + 1) / 2
            case .laterVsEarlier: expected = phi * (Double(c.controlCohort ?? 0) - k + 1) / 2
            }
            #expect(abs(c.estimate - expected) < 1e-12, "\(c.kind) \(c.treatedCohort)")
        }
        #expect(result.estimateByKind[.laterVsEarlier].map { $0 < 0 } == true)
    }

    @Test("the canonical 2×2: one cohort, never treated, two periods")
    func canonical() throws {
        let input = BaconInput(unit: [1, 1, 2, 2, 3, 3], time: [0, 1, 0, 1, 0, 1],
                               outcome: [1, 4, 2, 3, 0, 2], cohort: [1, 1, nil, nil, nil, nil])
        let result = try BaconDecomposition.compute(input)
        #expect(result.comparisons.count == 1)
        let c = try #require(result.comparisons.first)
        #expect(c.kind == .treatedVsNever && c.weight == 1 && c.controlCohort == nil)
        // (4 − 1) − ((3 + 2)/2 − (2 + 0)/2) = 1.5
        #expect(abs(c.estimate - 1.5) < 1e-15 && abs(result.twfeEstimate - 1.5) < 1e-14)
        #expect(c.firstPeriod == 0 && c.lastPeriod == 1 && c.firstPostPeriod == 1)
        #expect(c.treatedUnits == 1 && c.controlUnits == 2)
        // V̂^D from the demeaned dummy equals the single weight numerator of Eqs. 7 and 10e:
        // (n_k + n_U)² n_kU (1 − n_kU) D̄_k (1 − D̄_k) = 1 · (1/3)(2/3) · (1/2)(1/2) = 1/18.
        #expect(abs(result.identifyingVariance - 1.0 / 18) < 1e-16)
    }

    /// Identifiers anywhere in Int's range, including ones whose span overflows.
    @Test("extreme unit and period identifiers")
    func extremeIdentifiers() throws {
        let units = [Int.min, -1, 0, Int.max]
        let periods = [Int.min + 1, -5, 7, Int.max - 1]
        let cohorts: [Int?] = [-5, 7, nil, Int.max]
        var unit: [Int] = [], time: [Int] = [], outcome: [Double] = [], cohort: [Int?] = []
        for (u, id) in units.enumerated() {
            for (t, period) in periods.enumerated() {
                unit.append(id); time.append(period); cohort.append(cohorts[u])
                outcome.append(Double(u * 3 + t * t) + (cohorts[u].map { period >= $0 ? 1.5 : 0 } ?? 0))
            }
        }
        let result = try BaconDecomposition.compute(BaconInput(unit: unit, time: time, outcome: outcome, cohort: cohort))
        #expect(result.cohortSizes == [-5: 1, 7: 1])
        #expect(result.untreatedUnits == 2)
        #expect(result.comparisons.allSatisfy { abs($0.estimate - 1.5) < 1e-12 })
    }
}
