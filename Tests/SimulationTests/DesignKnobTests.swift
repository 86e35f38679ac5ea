import Testing
@testable import Simulation

/// Issue 21, point 3: `--effect-scale`, `--effects-of`, `--cbi-firms` and `--pum-firms` vary the
/// design; the defaults leave the panel as it was.
@Suite("Design knobs")
struct DesignKnobTests {
    @Test func effectScaleZeroRemovesEveryEffect() throws {
        let none = try PeruSimulation.generate(options(effectScale: 0))
        for cell in none.truth.cells {
            #expect(cell.effect.levelEffect == 0, "\(cell.programme) \(cell.outcome) \(cell.cohort) \(cell.year)")
            #expect(cell.effect.logEffect == nil || cell.effect.logEffect == 0)
        }
        for aggregate in none.truth.aggregates where aggregate.effect.n > 0 {
            #expect(aggregate.effect.levelEffect == 0 && (aggregate.effect.logEffect ?? 0) == 0)
        }
        // Y1 = Y0 on every row, and the panel is the default panel without any support.
        let potential = PotentialOutcomes(none)
        for outcome in Outcome.allCases {
            #expect(potential.column(outcome, .observed) == potential.column(outcome, .none))
        }
        let withSupport = PotentialOutcomes(try #require(defaultRun))
        for outcome in Outcome.allCases {
            #expect(none.records.map { $0.values?[outcome] } == withSupport.column(outcome, .none))
        }
        #expect(none.truthJSON().contains("\"effect_scale\": 0.0,"))
    }

    /// Log shifts double exactly; the truth's log effects double up to the rounding of whole
    /// USD (exports) or of head counts and of the sum of sales components (looser there).
    @Test func effectScaleTwoDoublesTheLogEffects() throws {
        let single = try #require(defaultRun)
        let double = try PeruSimulation.generate(options(effectScale: 2))
        #expect(double.records.map(\.firmID) == single.records.map(\.firmID))
        for (outcome, tolerance) in [(Outcome.exportEU, 1e-4), (.exportNonEU, 1e-4), (.empTemporary, 0.1), (.sales, 0.1)] {
            for programme in Programme.allCases {
                let once = try #require(single.truth.simpleATT(programme, outcome)?.logEffect)
                let twice = try #require(double.truth.simpleATT(programme, outcome)?.logEffect)
                #expect(abs(twice / once - 2) < tolerance, "\(programme) \(outcome): \(once) → \(twice)")
            }
            for (a, b) in zip(single.truth.cells(.pum, outcome), double.truth.cells(.pum, outcome)) where outcome == .exportEU {
                guard let once = a.effect.logEffect, let twice = b.effect.logEffect else { continue }
                #expect(abs(twice - 2 * once) < 2e-4, "PUM EU exports cell \(a.cohort)/\(a.year): \(once) → \(twice)")
            }
        }
        #expect(double.truth.simpleATT(.pum, .empPermanent)?.logEffect == 0)
    }

    @Test func effectsOfOneProgrammeSwitchesTheOtherOff() throws {
        let cbiOnly = try PeruSimulation.generate(options(effectsOf: .cbi))
        #expect(cbiOnly.truth.cells(.pum, .sales).allSatisfy { $0.effect.levelEffect == 0 })
        #expect((cbiOnly.truth.simpleATT(.cbi, .exportEU)?.logEffect ?? 0) > 0.1)
        let pumOnly = try PeruSimulation.generate(options(effectsOf: .pum))
        #expect(pumOnly.truth.cells(.cbi, .exportEU).allSatisfy { $0.effect.levelEffect == 0 })
        #expect((pumOnly.truth.simpleATT(.pum, .exportEU)?.logEffect ?? 0) > 0.1)
        #expect(pumOnly.truthJSON().contains("\"effects_of\": \"pum\","))
    }

    @Test(arguments: [(30, 60), (1, 1), (150, 150)])
    func firmCountsAreHonoured(cbi: Int, pum: Int) throws {
        let simulation = try PeruSimulation.generate(options(cbiFirms: cbi, pumFirms: pum))
        #expect(simulation.cbiFirms == cbi && simulation.pumFirms == pum)
        #expect(Set(simulation.records.filter { $0.cbiStart > 0 }.map(\.firmID)).count == cbi)
        #expect(Set(simulation.records.filter { $0.pumCohort > 0 }.map(\.firmID)).count == pum)
        let json = simulation.truthJSON()
        #expect(json.contains("\"cbi_firms\": \(cbi),") && json.contains("\"pum_firms\": \(pum),"))
    }

    /// Asking for the report's counts at 600 firms (52 CBI starters, 102 PUM firms) draws the
    /// default panel: the counts scale the same intake and mission schedule.
    @Test func theReportsCountsGiveTheDefaultPanel() throws {
        let simulation = try PeruSimulation.generate(options(cbiFirms: 52, pumFirms: 102))
        let defaults = try #require(defaultRun)
        #expect(defaults.cbiFirms == 52 && defaults.pumFirms == 102)
        #expect(simulation.csv() == defaults.csv())
        #expect(simulation.truthCSV() == defaults.truthCSV())
    }

    @Test(arguments: [
        (options(cbiFirms: 0), "--cbi-firms must be between 1 and 150 (a quarter of --firms 600), got 0"),
        (options(firms: 200, cbiFirms: 51), "--cbi-firms must be between 1 and 50 (a quarter of --firms 200), got 51"),
        (options(pumFirms: 151), "--pum-firms must be between 1 and 150 (a quarter of --firms 600), got 151"),
        (options(effectScale: .nan), "--effect-scale must be a number between -10 and 10, got nan"),
        (options(effectScale: -11), "--effect-scale must be a number between -10 and 10, got -11.0"),
    ])
    func badValuesNameTheOption(options: PeruSimulationOptions, message: String) {
        #expect(throws: SimulationError(message)) { try PeruSimulation.generate(options) }
    }
}
