import Testing
@testable import Simulation

@Suite("Options")
struct OptionsTests {
    @Test func defaultsMatchTheIssue() {
        let defaults = PeruSimulationOptions()
        #expect(defaults.seed == 1)
        #expect(defaults.firms == 600)
        #expect(defaults.firstYear == 2004)
        #expect(defaults.lastYear == 2018)
        #expect(defaults.selectionOnGrowth == false)
        #expect(defaults.effectScale == 1 && defaults.effectsOf == .both)
        #expect(defaults.cbiFirms == nil && defaults.pumFirms == nil)
    }

    @Test(arguments: [0, 50, 199, 20_001])
    func firmCountOutOfRangeIsRejected(firms: Int) {
        #expect(throws: SimulationError.self) { try PeruSimulation.generate(options(firms: firms)) }
    }

    @Test func errorsNameTheOption() {
        do {
            _ = try PeruSimulation.generate(options(firms: 100))
            Issue.record("100 firms should be rejected")
        } catch {
            #expect(error.message.hasPrefix("--firms must be between 200 and 20000, got 100"))
        }
        do {
            _ = try PeruSimulation.generate(options(years: 2015...2018))
            Issue.record("a window without 2014 should be rejected")
        } catch {
            #expect(error.message.contains("--years must include 2014–2016"))
        }
    }

    @Test(arguments: [2015...2018, 2004...2015, 1980...2018, 2004...2040])
    func windowsWithoutTheProgrammeYearsAreRejected(years: ClosedRange<Int>) {
        #expect(throws: SimulationError.self) { try PeruSimulation.generate(options(years: years)) }
    }

    @Test func reversedYearsAreRejected() {
        var reversed = PeruSimulationOptions()
        reversed.firstYear = 2018
        reversed.lastYear = 2004
        #expect(throws: SimulationError.self) { try reversed.validate() }
    }

    @Test func smallestPanelAndLongWindowWork() throws {
        let small = try PeruSimulation.generate(options(seed: 3, firms: 200, years: 2014...2016))
        #expect(small.rows > 0)
        #expect(small.records.allSatisfy { (2014...2016).contains($0.year) })
        #expect(small.records.contains { $0.cbiCohort == 2015 })
        let long = try PeruSimulation.generate(options(seed: 3, firms: 200, years: 1995...2025))
        #expect(long.records.contains { $0.year == 1995 })
        #expect(long.records.contains { $0.year == 2025 })
    }

    @Test func parsesYearRanges() throws {
        #expect(try PeruSimulationOptions.parseYears("2004:2018") == 2004...2018)
        #expect(try PeruSimulationOptions.parseYears("2008-2016") == 2008...2016)
        #expect(try PeruSimulationOptions.parseYears(" 2010 : 2017 ") == 2010...2017)
        for bad in ["2004", "2004:", ":2018", "a:b", "2018:2004", "2004:2010:2018"] {
            #expect(throws: SimulationError.self, "\(bad)") { try PeruSimulationOptions.parseYears(bad) }
        }
    }
}
