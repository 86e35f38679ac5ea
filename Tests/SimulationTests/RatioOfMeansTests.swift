import Foundation
import Testing
@testable import Simulation

/// The ratio estimand that Poisson regression targets, log(mean Y₁ / mean Y₀) over treated
/// firm-years with zeros included, checked against totals rebuilt outside the accumulator.
@Suite("Ratio of means")
struct RatioOfMeansTests {
    /// Counts and totals of Y₁ and Y₀ for one group of treated firm-years.
    struct Totals {
        var n = 0
        var treated = 0.0
        var untreated = 0.0

        var logRatio: Double { log(treated / untreated) }
    }

    /// A group key: programme, outcome and event time.
    struct GroupKey: Hashable {
        let programme: Programme
        let outcome: Outcome
        let eventTime: Int
    }

    /// The overall ratio is the ratio of the event-time profile's pooled totals (n × mean).
    @Test func overallRatioPoolsTheEventTimeTotals() throws {
        let truth = try #require(defaultRun).truth
        for programme in Programme.allCases {
            for outcome in Outcome.allCases {
                let simple = try #require(truth.simpleATT(programme, outcome))
                var pooled = Totals()
                for entry in truth.aggregates(.eventTime, programme, outcome) {
                    pooled.n += entry.effect.n
                    pooled.treated += Double(entry.effect.n) * (entry.effect.meanTreated ?? .nan)
                    pooled.untreated += Double(entry.effect.n) * (entry.effect.meanUntreated ?? .nan)
                }
                #expect(pooled.n == simple.n)
                let ratio = try #require(simple.logRatioOfMeans)
                #expect(abs(pooled.logRatio - ratio) < 1e-12, "\(programme) \(outcome)")
                // The level effect is accumulated separately, as a mean of differences.
                let difference = (simple.meanTreated ?? .nan) - (simple.meanUntreated ?? .nan)
                #expect(abs(difference - (simple.levelEffect ?? .nan)) < 1e-6)
            }
        }
        // PUM leaves permanent jobs alone, so Y₁ = Y₀ everywhere and the ratio is exactly 1.
        #expect(truth.simpleATT(.pum, .empPermanent)?.logRatioOfMeans == 0)
        // The cohort-size-weighted aggregate has no ratio (no standard Poisson target).
        #expect(truth.aggregates(.simpleCohortSize, .cbi, .exportEU).allSatisfy { $0.effect.logRatioOfMeans == nil })
    }

    /// Every treated firm-year replayed from the model (Y₀ with only the other programme's
    /// shift; Y₁ read from the panel) gives the truth's counts and means by event time and
    /// overall. The replay uses the simulator's model, so it checks the accumulation and
    /// grouping, not the model itself.
    @Test func meansMatchAReplayOfEachTreatedFirmYear() throws {
        let simulation = try #require(defaultRun)
        let options = simulation.options
        let potential = PotentialOutcomes(simulation)
        var groups: [GroupKey: Totals] = [:]
        var replayMismatches = 0, zeroStatusChanges = 0
        for outcome in Outcome.allCases {
            let observed = potential.column(outcome, .observed)
            replayMismatches += zip(simulation.records, observed).filter { $0.values?[outcome] != $1 }.count
            for programme in Programme.allCases {
                // Without this programme, the other one at its actual status.
                let without = potential.column(outcome, programme == .cbi ? .withoutCBI : .withoutPUM)
                for (row, record) in simulation.records.enumerated()
                where record.isTreated(programme) && record.cohort(programme) > options.firstYear {
                    guard let treated = record.values?[outcome], let untreated = without[row] else { continue }
                    if (treated == 0) != (untreated == 0) { zeroStatusChanges += 1 }
                    let key = GroupKey(programme: programme, outcome: outcome, eventTime: record.year - record.cohort(programme))
                    groups[key, default: Totals()].n += 1
                    groups[key, default: Totals()].treated += Double(treated)
                    groups[key, default: Totals()].untreated += Double(untreated)
                }
            }
        }
        #expect(replayMismatches == 0, "the replay must reproduce the panel's observed outcomes")
        // Zeros stay zeros, so they add nothing to either total: the ratio with zeros equals
        // the ratio over positive firm-years, and only n counts them.
        #expect(zeroStatusChanges == 0)
        for programme in Programme.allCases {
            for outcome in Outcome.allCases {
                var overall = Totals()
                for entry in simulation.truth.aggregates(.eventTime, programme, outcome) {
                    let eventTime = try #require(entry.eventTime)
                    let replay = try #require(groups[GroupKey(programme: programme, outcome: outcome, eventTime: eventTime)])
                    try expect(entry.effect, matches: replay, "\(programme) \(outcome) e=\(eventTime)")
                    overall.n += replay.n
                    overall.treated += replay.treated
                    overall.untreated += replay.untreated
                }
                try expect(try #require(simulation.truth.simpleATT(programme, outcome)), matches: overall, "\(programme) \(outcome)")
            }
        }
    }

    private func expect(_ effect: SimulationTruth.Effect, matches replay: Totals, _ label: String) throws {
        #expect(effect.n == replay.n, "\(label)")
        let meanTreated = try #require(effect.meanTreated), meanUntreated = try #require(effect.meanUntreated)
        #expect(abs(meanTreated - replay.treated / Double(replay.n)) <= 1e-9 * meanTreated, "\(label)")
        #expect(abs(meanUntreated - replay.untreated / Double(replay.n)) <= 1e-9 * meanUntreated, "\(label)")
        if replay.untreated > 0 {
            #expect(abs((effect.logRatioOfMeans ?? .nan) - replay.logRatio) < 1e-12, "\(label)")
        } else {
            #expect(effect.logRatioOfMeans == nil, "\(label)")
        }
    }
}
