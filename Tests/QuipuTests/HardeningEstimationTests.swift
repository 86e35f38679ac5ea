import Foundation
import Testing

/// The estimation items of issue 10 from the command line: each asserts the exit code, the
/// message, and (for refusals) that no output file appears.
@Suite struct HardeningEstimationTests {
    /// Runs `quipu` with `--output` to a fresh path and returns the run and that path.
    func runWithOutput(_ arguments: [String], format: String = "json") throws -> (Invocation, String) {
        let output = try temporaryOutputPath()
        let run = try runQuipu(arguments + ["--format", format, "--output", output])
        return (run, output)
    }

    /// Expects a clean refusal: exit 1, every fragment in one message, no crash, no output file.
    func expectRefusal(_ arguments: [String], _ fragments: [String], absent: [String] = [],
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (run, output) = try runWithOutput(arguments)
        #expect(run.status == 1, "exit \(run.status): \(run.standardError)", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: output), "no output file may be left behind", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(run.standardError.contains(fragment), "'\(fragment)' not in: \(run.standardError)", sourceLocation: sourceLocation)
        }
        for fragment in absent + ["Fatal error", "Stack dump"] {
            #expect(!run.standardError.contains(fragment), "'\(fragment)' in: \(run.standardError)", sourceLocation: sourceLocation)
        }
    }

    func coefficient(_ json: [String: Any]?, _ term: String) -> [String: Any]? {
        (json?["coefficients"] as? [[String: Any]])?.first { $0["term"] as? String == term }
    }

    func dropped(_ json: [String: Any]?) -> [String: Any] { json?["dropped"] as? [String: Any] ?? [:] }

    // MARK: Item 1: non-integer fixed effects and clusters of both signs

    @Test func nonIntegerFixedEffectOfBothSignsDoesNotTrap() throws {
        let path = try temporaryFile("y,x,g\n1,0.5,-0.5\n2,1.5,0.5\n3,2.5,-0.5\n4,1.0,0.5\n")
        let run = try runQuipu(["feols", "--data", path, "--formula", "y ~ x | g", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.json?["nobs"] as? Int == 4)
        #expect((run.json?["fixed_effects"] as? [[String: Any]])?.first?["levels"] as? Int == 2)
    }

    @Test func longitudeClustersDoNotTrap() throws {
        var lines = ["y,x,lon"]
        for row in 0..<12 { lines.append("\(Double(row % 5) + 0.1 * Double(row)),\(Double(row % 4)),\(row % 2 == 0 ? "-0.13" : "2.35")") }
        let path = try temporaryFile(lines.joined(separator: "\n"))
        let run = try runQuipu(["feols", "--data", path, "--formula", "y ~ x", "--vcov", "cluster:lon", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.json?["n_clusters"] as? Int == 2)
    }

    @Test func jtrainWithTheChangeInLogScrapAsFixedEffect() throws {
        // clscrap takes non-integer values of both signs; almost every level is a singleton.
        let run = try runQuipu(["feols", "--data", "Datasets/jtrain/jtrain.csv", "--formula", "lscrap ~ grant | clscrap"])
        #expect(run.status == 0 || run.status == 1, "a trap ends with a signal, not exit 0 or 1: \(run.status)")
        #expect(!run.standardError.contains("Fatal error"))
        if run.status == 1 { #expect(run.standardError.hasPrefix("quipu: error: ")) }
    }

    // MARK: Item 3: i() with 10^5 levels

    @Test func hundredThousandIndicatorLevelsAreRefusedWithTheFigure() throws {
        var lines = ["y,x,g"]
        lines.reserveCapacity(100_001)
        for row in 0..<100_000 { lines.append("\(row % 7),\(row),\(row % 10)") }
        let path = try temporaryFile(lines.joined(separator: "\n"))
        let start = Date()
        try expectRefusal(["feols", "--data", path, "--formula", "y ~ i(x) | g"],
                          ["i(x)", "100000 indicator columns", "GB", "absorb 'x' as a fixed effect"])
        #expect(Date().timeIntervalSince(start) < 60, "the refusal comes before any column is built")
    }

    // MARK: Item 4: no residual degrees of freedom

    @Test func fourCellMeansHaveNoInference() throws {
        let path = try temporaryFile("y,treat,post\n1,0,0\n2,0,1\n3,1,0\n5,1,1\n")
        let text = try runQuipu(["feols", "--data", path, "--formula", "y ~ treat*post"])
        #expect(text.status == 0, "\(text.standardError)")
        let line = text.standardOutput.split(separator: "\n").first { $0.hasPrefix("treat:post") } ?? ""
        #expect(line.contains("NA") && !line.contains("2.2e-16") && !line.contains("*"), "\(line)")
        #expect(text.standardOutput.contains("no residual degrees of freedom"))
        let json = try runQuipu(["feols", "--data", path, "--formula", "y ~ treat*post", "--vcov", "hetero", "--format", "json"])
        let interaction = try #require(coefficient(json.json, "treat:post"))
        #expect(abs((interaction["estimate"] as? Double ?? 0) - 1) < 1e-12, "the estimate itself is defined")
        for key in ["std_error", "statistic", "p_value", "conf_low", "conf_high"] {
            #expect(interaction[key] is NSNull, "\(key) must be null: \(String(describing: interaction[key]))")
        }
        #expect((json.json?["notes"] as? [String])?.contains { $0.contains("no residual degrees of freedom") } == true)
    }

    @Test func didOnTwoUnitsAndTwoPeriodsHasNoInference() throws {
        let path = try temporaryFile("unit,year,y,d\n1,2000,1,0\n1,2001,2,0\n2,2000,1.5,0\n2,2001,4,1\n")
        let base = ["did", "--data", path, "--outcome", "y", "--unit", "unit", "--time", "year", "--treat", "d"]
        let json = try runQuipu(base + ["--format", "json"])
        #expect(json.status == 0, "\(json.standardError)")
        let estimates = TWFEJSON.rows(json.json, "2x2") + TWFEJSON.rows(json.json, "twfe")
        #expect(estimates.count == 2, "the 2x2 and the TWFE estimate")
        for estimate in estimates {
            #expect(estimate["estimate"] as? Double != nil)
            #expect(estimate["std_error"] is NSNull && estimate["p_value"] is NSNull && estimate["conf_low"] is NSNull,
                    "\(estimate)")
        }
        #expect((json.json?["notes"] as? [String])?.contains { $0.contains("no residual degrees of freedom") } == true)
        let text = try runQuipu(base)
        #expect(text.status == 0)
        // The estimates table's rows start with their estimand.
        let rows = text.standardOutput.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("twfe ") || ($0.hasPrefix("2x2 ") && !$0.hasPrefix("2x2 as")) }
        #expect(!rows.isEmpty && rows.allSatisfy { $0.contains("NA") && !$0.contains("2.2e-16") && !$0.contains("*") }, "\(text.standardOutput)")
    }

    @Test func didEventStudyWithoutDegreesOfFreedomReportsNA() throws {
        // Two units, three periods: the event study is an exact fit, and TWFE's two clusters' scores
        // cancel. Every row and the pre-trend test are NA, with notes; nothing is an error.
        let path = try temporaryFile("unit,year,y,g\n1,2000,1,0\n1,2001,2,0\n1,2002,2.5,0\n2,2000,1.5,2002\n2,2001,2.2,2002\n2,2002,4,2002\n")
        let run = try runQuipu(["did", "--data", path, "--outcome", "y", "--unit", "unit", "--time", "year", "--cohort", "g",
                                "--event-study", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let estimates = TWFEJSON.rows(run.json, "twfe") + TWFEJSON.rows(run.json, "event_study")
        #expect(estimates.count == 3 && estimates.allSatisfy { $0["std_error"] is NSNull && $0["p_value"] is NSNull }, "\(estimates)")
        let pretrend = try #require(TWFEJSON.pretrendTest(run.json))
        #expect(pretrend["statistic"] is NSNull && pretrend["p_value"] is NSNull)
        let notes = run.json?["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("no residual degrees of freedom") } && notes.contains { $0.contains("robust variance is zero") }, "\(notes)")
    }

    // MARK: Item 5: the outcome on the right-hand side

    @Test(arguments: ["y ~ y", "y ~ y | g", "y ~ x + log(y)", "log(y) ~ y"])
    func outcomeOnTheRightIsRefused(_ formula: String) throws {
        let path = try temporaryFile("y,x,g\n1,2,1\n2,3,1\n3,5,2\n4,4,2\n5,7,3\n6,6,3\n")
        try expectRefusal(["feols", "--data", path, "--formula", formula], ["outcome's column 'y' is also a regressor"])
    }

    // MARK: Items 8 and 12: non-finite numbers, log of zero, overflow

    @Test func nonFiniteAndUndefinedLogAreCountedUnderTheirOwnNames() throws {
        let path = try temporaryFile("y,x,z\n1,1,2\n2,inf,3\n3,1e400,1\n4,2,0\n5,-Inf,4\n6,NA,5\n7,5,-3\n8,4,6\n9,6,7\n10,3,8\n")
        let json = try runQuipu(["feols", "--data", path, "--formula", "y ~ x + log(z)", "--format", "json"])
        #expect(json.status == 0, "\(json.standardError)")
        let counts = dropped(json.json)
        #expect(counts["missing"] as? Int == 1)
        #expect(counts["non_finite"] as? Int == 3)
        #expect(counts["undefined_transform"] as? Int == 2)
        #expect(json.json?["nobs"] as? Int == 4)
        let text = try runQuipu(["feols", "--data", path, "--formula", "y ~ x + log(z)"])
        for fragment in ["1 with missing values", "3 with non-finite values", "log of zero or negative: 2 rows"] {
            #expect(text.standardOutput.contains(fragment), "'\(fragment)' not in: \(text.standardOutput)")
        }
    }

    @Test func aHugeRegressorIsReportedAsAnOverflow() throws {
        let path = try temporaryFile("y,x,g\n1,1e300,1\n2,2e300,1\n3,1e300,2\n4,3e300,2\n5,2e300,1\n6,1e300,2\n")
        try expectRefusal(["feols", "--data", path, "--formula", "y ~ x | g"], ["'x'", "overflow"], absent: ["absorbed"])
    }

    @Test func trendsDoNotAverageInfinities() throws {
        let path = try temporaryFile("unit,t,g,y\n1,1,2,1\n1,2,2,-inf\n2,1,0,2\n2,2,0,3\n3,1,2,5\n3,2,2,1e400\n4,1,0,1\n4,2,0,4\n")
        let run = try runQuipu(["trends", "--data", path, "--unit", "unit", "--time", "t", "--cohort", "g", "--outcome", "y", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let points = try #require(run.json?["points"] as? [[String: Any]])
        #expect(points.allSatisfy { $0["value"] is Double }, "no group mean may be ±inf (null): \(points)")
        #expect(run.standardError.contains("2 rows with a non-finite value"), "\(run.standardError)")
    }

    // MARK: Item 11: periods at or above 10^9

    @Test func periodsAboveOneBillionAreAccepted() throws {
        var lines = ["unit,t,g,y"]
        for unit in 1...4 {
            for t in 0..<3 { lines.append("\(unit),\(1_000_000_000 + t),\(unit <= 2 ? 1_000_000_001 : 0),\(Double(unit + t) * 0.5 + Double((unit * t) % 3))") }
        }
        let path = try temporaryFile(lines.joined(separator: "\n"))
        let run = try runQuipu(["trends", "--data", path, "--unit", "unit", "--time", "t", "--cohort", "g", "--outcome", "y", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let periods = (run.json?["points"] as? [[String: Any]])?.compactMap { $0["period"] as? Int } ?? []
        #expect(Set(periods) == [1_000_000_000, 1_000_000_001, 1_000_000_002])
        let beyond = try temporaryFile("unit,t,g,y\n1,1,0,1\n1,100000000000000000,0,2\n")
        try expectRefusal(["trends", "--data", beyond, "--unit", "unit", "--time", "t", "--cohort", "g", "--outcome", "y"],
                          ["'t'", "2^53", "line 3"], absent: ["must hold integers"])
    }

    // MARK: Item 14: regressors absorbed by the fixed effects

    static let panel = "firm,year,size,x,y\n1,1,3,0.5,1\n1,2,3,1.5,2\n1,3,3,0.7,2.2\n2,1,5,0.2,2\n2,2,5,2.0,4\n2,3,5,1.2,3.1\n3,1,2,0.9,0\n3,2,2,1.1,3\n3,3,2,0.3,1.4\n4,1,4,0.4,1.1\n4,2,4,1.9,2.5\n4,3,4,0.8,2.9\n"

    @Test func absorbedRegressorIsDroppedAndTheRestFitted() throws {
        let path = try temporaryFile(Self.panel)
        let (run, output) = try runWithOutput(["feols", "--data", path, "--formula", "y ~ x + size | firm + year"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any]
        #expect(dropped(json)["collinear"] as? [String] == ["size"])
        #expect(coefficient(json, "x") != nil && coefficient(json, "size") == nil)
        #expect((json?["notes"] as? [String])?.contains { $0.contains("absorbed by the fixed effects (firm, year)") && $0.contains("size") } == true)
    }

    @Test func absorbedTermNeededByParamOrRestrictionStaysAnError() throws {
        let path = try temporaryFile(Self.panel)
        let base = ["feols", "--data", path, "--formula", "y ~ x + size | firm + year", "--vcov", "cluster:firm", "--bootstrap", "wild", "--reps", "99"]
        try expectRefusal(base + ["--param", "size"], ["'size' is absorbed by the fixed effects (firm, year)"])
        try expectRefusal(base + ["--restriction", "x + size = 0"], ["'size' is absorbed by the fixed effects (firm, year)"])
    }

    @Test func didSaysTheTreatmentIndicatorIsAbsorbed() throws {
        // mpdta's `treat` marks treated counties, not treated years: every treated county is
        // "treated" from the first period, so the indicator never changes within a county.
        try expectRefusal(["did", "--data", "Datasets/mpdta/mpdta.csv", "--outcome", "lemp", "--unit", "countyreal",
                           "--time", "year", "--treat", "treat"],
                          ["treatment indicator is absorbed by the unit and period fixed effects", "--cohort"],
                          absent: ["remove it from the formula", "regressor"])
    }
}

/// Issue 10, item 8 in `describe`: infinite values are left out of the statistics and counted.
@Suite struct DescribeNonFiniteTests {
    @Test func infiniteOutcomesAreCountedNotAveraged() throws {
        let path = try temporaryFile("unit,time,y\n1,1,1\n1,2,inf\n2,1,2\n2,2,1e400\n3,1,3\n3,2,4\n")
        let run = try runQuipu(["describe", "--data", path, "--unit", "unit", "--time", "time", "--outcomes", "y", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let outcome = try #require((run.json?["outcomes"] as? [[String: Any]])?.first)
        #expect(outcome["non_finite"] as? Int == 2)
        #expect(!run.standardOutput.contains("inf"), "no statistic may be infinite: \(run.standardOutput)")
        let text = try runQuipu(["describe", "--data", path, "--unit", "unit", "--time", "time", "--outcomes", "y"])
        #expect(text.standardOutput.contains("Non-finite: 2 rows"))
    }
}
