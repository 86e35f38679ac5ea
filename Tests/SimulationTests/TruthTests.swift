import Primitives
import Testing
@testable import Simulation

@Suite("Truth")
struct TruthTests {
    @Test func pumHasNoEffectOnPermanentEmployment() throws {
        let truth = try #require(defaultRun).truth
        let cells = truth.cells(.pum, .empPermanent)
        #expect(!cells.isEmpty)
        #expect(cells.allSatisfy { $0.effect.logEffect == 0 && $0.effect.levelEffect == 0 })
        #expect(truth.simpleATT(.pum, .empPermanent)?.logEffect == 0)
        // CBI does create permanent jobs.
        #expect((truth.simpleATT(.cbi, .empPermanent)?.logEffect ?? 0) > 0.02)
    }

    @Test func effectsGrowWithTimeSinceSupport() throws {
        let truth = try #require(defaultRun).truth
        for (programme, outcome) in [(Programme.pum, Outcome.exportNonEU), (.pum, .sales), (.cbi, .exportEU)] {
            let profile = truth.aggregates(.eventTime, programme, outcome)
            let effects = profile.compactMap(\.effect.logEffect)
            #expect(profile.first?.eventTime == 0)
            // Rising over the build-up years, and then well above the first year.
            let buildUp = Array(effects.prefix(EffectDesign.cap(programme)))
            #expect(zip(buildUp, buildUp.dropFirst()).allSatisfy { $0 < $1 }, "\(programme) \(outcome): \(buildUp)")
            #expect((effects.last ?? 0) > 2 * (effects.first ?? 0))
        }
    }

    @Test func effectsDifferByCohort() throws {
        let truth = try #require(defaultRun).truth
        // At the same event time, early PUM cohorts gain more than late ones.
        func effect(cohort: Int, eventTime: Int) -> Double? {
            truth.cells(.pum, .sales).first { $0.cohort == cohort && $0.eventTime == eventTime }?.effect.logEffect
        }
        let early = try #require(effect(cohort: 2005, eventTime: 2))
        let late = try #require(effect(cohort: 2016, eventTime: 2))
        #expect(early > 1.5 * late)
        let byCohort = truth.aggregates(.cohort, .pum, .exportNonEU).compactMap(\.effect.logEffect)
        #expect((byCohort.max() ?? 0) - (byCohort.min() ?? 0) > 0.2)
    }

    @Test func effectsAreLargerForLargerFirms() throws {
        let truth = try #require(defaultRun).truth
        let bySize = truth.aggregates(.sizeClass, .pum, .sales)
        let small = try #require(bySize.first { $0.sizeClass == .small }?.effect.logEffect)
        let medium = try #require(bySize.first { $0.sizeClass == .medium }?.effect.logEffect)
        let micro = try #require(bySize.first { $0.sizeClass == .micro }?.effect.logEffect)
        #expect(micro < small && small < medium)
    }

    @Test func cohortsWithoutAnUntreatedYearAreNotAggregated() throws {
        let truth = try #require(defaultRun).truth
        let first = truth.cells(.pum, .sales).filter { $0.cohort == 2004 }
        #expect(!first.isEmpty && first.allSatisfy { !$0.aggregated })
        #expect(truth.cells.filter { $0.cohort > 2004 }.allSatisfy { $0.aggregated })
        #expect(!truth.aggregates(.cohort, .pum, .sales).contains { $0.cohort == 2004 })
    }

    /// In the monitoring gap only CBI starters (covered by CBI's 2014 baseline) are observed
    /// among firms already supported by PUM.
    @Test func monitoringGapCellsHoldOnlyCBIStarters() throws {
        let simulation = try #require(defaultRun)
        for cell in simulation.truth.cells(.pum, .sales) where cell.year == 2014 && cell.cohort <= 2014 {
            let observed = simulation.records.filter { $0.year == 2014 && $0.pumCohort == cell.cohort && $0.values != nil }
            #expect(observed.allSatisfy { $0.cbiStart > 0 })
            #expect(cell.effect.n == observed.count)
        }
    }

    @Test func simpleATTPoolsTheAggregatedCells() throws {
        let truth = try #require(defaultRun).truth
        for programme in Programme.allCases {
            for outcome in Outcome.allCases {
                let cells = truth.cells(programme, outcome).filter(\.aggregated)
                let positive = cells.reduce(0) { $0 + $1.effect.nPositive }
                let weighted = cells.reduce(0.0) { $0 + Double($1.effect.nPositive) * ($1.effect.logEffect ?? 0) }
                let simple = try #require(truth.simpleATT(programme, outcome))
                #expect(simple.nPositive == positive)
                #expect(abs((simple.logEffect ?? .nan) - weighted / Double(positive)) < 1e-9)
            }
        }
    }

    @Test func cellCountsMatchThePanel() throws {
        let simulation = try #require(defaultRun)
        for cell in simulation.truth.cells(.pum, .exportNonEU) {
            let rows = simulation.records.filter { $0.pumCohort == cell.cohort && $0.year == cell.year }
            #expect(cell.effect.n == rows.filter { $0.values != nil }.count)
            #expect(cell.effect.nPositive == rows.filter { ($0.values?.exportNonEU ?? 0) > 0 }.count)
        }
    }

    @Test func truthFilesHaveTheDocumentedShape() throws {
        let simulation = try #require(defaultRun)
        let csv = simulation.truthCSV().split(separator: "\n")
        let header = "kind,programme,outcome,cohort,year,event_time,size_class,aggregated,n,n_positive,log_effect,level_effect,"
            + "log_ratio_of_means,mean_y1,mean_y0"
        #expect(csv.first.map(String.init) == header)
        #expect(csv.count == 1 + simulation.truth.cells.count + simulation.truth.aggregates.count)
        #expect(csv.contains { $0.hasPrefix("simple,pum,export_non_eu,") })
        let json = simulation.truthJSON()
        #expect(json.hasPrefix("{\n  \"schema_version\": \"\(OutputContract.schemaVersion)\",\n  \"dataset\": "))
        #expect(json.contains("\"simple_cohort_size\": {"))
        #expect(json.contains("\"event_time\": ["))
        #expect(json.contains("\"log_ratio_of_means\": "))
    }
}
