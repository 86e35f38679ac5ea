import Foundation
import Testing

/// `quipu did` refuses designs where difference-in-differences is not defined, naming the unit,
/// period or option at fault.
@Suite struct DidBadInputTests {
    func panel(_ cohortOf: (Int) -> Int, units: Int = 6, periods: ClosedRange<Int> = 2001...2004) -> String {
        var lines = ["unit,time,cohort,y"]
        for unit in 1...units {
            for time in periods {
                let y = Double(unit) * 0.3 + Double(time - 2000) * 0.1 + Double((unit * time) % 5) * 0.05
                lines.append("\(unit),\(time),\(cohortOf(unit)),\(y)")
            }
        }
        return lines.joined(separator: "\n")
    }

    func run(_ csv: String, _ extra: [String]) throws -> Invocation {
        let path = try temporaryFile(csv)
        return try runQuipu(["did", "--data", path, "--outcome", "y", "--unit", "unit", "--time", "time"] + extra)
    }

    @Test func treatmentThatSwitchesOff() throws {
        // jtrain's grant is a one-time payment: 1 in the grant year, 0 after.
        let run = try runQuipu(["did", "--data", "Datasets/jtrain/jtrain.csv", "--outcome", "lscrap", "--unit", "fcode",
                                "--time", "year", "--treat", "grant"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("switches off") && run.standardError.contains("unit ") && run.standardError.contains("period 1989"))
    }

    @Test func noControls() throws {
        let run = try run(panel { _ in 2003 }, ["--cohort", "cohort"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("no never-treated or not-yet-treated"))
    }

    @Test func cohortOutsideThePanel() throws {
        let run = try run(panel { $0 <= 2 ? 2010 : 0 }, ["--cohort", "cohort"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("cohort 2010") && run.standardError.contains("outside the panel's periods"))
    }

    @Test func referencePeriodWithoutObservations() throws {
        let run = try run(panel { $0 <= 2 ? 2003 : 0 }, ["--cohort", "cohort", "--event-study", "--ref", "-5", "--window", "-6:2"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("reference period -5 has no observations"))
    }

    @Test func eventStudyWithoutNeverTreated() throws {
        let run = try run(panel { $0 <= 3 ? 2003 : 2004 }, ["--cohort", "cohort", "--event-study"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("never-treated"))
    }

    @Test func badWindow() throws {
        let run = try run(panel { $0 <= 2 ? 2003 : 0 }, ["--cohort", "cohort", "--event-study", "--window", "3:-3"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("--window"))
    }

    @Test func twoByTwoEqualsDifferenceOfMeans() throws {
        let run = try run(panel({ $0 <= 3 ? 2003 : 0 }), ["--cohort", "cohort", "--post", "2003", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(run.json)
        let twoByTwo = try #require(TWFEJSON.twoByTwo(json))
        let means = try #require(twoByTwo["difference_of_means"] as? Double)
        let regression = try #require(twoByTwo["estimate"] as? Double)
        #expect(abs(regression - means) <= 1e-12 * max(1, abs(means)))
    }
}
