@testable import DiD
import Inference
import LinearAlgebra
import PanelData
import QuipuTestSupport
import Testing

/// Every estimator of `quipu did` through the one protocol (DiDEstimator): on a small simulated
/// staggered panel each returns a well-formed effect set, and `DiDAnalysis.run`'s loop reports
/// exactly what the conformances return. The cases come from `StaggeredEstimator.allCases`, so a
/// new estimator is checked here as soon as it has a case and a conformance.
@Suite struct DiDEstimatorConformanceTests {
    /// 40 units over periods 1–8: cohorts 4 and 6 (10 units each) and 20 never treated, unit levels,
    /// a common trend, effects that grow with time since treatment, and noise. `missing` rows lose
    /// their outcome (NaN).
    static func table(missing: Set<Int> = []) -> DataTable {
        var unit = [Double](), period = [Double](), cohort = [Double](), treated = [Double](), eligible = [Double](), y = [Double]()
        var state: UInt64 = 20
        func noise() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        for u in 1...40 {
            let g = u <= 10 ? 4 : (u <= 20 ? 6 : 0)
            let level = noise()
            for t in 1...8 {
                unit.append(Double(u)); period.append(Double(t)); cohort.append(Double(g))
                treated.append(g > 0 && t >= g ? 1 : 0)
                eligible.append(Double(u % 2))
                let effect = g > 0 && t >= g ? 0.5 + 0.25 * Double(t - g) : 0
                y.append(missing.contains(y.count) ? .nan : level + 0.1 * Double(t) + effect + 0.2 * noise())
            }
        }
        // `treated` is the cohort as a 0/1 treatment, the switching treatment dcdh reads; `eligible`
        // (odd units) the partition ddd reads, with eligible and ineligible units in every cohort.
        return DataTable(source: "simulated.csv", names: ["unit", "period", "cohort", "y", "treated", "eligible"],
                         columns: [.numeric(unit), .numeric(period), .numeric(cohort), .numeric(y), .numeric(treated), .numeric(eligible)],
                         rowCount: unit.count)
    }

    static func options(decompose: Bool) -> DiDOptions {
        var options = DiDOptions(outcome: "y", covariance: .cluster(["unit"]))
        options.estimator = .all
        options.eventStudy = true
        options.decompose = decompose
        return options
    }

    /// `options` with dcdh's switching treatment (the `treated` column; two effects and a
    /// placebo) when `id` is dcdh, and ddd's partition (`eligible`) when `id` is ddd, which read
    /// them; the cohort estimators run without them.
    static func options(for id: StaggeredEstimator, decompose: Bool) -> DiDOptions {
        var options = options(decompose: decompose)
        if id == .tripleDifferences { options.partition = "eligible" }
        guard id == .dcdh else { return options }
        var switching = SwitchingTreatmentOptions(treatment: "treated")
        switching.effects = 2
        switching.placebos = 1
        options.switching = switching
        return options
    }

    /// The validated design of `table`, as `DiDAnalysis.run` builds it.
    static func design(_ table: DataTable, options: DiDOptions) throws -> DiDDesign {
        let structure = try PanelStructure(table: table, unit: "unit", time: "period", treatment: .cohort("cohort"))
        let timing = try TreatmentTiming(structure: structure, treatmentColumn: "cohort", treatmentValues: nil)
        return try DiDDesign(table: table, timing: timing, options: options)
    }

