@testable import DiD
import Foundation
import Inference
import LinearAlgebra
import PanelData
import QuipuTestSupport
import Testing

/// Proportional effects (`--effect proportional`, issue 22 point 2): Callaway–Sant'Anna's
/// log(m / (m − θ)) against a plain computation of its cells and weights, its delta-method standard
/// error against a unit bootstrap, and the Poisson imputation against a dense Poisson first stage.
@Suite struct ProportionalEffectsTests {
    /// A balanced count panel over periods 1...6: cohorts 3 and 5 and never treated (by thirds),
    /// Y ~ Poisson(exp(aᵢ + bₜ) · exp(effect · (1 + t − g)) after treatment), many zeros.
    struct CountPanel {
        var cohorts: [Int]  // 0: never treated
        var outcome: [[Double]]  // [unit][period − 1]
        static let periods = 6

        init(units: Int, effect: Double, seed: UInt64, baseline: Double = 0) {
            var rng = BaconSimulation.Generator(state: seed)
            cohorts = (0..<units).map { [3, 5, 0][$0 % 3] }
            outcome = []
            for unit in 0..<units {
                let level = baseline + 0.8 * rng.normal()
                var row = [Double]()
                for period in 1...Self.periods {
                    let g = cohorts[unit]
                    let treated = g > 0 && period >= g
                    let mean = exp(level + 0.1 * Double(period) + (treated ? effect * Double(1 + period - g) : 0))
                    row.append(Double(Self.poisson(mean, &rng)))
                }
                outcome.append(row)
            }
        }

        /// A Poisson draw by inversion.
        static func poisson(_ mean: Double, _ rng: inout BaconSimulation.Generator) -> Int {
            let u = Double.random(in: 0..<1, using: &rng)
            var k = 0, p = exp(-mean), cumulative = p
            while u > cumulative && k < 10_000 {
                k += 1
                p *= mean / Double(k)
                cumulative += p
            }
            return k
        }

        func table() -> DataTable {
            var unit = [Double](), time = [Double](), cohort = [Double](), y = [Double]()
            for (u, row) in outcome.enumerated() {
                for (t, value) in row.enumerated() {
                    unit.append(Double(u + 1)); time.append(Double(t + 1)); cohort.append(Double(cohorts[u])); y.append(value)
                }
            }
            return DataTable(source: "synthetic", names: ["unit", "time", "cohort", "y"],
                             columns: [.numeric(unit), .numeric(time), .numeric(cohort), .numeric(y)], rowCount: unit.count)
        }

        func unitPanel() throws -> UnitPanel {
            let table = table()
            let structure = try PanelStructure(table: table, unit: "unit", time: "time", treatment: .cohort("cohort"))
            return try UnitPanel(structure: structure, outcome: try OutcomeColumn(outcome: "y", table: table), covariates: [],
                                 cluster: nil, anticipation: 0, mode: .balanced)
        }

        func imputationInput() -> ImputationInput {
            var codes = [Int32](), periods = [Int](), y = [Double]()
            for (u, row) in outcome.enumerated() {
                for (t, value) in row.enumerated() { codes.append(Int32(u)); periods.append(t + 1); y.append(value) }
            }
            return ImputationInput(unitCodes: codes, unitCount: outcome.count, periods: periods,
                                   cohorts: cohorts.map { $0 == 0 ? nil : $0 }, outcome: y, pretrendLeads: 0)
        }

        /// The same panel on the units `draw` picks (with repetition: each pick is a new unit).
        func resampled(_ draw: [Int]) -> CountPanel {
            var copy = self
            copy.cohorts = draw.map { cohorts[$0] }
            copy.outcome = draw.map { outcome[$0] }
            return copy
        }
    }

    /// Callaway–Sant'Anna's proportional `simple` (or event time `e`) computed plainly: each post
    /// cell's ATT as a difference of mean changes from g − 1 (never-treated comparisons), the
    /// treated mean of its period, both averaged with cohort-size weights.
    static func plainCallawaySantAnna(_ panel: CountPanel, eventTime: Int? = nil) -> Double {
        func meanChange(_ g: Int, from base: Int, to current: Int) -> Double {
            let members = panel.cohorts.indices.filter { panel.cohorts[$0] == g }
            return members.reduce(0.0) { $0 + panel.outcome[$1][current - 1] - panel.outcome[$1][base - 1] } / Double(members.count)
        }
        var weightSum = 0.0, attSum = 0.0, meanSum = 0.0
        for g in [3, 5] {
            let members = panel.cohorts.indices.filter { panel.cohorts[$0] == g }
            for t in g...CountPanel.periods where eventTime == nil || t - g == eventTime {
                let weight = Double(members.count)
                attSum += weight * (meanChange(g, from: g - 1, to: t) - meanChange(0, from: g - 1, to: t))
                meanSum += weight * members.reduce(0.0) { $0 + panel.outcome[$1][t - 1] } / Double(members.count)
                weightSum += weight
            }
        }
        let theta = attSum / weightSum, mean = meanSum / weightSum
        return log(mean / (mean - theta))
    }

