import Testing
@testable import Simulation

/// The default panel against the figures in the Peru case study report.
@Suite("Calibration")
struct CalibrationTests {
    @Test func cbiStartersDropoutsAndApplicants() throws {
        let simulation = try #require(defaultRun)
        let firms = recordsByFirm(simulation).values.compactMap(\.first)
        #expect(firms.filter { $0.cbiStart == 2014 }.count == 52)
        #expect(firms.filter(\.cbiDropout).count == 4)
        #expect(firms.filter { $0.cbiCohort == 2015 }.count == 48)
        let notSelected = firms.filter { $0.applicant && $0.cbiStart == 0 }
        #expect(notSelected.count == 28)
        #expect(firms.filter { $0.cbiStart > 0 }.allSatisfy { $0.applicant })
        // CBI takes 25–500 employees: no micro firms among starters.
        #expect(firms.filter { $0.cbiStart > 0 }.allSatisfy { $0.sizeClass != .micro })
    }

    @Test func cbiDropoutsLeaveBeforeTheFirstEffectYear() throws {
        let simulation = try #require(defaultRun)
        for (_, rows) in recordsByFirm(simulation) where rows[0].cbiDropout {
            #expect(rows.map(\.year).max() == 2014)
            #expect(rows.allSatisfy { !$0.cbiTreated && $0.cbiCohort == 0 })
        }
        // The 48 that stay are observed through 2018.
        for (_, rows) in recordsByFirm(simulation) where rows[0].cbiCohort == 2015 {
            #expect(rows.map(\.year).max() == 2018)
        }
    }

    @Test func pumMissionsFollowTable3() throws {
        let simulation = try #require(defaultRun)
        var missionsByYear: [Int: Int] = [:]
        var pumFirms = 0
        var repeatFirms: [Int] = []
        for (_, rows) in recordsByFirm(simulation) {
            guard rows[0].pumCohort > 0 else { continue }
            pumFirms += 1
            var previous = 0
            for row in rows.sorted(by: { $0.year < $1.year }) {
                if row.pumMissions > previous { missionsByYear[row.year, default: 0] += row.pumMissions - previous }
                previous = row.pumMissions
            }
            if previous > 1 { repeatFirms.append(previous) }
            #expect(rows.allSatisfy { $0.pumTreated == ($0.year >= $0.pumCohort) })
        }
        func missions(_ years: ClosedRange<Int>) -> Int { years.reduce(0) { $0 + (missionsByYear[$1] ?? 0) } }
        // Missions of firms that closed before a repeat would be invisible; none are at seed 1.
        #expect(missions(2004...2007) == 41)
        #expect(missions(2008...2011) == 20)
        #expect(missions(2012...2017) == 45)
        #expect(pumFirms == 102)
        #expect(repeatFirms.sorted() == [2, 2, 3])
        // Fewer missions are recorded in the gap years 2014 and 2015.
        #expect((missionsByYear[2014] ?? 0) < (missionsByYear[2013] ?? 0))
    }

    @Test func someFirmsHaveBothProgrammes() throws {
        let simulation = try #require(defaultRun)
        let firms = recordsByFirm(simulation).values.compactMap(\.first)
        let both = firms.filter { $0.cbiCohort > 0 && $0.pumCohort > 0 }
        #expect((5...30).contains(both.count))
    }

    @Test func firmsAreMostlyMicroAndSmall() throws {
        let simulation = try #require(defaultRun)
        let firms = recordsByFirm(simulation).values.compactMap(\.first)
        let microOrSmall = firms.filter { $0.sizeClass <= .small }.count
        #expect(Double(microOrSmall) / Double(firms.count) > 0.8)
        #expect(firms.contains { $0.sizeClass == .large })
        #expect(Set(firms.map(\.subsector)).count == Subsector.allCases.count)
        // A third of the firms are founded during the panel and enter late.
        #expect(firms.contains { $0.founded > 2004 && $0.year == $0.founded })
    }

    @Test func exportsAreSkewedWithManyZeros() throws {
        let simulation = try #require(defaultRun)
        let observed = simulation.records.compactMap(\.values)
        let zeroEU = Double(observed.filter { $0.exportEU == 0 }.count) / Double(observed.count)
        let zeroNonEU = Double(observed.filter { $0.exportNonEU == 0 }.count) / Double(observed.count)
        let exporters = Double(observed.filter { $0.exportEU + $0.exportNonEU > 0 }.count) / Double(observed.count)
        #expect((0.55...0.8).contains(zeroEU))
        #expect((0.55...0.8).contains(zeroNonEU))
        #expect((0.3...0.6).contains(exporters))
        #expect(observed.allSatisfy { $0.sales >= $0.exportEU + $0.exportNonEU && $0.empPermanent >= 1 })
        // CBI selects on export potential: its firms export far more often than others.
        let cbi = simulation.records.filter { $0.cbiStart > 0 }.compactMap(\.values)
        let cbiExporters = Double(cbi.filter { $0.exportEU + $0.exportNonEU > 0 }.count) / Double(cbi.count)
        #expect(cbiExporters > 0.7)
    }

    /// "In 2016 export to non EU countries vary from 6300 to 4067000."
    @Test func supportedFirmsNonEUExportsIn2016() throws {
        let simulation = try #require(defaultRun)
        let supported = simulation.records.filter { $0.year == 2016 && ($0.cbiCohort > 0 || $0.pumTreated) }
        let exports = supported.compactMap(\.values).map { Double($0.exportNonEU) }.filter { $0 > 0 }
        let low = try #require(exports.min())
        let high = try #require(exports.max())
        #expect(low >= 5_000 && low <= 30_000)
        #expect(high >= 1_000_000 && high <= 5_000_000)
        let mean = exports.reduce(0, +) / Double(exports.count)
        #expect(mean > 2 * median(exports))
    }

    @Test func pumMonitoringGapIn2014() throws {
        let simulation = try #require(defaultRun)
        let missing = simulation.records.filter { $0.values == nil }
        #expect(!missing.isEmpty)
        #expect(missing.allSatisfy { $0.year == 2014 && $0.pumCohort > 0 && $0.pumCohort <= 2014 && $0.cbiStart == 0 })
        let pumIn2014 = simulation.records.filter { $0.year == 2014 && $0.pumCohort > 0 && $0.pumCohort <= 2014 && $0.cbiStart == 0 }
        #expect(pumIn2014.count == missing.count)
        #expect(simulation.csv().contains(",2014,") && simulation.csv().contains(",,,,\n"))
    }

    @Test func firmsLeaveThePanel() throws {
        let simulation = try #require(defaultRun)
        let byFirm = recordsByFirm(simulation)
        let closed = byFirm.values.filter { ($0.map(\.year).max() ?? 2018) < 2018 && !$0[0].cbiDropout }
        #expect(closed.count > 30)
        // Rows are contiguous: a firm never comes back.
        for rows in byFirm.values {
            let years = rows.map(\.year)
            #expect(years == Array((years.min() ?? 0)...(years.max() ?? 0)))
        }
    }

    @Test func csvHeaderAndShape() throws {
        let simulation = try #require(defaultRun)
        let lines = simulation.csv().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "firm_id,year,subsector,size_class,founded,applicant,cbi_start,cbi_dropout,cbi_cohort,cbi_treated,pum_cohort,pum_missions,pum_treated,export_eu,export_non_eu,emp_permanent,emp_temporary,sales")
        #expect(lines.count == simulation.rows + 2)  // header, rows, and the empty piece after the last "\n"
        #expect(lines.dropFirst().dropLast().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 18 })
    }
}