    /// Finite estimates, a J × J symmetric covariance with a finite non-negative diagonal, a
    /// sample within the rows read, and the estimator's own name on its result.
    static func checkWellFormed(_ effects: DiDEffectSet, id: StaggeredEstimator, rowsRead: Int) {
        let result = effects.result
        let j = result.estimates.count
        #expect(result.estimator == id)
        #expect(j > 0, "\(id): no estimates")
        #expect(result.estimates.contains { $0.kind == .simple }, "\(id): no overall ATT")
        for estimate in result.estimates {
            #expect(estimate.estimate.isFinite, "\(id): \(estimate.label) = \(estimate.estimate)")
        }
        #expect(result.covariance.rows == j && result.covariance.columns == j, "\(id): covariance \(result.covariance.rows) × \(result.covariance.columns) for \(j) estimates")
        guard result.covariance.rows == j && result.covariance.columns == j else { return }
        for a in 0..<j {
            #expect(result.covariance[a, a].isFinite && result.covariance[a, a] >= 0, "\(id): variance of \(result.estimates[a].label)")
            for b in 0..<a {
                #expect(isClose(result.covariance[a, b], result.covariance[b, a], relative: 1e-12, absolute: 1e-15),
                        "\(id): covariance[\(a), \(b)] = \(result.covariance[a, b]), [\(b), \(a)] = \(result.covariance[b, a])")
            }
        }
        #expect(result.observationCount > 0 && result.observationCount <= rowsRead)
        #expect(effects.sample.rowsRead == rowsRead, "\(id): rows read")
        #expect(effects.sample.rows > 0 && effects.sample.rows <= effects.sample.rowsRead, "\(id): \(effects.sample.rows) of \(effects.sample.rowsRead) rows")
        #expect(effects.sample.units > 0 && effects.sample.units <= 40, "\(id): \(effects.sample.units) units")
    }

    @Test("Every estimator returns a well-formed effect set through the protocol", arguments: StaggeredEstimator.allCases)
    func wellFormedEffectSet(_ id: StaggeredEstimator) throws {
        let table = Self.table()
        let design = try Self.design(table, options: Self.options(for: id, decompose: true))
        let estimator = DiDAnalysis.conformance(for: id)
        #expect(estimator.id == id)
        let effects = try estimator.estimate(design)
        Self.checkWellFormed(effects, id: id, rowsRead: table.rowCount)
        // Only TWFE has a per-regression view, and with --decompose the Bacon diagnostic of its
        // coefficient: the decomposition's weighted sum is the TWFE estimate of the effect set.
        if id == .twfe {
            let view = try #require(effects.regressionView)
            let bacon = try #require(view.bacon)
            let att = try #require(effects.result.estimates.first { $0.kind == .simple })
            #expect(isClose(bacon.twfeEstimate, att.estimate, relative: 1e-9))
            #expect(view.estimates.contains { $0.estimand == "twfe" && $0.estimate == att.estimate })
        } else {
            #expect(effects.regressionView == nil)
        }
    }

    @Test("Rows without the outcome are left out of every estimator's sample", arguments: StaggeredEstimator.allCases)
    func missingOutcomesLeaveTheSample(_ id: StaggeredEstimator) throws {
        // Period 2 of unit 1, periods 7 and 8 of unit 25 (rows are unit-major, 8 per unit).
        let table = Self.table(missing: [1, 24 * 8 + 6, 24 * 8 + 7])
        let design = try Self.design(table, options: Self.options(for: id, decompose: false))
        let effects = try DiDAnalysis.conformance(for: id).estimate(design)
        Self.checkWellFormed(effects, id: id, rowsRead: table.rowCount)
        #expect(effects.sample.rows <= table.rowCount - 3, "\(id): \(effects.sample.rows) rows used")
        #expect(effects.sample.drops.contains { $0.rows > 0 }, "\(id): no drop recorded")
    }

    @Test("DiDAnalysis.run reports exactly the effect sets of the conformances, headline first")
    func runIsTheLoop() throws {
        // Exact equality of two runs needs one OpenBLAS thread count throughout: other tests in this
        // process open and close single-threaded scopes, and a product split over two threads
        // rounds differently in the last digit (the command line fixes the count at start-up).
        BLASThreads.enterSingleThreaded()
        defer { BLASThreads.leaveSingleThreaded() }
        let table = Self.table()
        let options = Self.options(decompose: true)
        let results = try DiDAnalysis.run(table: table, unit: "unit", time: "period", treatment: .cohort("cohort"), options: options)
        #expect(results.estimators == [.callawaySantAnna, .sunAbraham, .imputation, .etwfe, .twfe])
        #expect(results.staggered.map(\.estimator) == results.estimators)
        #expect(results.samples.map(\.estimator) == results.estimators)
        let design = try Self.design(table, options: options)
        for result in results.staggered {
            let direct = try DiDAnalysis.conformance(for: result.estimator).estimate(design)
            #expect(result.estimates.map(\.estimate) == direct.result.estimates.map(\.estimate), "\(result.estimator)")
            #expect(result.estimates.map(\.label) == direct.result.estimates.map(\.label), "\(result.estimator)")
        }
        // TWFE's regression rows are the legacy view: 2x2 is absent (no --post and staggered
        // cohorts), TWFE and the event study present, with the Bacon decomposition beside them.
        #expect(!results.estimates.contains { $0.estimand == "2x2" })
        #expect(results.estimates.contains { $0.estimand == "twfe" })
        #expect(results.estimates.contains { $0.estimand == "event_study" })
        #expect(results.bacon != nil)
        #expect(results.pretrendTest != nil)
    }
}