    static func proportionalCallawaySantAnna(_ panel: CountPanel) throws -> StaggeredResult {
        try CallawaySantAnna.estimateProportional(panel: try panel.unitPanel(), options: CallawaySantAnnaOptions(),
                                                  aggregations: [.all], unitName: "unit")
    }

    @Test func callawaySantAnnaEqualsAPlainComputation() throws {
        let panel = CountPanel(units: 90, effect: 0.15, seed: 3)
        let result = try Self.proportionalCallawaySantAnna(panel)
        let simple = try #require(result.estimates.first { $0.kind == .simple })
        #expect(abs(simple.estimate - Self.plainCallawaySantAnna(panel)) < 1e-12)
        let first = try #require(result.estimates.first { $0.kind == .dynamic && $0.eventTime == 0 })
        #expect(abs(first.estimate - Self.plainCallawaySantAnna(panel, eventTime: 0)) < 1e-12)
        #expect(simple.estimate > 0.05, "a positive effect gives a positive log ratio")
    }

    /// The delta-method standard error of `simple` against the spread of the plain computation over
    /// 400 unit bootstrap draws (Monte Carlo error of a bootstrap SD with B = 400: about 4%), on 225
    /// units (75 per cohort; the draws' error does not depend on the units, their cost does).
    @Test(.tags(.slow)) func callawaySantAnnaStandardErrorMatchesAUnitBootstrap() throws {
        let units = 225
        let panel = CountPanel(units: units, effect: 0.15, seed: 11)
        let result = try Self.proportionalCallawaySantAnna(panel)
        let index = try #require(result.estimates.firstIndex { $0.kind == .simple })
        var rng = BaconSimulation.Generator(state: 99)
        let draws = (0..<400).map { _ in
            Self.plainCallawaySantAnna(panel.resampled((0..<units).map { _ in Int.random(in: 0..<units, using: &rng) }))
        }
        let ratio = result.standardErrors[index] / Self.standardDeviation(draws)
        print("ProportionalEffectsTests CS: analytic / bootstrap SE \(ratio)")
        #expect(abs(ratio - 1) < 0.15, "analytic \(result.standardErrors[index]) against bootstrap \(Self.standardDeviation(draws))")
    }

    static func standardDeviation(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
    }

    /// A dense Poisson fit of unit and period dummies on the untreated rows (Newton's method on
    /// the full design), then log(ΣY / Σ exp(η̂)) over the treated rows, overall and by horizon.
    static func densePoissonImputation(_ panel: CountPanel) throws -> (overall: Double, horizons: [Int: Double]) {
        let units = panel.outcome.count, periods = CountPanel.periods
        var rows = [(unit: Int, period: Int, y: Double)]()
        for u in 0..<units {
            for t in 1...periods where panel.cohorts[u] == 0 || t < panel.cohorts[u] { rows.append((u, t, panel.outcome[u][t - 1])) }
        }
        let width = units + periods - 1  // unit dummies, then periods 2...
        func design(_ unit: Int, _ period: Int) -> [(Int, Double)] { period == 1 ? [(unit, 1)] : [(unit, 1), (units + period - 2, 1)] }
        var beta = [Double](repeating: 0, count: width)
        for _ in 0..<100 {
            var hessian = Matrix(rows: width, columns: width)
            var gradient = [Double](repeating: 0, count: width)
            for row in rows {
                let x = design(row.unit, row.period)
                let mu = exp(x.reduce(0) { $0 + beta[$1.0] })
                for (a, _) in x {
                    gradient[a] += row.y - mu
                    for (b, _) in x { hessian[a, b] += mu }
                }
            }
            let step = try hessian.symmetricPositiveDefiniteInverse().multiplied(by: Matrix(rows: width, columns: 1, values: gradient))
            for j in 0..<width { beta[j] += step[j, 0] }
            if step.values.map(abs).max() ?? 0 < 1e-13 { break }
        }
        var observed = [Int: Double](), imputed = [Int: Double](), totalObserved = 0.0, totalImputed = 0.0
        for u in 0..<units where panel.cohorts[u] > 0 {
            for t in panel.cohorts[u]...periods {
                let fitted = exp(design(u, t).reduce(0) { $0 + beta[$1.0] })
                observed[t - panel.cohorts[u], default: 0] += panel.outcome[u][t - 1]
                imputed[t - panel.cohorts[u], default: 0] += fitted
                totalObserved += panel.outcome[u][t - 1]
                totalImputed += fitted
            }
        }
        var horizons = [Int: Double]()
        for (horizon, value) in observed { horizons[horizon] = log(value / imputed[horizon, default: .nan]) }
        return (log(totalObserved / totalImputed), horizons)
    }

