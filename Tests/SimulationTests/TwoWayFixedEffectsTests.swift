import Testing
import QuipuTestSupport
@testable import Simulation

/// The design's purpose: with staggered, cohort-specific and growing effects, a static two-way
/// fixed-effects regression misses the true ATT, while an estimator that only compares treated
/// firm-years with untreated ones (the imputation estimator of Borusyak, Jaravel and Spiess)
/// recovers it. Both are hand-coded here on log outcomes of firm-years with positive values.
@Suite("Two-way fixed effects", .tags(.slow))
struct TwoWayFixedEffectsTests {
    @Test func naiveTWFEMissesThePUMEffectOnExports() throws {
        let simulation = try #require(defaultRun)
        let truth = try #require(simulation.truth.simpleATT(.pum, .exportNonEU)?.logEffect)
        let sample = LogPanel(simulation.records, outcome: .exportNonEU)
        let naive = sample.twoWayFixedEffects()
        // Forbidden comparisons (earlier cohorts as controls) pull the estimate far down.
        #expect(truth - naive > 0.1, "TWFE \(naive) vs truth \(truth)")
        let robust = sample.imputation(.pum)
        #expect(abs(robust - truth) < 0.06, "imputation \(robust) vs truth \(truth)")
    }

    @Test func naiveTWFEMissesThePUMEffectOnSales() throws {
        let simulation = try #require(defaultRun)
        let truth = try #require(simulation.truth.simpleATT(.pum, .sales)?.logEffect)
        let sample = LogPanel(simulation.records, outcome: .sales)
        let naive = sample.twoWayFixedEffects()
        let robust = sample.imputation(.pum)
        #expect(truth - naive > 0.04, "TWFE \(naive) vs truth \(truth)")
        #expect(abs(robust - truth) < 0.03, "imputation \(robust) vs truth \(truth)")
    }

    /// With selection on growth, CBI firms were already on a steeper path, so even the
    /// imputation estimator overstates CBI's effect on sales.
    @Test func selectionOnGrowthBiasesCBI() throws {
        let levels = try #require(defaultRun)
        let growth = try PeruSimulation.generate(options(growth: true))
        let levelsBias = LogPanel(levels.records, outcome: .sales).imputation(.cbi)
            - (levels.truth.simpleATT(.cbi, .sales)?.logEffect ?? .nan)
        let growthBias = LogPanel(growth.records, outcome: .sales).imputation(.cbi)
            - (growth.truth.simpleATT(.cbi, .sales)?.logEffect ?? .nan)
        #expect(abs(levelsBias) < 0.03, "bias under selection on levels: \(levelsBias)")
        #expect(growthBias > 0.04, "bias under selection on growth: \(growthBias)")
    }
}
