import Foundation
import Testing

/// Issue 19, points 3, 4, 5 and 9: a cohort of 0 that is also a period is refused, not read as
/// "never treated"; every clustered estimate uses t with G − 1 df and warns below 30 clusters;
/// the pairs bootstrap is refused below 5 clusters and an unbounded wild-bootstrap interval says
/// so; imputation on an exact fit reports NA; `--combine` uses the bootstrap when the rows do.
@Suite struct DidFewClustersTests {
    /// Deterministic noise in [−0.5, 0.5) that is not additive in unit and period.
    static func noise(_ unit: Int, _ period: Int) -> Double {
        let shifted = period + 10
        let mixed: Int = unit * 7919 + shifted * shifted * unit * 131
        return Double(mixed % 997) / 997 - 0.5
    }

    /// Periods −1…3; units 1–2 are treated from period 0 (cohort 0), units 3–4 from period 2,
    /// units 5–8 never (empty cohort).
    static func cohortZeroPanel() -> String {
        var lines = ["unit,time,g,y"]
        for unit in 1...8 {
            let cohort: Int? = unit <= 2 ? 0 : (unit <= 4 ? 2 : nil)
            for time in -1...3 {
                let treated = cohort.map { time >= $0 } ?? false
                let y = Double(unit) * 0.5 + Double(time) * 0.3 + noise(unit, time) + (treated ? 1 : 0)
                lines.append("\(unit),\(time),\(cohort.map(String.init) ?? ""),\(y)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// 12 units in 2 regions over periods 1–5, cohorts 3 and 4 and never treated (0), with `d` the
    /// treated-period indicator and a count outcome for Poisson.
    static func twoRegionPanel(neverTreatedCode: Int = 0) -> String {
        var lines = ["unit,time,g,region,d,y,count"]
        for unit in 1...12 {
            let cohort = [3, 4, neverTreatedCode][unit % 3]
            for time in 1...5 {
                let d = cohort != neverTreatedCode && time >= cohort ? 1 : 0
                let y = Double(unit) * 0.2 + Double(time) * 0.1 + noise(unit, time) - 0.3 * Double(d)
                lines.append("\(unit),\(time),\(cohort),\(1 + unit % 2),\(d),\(y),\(1 + (unit * 3 + time * 5) % 7)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// t(1) is the Cauchy distribution: P(|T| ≥ t) = 1 − 2·atan(|t|)/π, and its 97.5% quantile
    /// is tan(0.475π).
    static func cauchyPValue(_ t: Double) -> Double { 1 - 2 * atan(abs(t)) / Double.pi }
    static let cauchyQuantile975 = tan(0.475 * Double.pi)

    static func did(_ path: String, _ extra: [String]) throws -> Invocation {
        try runQuipu(["did", "--data", path, "--unit", "unit", "--time", "time", "--cohort", "g", "--outcome", "y"] + extra)
    }

    // MARK: point 3: cohort 0 inside the periods

    @Test("a cohort of 0 that is a period of the panel is refused by did (every estimator) and describe, naming --never-treated")
    func cohortZeroInsidePeriodsIsRefused() throws {
        let path = try temporaryFile(Self.cohortZeroPanel())
        for estimator in ["twfe", "cs", "sunab", "imputation", "all"] {
            let run = try Self.did(path, ["--estimator", estimator])
            #expect(run.status == 1, "\(estimator): \(run.standardOutput.prefix(200))")
            #expect(run.standardError.contains("cohort column 'g' has 0"), "\(run.standardError)")
            #expect(run.standardError.contains("0 is a period of the panel (-1 to 3)"))
            #expect(run.standardError.contains("--never-treated"))
        }
        let describe = try runQuipu(["describe", "--data", path, "--unit", "unit", "--time", "time", "--cohort", "g"])
        #expect(describe.status == 1)
        #expect(describe.standardError.contains("--never-treated"))
    }

    @Test("--never-treated none makes 0 a cohort (treated from period 0); --never-treated 0 keeps it never treated")
    func neverTreatedSaysWhatZeroMeans() throws {
        let path = try temporaryFile(Self.cohortZeroPanel())
        let describe = try runQuipu(["describe", "--data", path, "--unit", "unit", "--time", "time", "--cohort", "g",
                                     "--never-treated", "none", "--format", "json"])
        #expect(describe.status == 0, "\(describe.standardError)")
        let cohorts = try #require(describe.json?["cohorts"] as? [[String: Any]])
        #expect(cohorts.contains { $0["cohort"] as? Int == 0 && $0["units"] as? Int == 2 })
        #expect(cohorts.contains { $0["cohort"] as? String == "never" && $0["units"] as? Int == 4 })

        let asCohort = try Self.did(path, ["--estimator", "cs", "--never-treated", "none", "--format", "json"])
        #expect(asCohort.status == 0, "\(asCohort.standardError)")
        let sizes = try #require(asCohort.json?["cohorts"] as? [[String: Any]])
        #expect(sizes.contains { $0["cohort"] as? Int == 0 && $0["units"] as? Int == 2 })
        // Every estimator estimates cohort 0 as a cohort rather than using its units as controls
        // (Callaway–Sant'Anna coded never-treated units as cohort 0 internally).
        let all = try Self.did(path, ["--estimator", "all", "--never-treated", "none", "--format", "json"])
        #expect(all.status == 0, "\(all.standardError)")
        let samples = try #require(all.json?["sample"] as? [[String: Any]])
        #expect(samples.count == 5)
        for sample in samples {
            let perCohort = try #require(sample["units_per_cohort"] as? [[String: Any]])
            #expect(perCohort.contains { $0["cohort"] as? Int == 0 && $0["units"] as? Int == 2 }, "\(sample["estimator"] ?? "")")
        }
        let aggregates = try #require(all.json?["aggregates"] as? [[String: Any]])
        #expect(aggregates.contains { $0["estimator"] as? String == "cs" && $0["label"] as? String == "g0" && $0["estimate"] is Double },
                "Callaway–Sant'Anna estimates cohort 0")

        let asNever = try Self.did(path, ["--estimator", "cs", "--never-treated", "0", "--format", "json"])
        #expect(asNever.status == 0, "\(asNever.standardError)")
        let neverSizes = try #require(asNever.json?["cohorts"] as? [[String: Any]])
        #expect(neverSizes.contains { $0["cohort"] as? String == "never" && $0["units"] as? Int == 6 })
        #expect(!neverSizes.contains { $0["cohort"] as? Int == 0 })
    }

    @Test("a never-treated code outside the periods (9999) is read with --never-treated and refused as a late cohort without it")
    func neverTreatedCodeOutsideThePeriods() throws {
        let path = try temporaryFile(Self.twoRegionPanel(neverTreatedCode: 9999))
        let refused = try Self.did(path, ["--estimator", "twfe"])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("cohort 9999"))
        let read = try Self.did(path, ["--estimator", "twfe", "--never-treated", "9999", "--format", "json"])
        #expect(read.status == 0, "\(read.standardError)")
        let sizes = try #require(read.json?["cohorts"] as? [[String: Any]])
        #expect(sizes.contains { $0["cohort"] as? String == "never" && $0["units"] as? Int == 4 })
        let original = try Self.did(try temporaryFile(Self.twoRegionPanel()), ["--estimator", "twfe", "--format", "json"])
        let estimate = { (run: Invocation) in (TWFEJSON.rows(run.json, "twfe").first?["estimate"] as? Double) ?? .nan }
        #expect(abs(estimate(read) - estimate(original)) < 1e-12)
    }

    @Test("a cohort of 0 outside the periods is still never treated without --never-treated; a bad value exits 64")
    func zeroOutsideThePeriodsAndBadValues() throws {
        let path = try temporaryFile(Self.twoRegionPanel())
        let run = try Self.did(path, ["--estimator", "twfe", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let bad = try Self.did(path, ["--never-treated", "never"])
        #expect(bad.status == 64)
        #expect(bad.standardError.contains("'--never-treated <never-treated>': takes an integer"), "\(bad.standardError)")
    }

    @Test("quipu report refuses the ambiguous 0 too, and reads a programme's never_treated: key")
    func reportSpecNeverTreated() throws {
        let data = try temporaryFile(Self.cohortZeroPanel())
        func spec(_ line: String) -> String {
            """
            title: Tiny
            data: \(data)
            unit: unit
            time: time
            programmes:
              - name: P
                cohort: g
            \(line)
                estimators: [cs, twfe]
            outcomes:
              - { column: y, scale: level }
            """
        }
        func report(_ line: String) throws -> (Invocation, String) {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("quipu-report-\(UUID().uuidString)").path
            return (try runQuipu(["report", "--spec", try temporaryFile(spec(line), name: "spec.yaml"), "--out", out]), out)
        }
        let (refused, refusedOut) = try report("")
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("never_treated: in a report spec"))
        #expect(!FileManager.default.fileExists(atPath: refusedOut))
        let (read, readOut) = try report("    never_treated: none")
        #expect(read.status == 0, "\(read.standardError)")
        let results = try String(contentsOfFile: readOut + "/results.json", encoding: .utf8)
        #expect(results.contains("\"cohort\" : 0") || results.contains("\"cohort\": 0"))
        let (bad, _) = try report("    never_treated: sometimes")
        #expect(bad.status != 0)
        #expect(bad.standardError.contains("never_treated takes an integer"))
    }

    // MARK: point 4: few clusters

    @Test("with 2 clusters every estimator tests with t(1) and the run warns, naming the wild bootstrap")
    func twoClustersUseTWithOneDegreeOfFreedom() throws {
        let path = try temporaryFile(Self.twoRegionPanel())
        let run = try Self.did(path, ["--estimator", "all", "--cluster", "region", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(run.json)
        let aggregates = try #require(json["aggregates"] as? [[String: Any]])
        for estimator in ["cs", "sunab", "imputation", "twfe"] {
            let simple = try #require(aggregates.first { $0["estimator"] as? String == estimator && $0["type"] as? String == "simple" })
            let estimate = try #require(simple["estimate"] as? Double), error = try #require(simple["std_error"] as? Double)
            let p = try #require(simple["p_value"] as? Double), low = try #require(simple["conf_low"] as? Double)
            #expect(abs(p - Self.cauchyPValue(estimate / error)) < 1e-9, "\(estimator): p \(p)")
            #expect(abs(low - (estimate - Self.cauchyQuantile975 * error)) < 1e-7 * max(1, abs(low)), "\(estimator): low \(low)")
        }
        let notes = try #require(json["notes"] as? [String])
        #expect(notes.contains { $0.contains("only 2 clusters (region)") && $0.contains("wild cluster bootstrap") && $0.contains("G − 1 = 1 df") })
    }

    @Test("with 2 clusters a joint pre-trend test of 2 or more leads is NA, not F = 1e17")
    func jointTestsNeedMoreClustersThanRestrictions() throws {
        let path = try temporaryFile(Self.twoRegionPanel())
        let run = try Self.did(path, ["--estimator", "all", "--cluster", "region", "--event-study", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let tests = try #require(run.json?["pretrend_tests"] as? [[String: Any]])
        #expect(!tests.isEmpty)
        for test in tests where (test["df1"] as? Int ?? 0) >= 2 {
            #expect(test["statistic"] is NSNull, "\(test)")
            #expect(test["p_value"] is NSNull, "\(test)")
        }
        let twfe = try #require(TWFEJSON.pretrendTest(run.json))
        #expect(twfe["statistic"] is NSNull)
    }

    @Test("Poisson TWFE with 2 clusters tests with t(1), not the normal")
    func poissonTwoClustersUseT() throws {
        let path = try temporaryFile(Self.twoRegionPanel())
        let run = try runQuipu(["did", "--data", path, "--unit", "unit", "--time", "time", "--cohort", "g", "--outcome", "count",
                                "--model", "poisson", "--cluster", "region", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let twfe = try #require(TWFEJSON.rows(run.json, "twfe").first)
        let estimate = try #require(twfe["estimate"] as? Double), error = try #require(twfe["std_error"] as? Double)
        let p = try #require(twfe["p_value"] as? Double)
        #expect(abs(p - Self.cauchyPValue(estimate / error)) < 1e-9)
    }

    @Test("the pairs bootstrap is refused with 2 clusters (3 distinct resamples)")
    func pairsBootstrapNeedsFiveClusters() throws {
        let path = try temporaryFile(Self.twoRegionPanel())
        let run = try runQuipu(["feols", "--data", path, "--formula", "y ~ d | unit + time", "--vcov", "cluster:region",
                                "--bootstrap", "pairs", "--reps", "999"])
        #expect(run.status == 1, "\(run.standardOutput)")
        #expect(run.standardError.contains("at least 5 clusters, got 2"))
        #expect(run.standardError.contains("only 3 distinct resamples"))
        // With 6 clusters (the units 1–6) it runs.
        let units = Self.twoRegionPanel().split(separator: "\n").enumerated()
            .filter { $0.offset == 0 || (Int($0.element.split(separator: ",")[0]) ?? 99) <= 6 }.map(\.element).joined(separator: "\n") + "\n"
        let enough = try runQuipu(["feols", "--data", try temporaryFile(units), "--formula", "y ~ d | unit + time", "--vcov", "cluster:unit",
                                   "--bootstrap", "pairs", "--reps", "99"])
        #expect(enough.status == 0, "\(enough.standardError)")
    }

    @Test("the multiplier bootstrap is refused with 2 clusters (4 sign vectors; its sup-t band was narrower than a pointwise interval)")
    func multiplierBootstrapNeedsFiveClusters() throws {
        let path = try temporaryFile(Self.twoRegionPanel())
        let run = try Self.did(path, ["--estimator", "cs", "--cluster", "region", "--bootstrap", "multiplier", "--reps", "999"])
        #expect(run.status == 1, "\(run.standardOutput.prefix(300))")
        #expect(run.standardError.contains("the multiplier bootstrap needs at least 5 clusters, got 2"), "\(run.standardError)")
        let byUnit = try Self.did(path, ["--estimator", "cs", "--bootstrap", "multiplier", "--reps", "999"])
        #expect(byUnit.status == 0, "\(byUnit.standardError)")
    }

    @Test("a wild-bootstrap interval with 2 clusters prints as unbounded, not ±2·10^13")
    func unboundedWildInterval() throws {
        let path = try temporaryFile(Self.twoRegionPanel())
        let arguments = ["feols", "--data", path, "--formula", "y ~ d | unit + time", "--vcov", "cluster:region", "--bootstrap", "wild", "--reps", "99"]
        let text = try runQuipu(arguments)
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("CI [-Inf, Inf] (unbounded"), "\(text.standardOutput)")
        let json = try runQuipu(arguments + ["--format", "json"])
        let coefficient = try #require((json.json?["coefficients"] as? [[String: Any]])?.first)
        let bootstrap = try #require(coefficient["bootstrap"] as? [String: Any])
        #expect(bootstrap["conf_unbounded"] as? Bool == true)
        #expect(bootstrap["conf_low"] is NSNull)
    }

    // MARK: point 5: imputation on an exact fit

    @Test("imputation with 2 units: the leads and effects on an exact fit are NA with a note, not SE 1e-24 and F = 1e45")
    func imputationExactFitIsNA() throws {
        var lines = ["unit,time,g,y"]
        for unit in 1...2 {
            for time in 1...6 {
                let treated = unit == 1 && time >= 4
                lines.append("\(unit),\(time),\(unit == 1 ? 4 : 0),\(Double(unit) + 0.5 * Double(time) + Self.noise(unit, time) + (treated ? 1 : 0))")
            }
        }
        let run = try Self.did(try temporaryFile(lines.joined(separator: "\n") + "\n"), ["--estimator", "imputation", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(run.json)
        let aggregates = try #require(json["aggregates"] as? [[String: Any]])
        let leads = aggregates.filter { (($0["by"] as? [[String: Any]])?.first?["event_time"] as? Int ?? 0) < 0 }
        #expect(!leads.isEmpty)
        for row in aggregates {
            #expect(row["std_error"] is NSNull, "\(row)")
            #expect(row["p_value"] is NSNull, "\(row)")
        }
        let test = try #require((json["pretrend_tests"] as? [[String: Any]])?.first)
        #expect(test["statistic"] is NSNull)
        let inference = try #require((json["inference"] as? [[String: Any]])?.first?["notes"] as? [String])
        #expect(inference.contains { $0.contains("fit the") && $0.contains("exactly") && $0.contains("(NA)") })
    }

    // MARK: point 9: --combine under the bootstrap

    @Test("--combine with the multiplier bootstrap uses the bootstrap standard error of the rows beside it, and says so")
    func combinationUsesTheBootstrap() throws {
        let path = try temporaryFile(Self.twoRegionPanel())
        let arguments = ["--estimator", "cs", "--combine", "att", "--combine", "(e0 + e1)/2", "--format", "json"]
        let boot = try Self.did(path, arguments + ["--bootstrap", "multiplier", "--reps", "999"])
        let analytic = try Self.did(path, arguments)
        #expect(boot.status == 0, "\(boot.standardError)")
        func simpleError(_ run: Invocation) throws -> Double {
            let rows = try #require(run.json?["aggregates"] as? [[String: Any]])
            return try #require(rows.first { $0["type"] as? String == "simple" }?["std_error"] as? Double)
        }
        func combinations(_ run: Invocation) throws -> [[String: Any]] { try #require(run.json?["combinations"] as? [[String: Any]]) }
        let bootRow = try simpleError(boot), analyticRow = try simpleError(analytic)
        #expect(abs(bootRow - analyticRow) > 1e-6 * analyticRow, "the bootstrap and analytic standard errors should differ on this panel")
        let bootAtt = try #require(try combinations(boot).first?["std_error"] as? Double)
        let analyticAtt = try #require(try combinations(analytic).first?["std_error"] as? Double)
        #expect(abs(bootAtt - bootRow) < 1e-12 * bootRow)
        #expect(abs(analyticAtt - analyticRow) < 1e-12 * analyticRow)
        let averaged = try #require(try combinations(boot).last)
        #expect((averaged["inference"] as? String)?.hasPrefix("multiplier bootstrap") == true)
    }
}
