import Foundation
import QuipuTestSupport
import Testing

/// Issue 23, point 5: `quipu power`. The analytic MDE from a pilot panel equals the reference
/// fixture (Tests/Fixtures/power, pcpanel's residual formula), the simulation is the same for any
/// thread count, and bad designs stop with one line naming what is wrong.
@Suite struct PowerCommandTests {
    static let pilot = ["--data", "Tests/Fixtures/power/pilot.csv", "--outcome", "y", "--unit", "firm", "--time", "year"]
    static let design = ["--treated", "48", "--controls", "500", "--pre", "5", "--post", "3"]

    /// The one-line error of a refused run, with its exit status.
    static func expectRefusal(_ arguments: [String], status: Int32, naming words: [String]) throws {
        let run = try runQuipu(["power"] + arguments)
        #expect(run.status == status, "quipu power \(arguments.joined(separator: " ")): \(run.standardError)")
        #expect(run.standardOutput.isEmpty)
        if status == 1 {
            let lines = run.standardError.split(separator: "\n")
            #expect(lines.count == 1, "one line, got: \(run.standardError)")
        }
        for word in words { #expect(run.standardError.contains(word), "\(run.standardError) should name \(word)") }
    }

    @Test func analyticMinimumDetectableEffectFromAPilotPanelEqualsTheReference() throws {
        let reference = try Fixture.jsonObject("Tests/Fixtures/power/power_reference.json")
        let pilot = try #require((reference["pilot"] as? [[String: Any]])?.first)
        #expect(pilot["treated"] as? Int == 48 && pilot["pre"] as? Int == 5 && pilot["post"] as? Int == 3)
        let started = Date()
        let run = try runQuipu(["power"] + Self.design + Self.pilot + ["--format", "json", "--threads", "1"])
        let seconds = Date().timeIntervalSince(started)
        #expect(run.status == 0, "\(run.standardError)")
        try OutputSchemaTests.expectValid(run.standardOutput, schema: "power", "quipu power --format json")
        let analytic = try #require(run.json?["analytic"] as? [String: Any])
        expectClose(jsonNumber(analytic["mde"]), jsonNumber(pilot["mde"]), relative: 1e-9)
        expectClose(jsonNumber(analytic["std_error"]), jsonNumber(pilot["std_error"]), relative: 1e-9)
        #expect(analytic["errors_source"] as? String == "pilot")
        // A debug build on a shared machine: generous, but an analytic answer must not take long.
        #expect(seconds < 10)
    }

    @Test func givenVarianceAndAR1AnswerWithoutData() throws {
        let run = try runQuipu(["power"] + Self.design + ["--variance", "1", "--ar1", "0.5", "--effect", "0.3"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("minimum detectable effect:"))
        #expect(run.standardOutput.contains("power against an effect of 0.3:"))
    }

    @Test func badDesignsStopWithOneLineAndExitOne() throws {
        try Self.expectRefusal(["--treated", "0", "--controls", "500", "--pre", "5", "--post", "3", "--variance", "1"], status: 1, naming: ["treated firm", "0"])
        try Self.expectRefusal(["--treated", "0", "--controls", "500", "--pre", "5", "--post", "3"] + Self.pilot, status: 1, naming: ["treated firm"])
        try Self.expectRefusal(["--treated", "48", "--controls", "500", "--pre", "0", "--post", "3", "--variance", "1"], status: 1, naming: ["pre-period", "0"])
        try Self.expectRefusal(["--treated", "48", "--controls", "500", "--pre", "5", "--post", "0"] + Self.pilot, status: 1, naming: ["post-period"])
        try Self.expectRefusal(Self.design + ["--variance", "1", "--alpha", "1.5"], status: 1, naming: ["significance level", "1.5"])
        try Self.expectRefusal(Self.design + ["--variance", "1", "--power", "0"], status: 1, naming: ["target power", "0"])
        try Self.expectRefusal(Self.design + ["--data", "Tests/Fixtures/power/pilot.csv", "--outcome", "sales", "--unit", "firm", "--time", "year"],
                               status: 1, naming: ["sales"])
        try Self.expectRefusal(Self.design + ["--data", "Tests/Fixtures/power/pilot.csv", "--outcome", "y", "--unit", "firm_id", "--time", "year"],
                               status: 1, naming: ["firm_id"])
        try Self.expectRefusal(Self.design, status: 1, naming: ["--variance"])
        // Values that do not parse are usage errors.
        try Self.expectRefusal(["--treated", "many", "--controls", "500", "--pre", "5", "--post", "3", "--variance", "1"], status: 64, naming: ["--treated"])
        try Self.expectRefusal(Self.design + ["--variance", "1", "--effects", "0,x"], status: 64, naming: ["--effects"])
    }

    @Test func simulatedCurveIsTheSameForAnyThreadCountAndRisesWithTheEffect() throws {
        let plot = try temporaryOutputPath("curve.svg")
        let arguments = ["power", "--treated", "20", "--controls", "60", "--pre", "3", "--post", "2"] + Self.pilot
            + ["--simulate", "resample", "--replicates", "40", "--effects", "0,0.5,1.5", "--seed", "7", "--format", "json"]
        let one = try runQuipu(arguments + ["--threads", "1", "--plot", plot])
        let two = try runQuipu(arguments + ["--threads", "2"])
        #expect(one.status == 0, "\(one.standardError)")
        #expect(one.standardOutput == two.standardOutput, "the curve must not depend on the thread count")
        try OutputSchemaTests.expectValid(one.standardOutput, schema: "power", "quipu power --simulate resample")
        let simulation = try #require(one.json?["simulation"] as? [String: Any])
        let curve = try #require(simulation["curve"] as? [[String: Any]])
        let powers = curve.compactMap { jsonNumber($0["power"]) }
        #expect(powers.count == 3)
        // No effect: about α (40 replicates: at most 8 rejections); a large one: nearly always.
        #expect(powers[0] <= 0.2)
        #expect(powers[2] >= 0.9)
        #expect(curve.allSatisfy { ($0["failures"] as? Int) == 0 })
        let svg = try String(contentsOfFile: plot, encoding: .utf8)
        #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
    }
}