    @Test func poissonImputationEqualsADensePoissonFirstStage() throws {
        // A baseline of 1.5 keeps every unit's untreated outcomes from being all zero (the dense
        // Newton fit has no −∞ effects).
        let panel = CountPanel(units: 45, effect: 0.1, seed: 5, baseline: 1.5)
        let result = try ImputationDiD.estimatePoisson(panel.imputationInput())
        let dense = try Self.densePoissonImputation(panel)
        let overall = try #require(result.estimates.first { $0.kind == .simple })
        #expect(abs(overall.estimate - dense.overall) < 1e-7, "\(overall.estimate) against \(dense.overall)")
        for estimate in result.estimates where estimate.kind == .dynamic {
            let expected = try #require(dense.horizons[estimate.eventTime ?? -99])
            #expect(abs(estimate.estimate - expected) < 1e-7, "horizon \(estimate.eventTime ?? 0)")
        }
        #expect(result.estimates.contains { $0.kind == .attGT && $0.group == 3 && $0.time == 6 })
    }

    /// The analytic standard errors of the overall effect and of horizon 0 against 300 unit
    /// bootstrap draws of the estimator itself (Monte Carlo error of the SD: about 4%), on 180 units.
    @Test(.tags(.slow)) func poissonImputationStandardErrorMatchesAUnitBootstrap() throws {
        let units = 180
        let panel = CountPanel(units: units, effect: 0.1, seed: 21, baseline: 0.3)
        let result = try ImputationDiD.estimatePoisson(panel.imputationInput())
        let overall = try #require(result.estimates.firstIndex { $0.kind == .simple })
        let first = try #require(result.estimates.firstIndex { $0.kind == .dynamic && $0.eventTime == 0 })
        var rng = BaconSimulation.Generator(state: 7)
        var overallDraws = [Double](), firstDraws = [Double]()
        for _ in 0..<300 {
            let draw = try ImputationDiD.estimatePoisson(panel.resampled((0..<units).map { _ in Int.random(in: 0..<units, using: &rng) }).imputationInput())
            overallDraws.append(draw.estimates[overall].estimate)
            firstDraws.append(draw.estimates[first].estimate)
        }
        for (index, draws) in [(overall, overallDraws), (first, firstDraws)] {
            let ratio = result.standardErrors[index] / Self.standardDeviation(draws)
            print("ProportionalEffectsTests imputation \(result.estimates[index].label): analytic / bootstrap SE \(ratio)")
            #expect(abs(ratio - 1) < 0.15, "\(result.estimates[index].label): analytic \(result.standardErrors[index]) against bootstrap \(Self.standardDeviation(draws))")
        }
    }

    /// With no effect, both estimators find a log ratio near zero, well inside its interval.
    @Test func zeroEffectGivesALogRatioNearZero() throws {
        let panel = CountPanel(units: 1200, effect: 0, seed: 8)
        for result in [try Self.proportionalCallawaySantAnna(panel), try ImputationDiD.estimatePoisson(panel.imputationInput())] {
            let index = try #require(result.estimates.firstIndex { $0.kind == .simple })
            let estimate = result.estimates[index].estimate, error = result.standardErrors[index]
            #expect(abs(estimate) < 0.06 && abs(estimate) < 3 * error, "\(result.estimator): \(estimate) (SE \(error))")
        }
    }

    /// Past the memory budget the cells are left out, with a note; the other estimates stay.
    @Test func cellsAreLeftOutPastTheMemoryBudget() throws {
        let panel = CountPanel(units: 60, effect: 0.1, seed: 6, baseline: 1)
        let full = try ImputationDiD.estimatePoisson(panel.imputationInput())
        let lean = try ImputationDiD.estimatePoisson(panel.imputationInput(), threads: 1, cellBudget: 10)
        #expect(full.estimates.contains { $0.kind == .attGT } && !lean.estimates.contains { $0.kind == .attGT })
        let kept = full.estimates.filter { $0.kind != .attGT }
        #expect(kept.count == lean.estimates.count && zip(kept, lean.estimates).allSatisfy { $0.estimate == $1.estimate })
        #expect(lean.notes.contains { $0.message.contains("cells not reported") })
        #expect(lean.standardErrors.allSatisfy { $0.isFinite && $0 > 0 })
    }

    /// A unit whose untreated outcomes are all zero is imputed 0 (its Poisson effect is −∞), counted.
    @Test func allZeroUntreatedUnitsAreImputedZeroAndCounted() throws {
        var panel = CountPanel(units: 60, effect: 0.1, seed: 4, baseline: 1)
        panel.outcome[0] = [0, 0, 3, 4, 5, 6]  // cohort 3: periods 1 and 2 untreated, both zero
        let result = try ImputationDiD.estimatePoisson(panel.imputationInput())
        #expect(result.notes.contains { $0.message.contains("4 treated rows of units or periods whose untreated outcomes are all zero") },
                "\(result.notes.map(\.message))")
        #expect(result.estimates[0].estimate.isFinite)
    }
}
