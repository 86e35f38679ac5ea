import DiD
import Foundation
import Inference
import LinearAlgebra
import PanelData
import QuipuTestSupport
import Reporting
import Sensitivity
import Testing

/// `quipu did --sensitivity` (issue 23, point 1): Quipu's own Callaway–Sant'Anna event study
/// feeds HonestDiD the same β̂ and Σ as moderndid's, and the command's text, JSON, SVG and
/// refusals. Tests that read relative-magnitudes numbers need the relative-magnitudes library
/// (slice rm); until it is merged its curves are reported as not computed.
@Suite(.tags(.slow)) struct SensitivityCommandTests {
    static let mpdta = ["did", "--data", "Datasets/mpdta/mpdta.csv", "--outcome", "lemp", "--unit", "countyreal", "--time", "year",
                        "--cohort", "first.treat", "--estimator", "cs", "--base-period", "universal"]

    struct Reference: Decodable {
        struct Point: Decodable { let m: Double; let lower: Double; let upper: Double }
        struct Target: Decodable { let target: String; let intervals: [Point] }
        struct Case: Decodable { let name: String; let event_times: [Int]; let estimates: [Double]; let covariance: [[Double]]; let targets: [Target] }
        let cases: [Case]
    }

    @Test func quipusUniversalBaseEventStudyIsModernDiDs() throws {
        let reference = try #require(try Fixture.decode(Reference.self, from: "Tests/Fixtures/sensitivity/sd_reference.json").cases.first { $0.name == "mpdta" })
        var options = DiDOptions(outcome: "lemp", covariance: .cluster(["countyreal"]))
        options.estimator = .cs
        options.callawaySantAnna.basePeriod = .universal
        let table = try DataReader.read(path: Fixture.path("Datasets/mpdta/mpdta.csv"), format: nil, options: CSVReadOptions())
        let results = try DiDAnalysis.run(table: table, unit: "countyreal", time: "year", treatment: .cohort("first.treat", neverTreated: nil), options: options)
        let cs = try #require(results.staggered.first { $0.estimator == .callawaySantAnna })
        let problem = try #require(try cs.sensitivityProblem(target: .impact))
        #expect(problem.eventTimes == reference.event_times)
        #expect(problem.preCount == 3)
        for (mine, theirs) in zip(problem.estimates, reference.estimates) { #expect(isClose(mine, theirs, relative: 1e-7, absolute: 1e-10)) }
        for i in 0..<problem.estimates.count {
            for j in 0..<problem.estimates.count {
                #expect(isClose(problem.covariance[i, j], reference.covariance[i][j], relative: 1e-6, absolute: 1e-12), "Σ[\(i),\(j)]")
            }
        }
        // The FLCI on Quipu's own event study equals moderndid's on its own.
        let impact = try #require(reference.targets.first { $0.target == "impact" })
        let curve = try SmoothnessSensitivity.curve(problem: problem, grid: impact.intervals.map(\.m))
        for (mine, theirs) in zip(curve.intervals, impact.intervals) {
            #expect(abs(mine.lower - theirs.lower) <= 1e-4 && abs(mine.upper - theirs.upper) <= 1e-4, "M = \(theirs.m)")
        }
    }

    @Test func smoothnessTextJSONAndPlot() throws {
        let plot = try temporaryOutputPath("sensitivity.svg")
        let text = try runQuipu(Self.mpdta + ["--sensitivity", "sd", "--m", "0,0.01,0.02", "--sensitivity-target", "average", "--sensitivity-plot", plot])
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("Sensitivity to violations of parallel trends (Rambachan & Roth 2023): Callaway–Sant'Anna"))
        #expect(text.standardOutput.contains("Smoothness Δ^SD(M), FLCI, 95% intervals"))
        #expect(text.standardOutput.contains("original"))
        let svg = try String(contentsOfFile: plot, encoding: .utf8)
        #expect(svg.hasPrefix("<?xml") && svg.contains("</svg>") && svg.contains("smoothness"))

        let json = try runQuipu(Self.mpdta + ["--sensitivity", "sd", "--m", "0,0.01,0.02", "--sensitivity-target", "average", "--format", "json"])
        let document = try #require(json.json)
        let records = try #require(document["sensitivity"] as? [[String: Any]])
        #expect(records.count == 1)
        let record = records[0]
        #expect(record["estimator"] as? String == "cs" && record["restriction"] as? String == "sd" && record["method"] as? String == "FLCI")
        #expect(record["pre_event_times"] as? [Int] == [-4, -3, -2] && record["post_event_times"] as? [Int] == [0, 1, 2, 3])
        let intervals = try #require(record["intervals"] as? [[String: Any]])
        #expect(intervals.map { $0["bound"] as? Double } == [0, 0.01, 0.02])
        // mpdta's average effect after support: the original interval excludes zero, the FLCI at
        // M = 0 (linear extrapolation of the pre-trend) too, wider ones do not (fixture: M ≈ 0.003).
        let reference = try #require(try Fixture.decode(Reference.self, from: "Tests/Fixtures/sensitivity/sd_reference.json").cases.first { $0.name == "mpdta" })
        let average = try #require(reference.targets.first { $0.target == "average" })
        let zero = try #require(average.intervals.first { $0.m == 0 })
        #expect(abs((intervals[0]["conf_low"] as? Double ?? .nan) - zero.lower) <= 1e-4)
        #expect(abs((intervals[0]["conf_high"] as? Double ?? .nan) - zero.upper) <= 1e-4)
        #expect(record["breakdown"] as? Double == 0)
        // Without --sensitivity the document has no such key (outputs unchanged).
        let plain = try runQuipu(Self.mpdta + ["--format", "json"])
        #expect(plain.json?["sensitivity"] == nil)
    }

    @Test func targetsOfExpressionsAndTheirErrors() throws {
        let sum = try runQuipu(Self.mpdta + ["--sensitivity", "sd", "--m", "0", "--sensitivity-target", "(e0 + e1)/2", "--format", "json"])
        #expect(sum.status == 0, "\(sum.standardError)")
        let record = try #require((sum.json?["sensitivity"] as? [[String: Any]])?.first)
        let weights = try #require(record["target_weights"] as? [[String: Any]])
        #expect(weights.map { $0["weight"] as? Double } == [0.5, 0.5, 0, 0])

        let missing = try runQuipu(Self.mpdta + ["--sensitivity", "sd", "--sensitivity-target", "e0 + e7"])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("no post-period event time 7; available: e0, e1, e2, e3"))
        #expect(missing.standardError.split(separator: "\n").count == 1)

        let pre = try runQuipu(Self.mpdta + ["--sensitivity", "sd", "--sensitivity-target", "e-2"])
        #expect(pre.status == 1 && pre.standardError.contains("no post-period event time -2"))
    }

    @Test func badGridsAndOptionsAreRefused() throws {
        let negative = try runQuipu(Self.mpdta + ["--sensitivity", "rm", "--mbar", "0,-0.5,1"])
        #expect(negative.status == 1)
        #expect(negative.standardError == "quipu: error: --mbar 0,-0.5,1: -0.5 is negative; the bounds must be 0 or more\n")

        let word = try runQuipu(Self.mpdta + ["--sensitivity", "sd", "--m", "0,x"])
        #expect(word.status == 64 && word.standardError.contains("'x' is not a number"))

        let alone = try runQuipu(Self.mpdta + ["--mbar", "0,1"])
        #expect(alone.status == 64 && alone.standardError.contains("add --sensitivity"))

        let crossed = try runQuipu(Self.mpdta + ["--sensitivity", "sd", "--mbar", "0,1"])
        #expect(crossed.status == 64 && crossed.standardError.contains("--mbar is the relative-magnitudes grid"))

        let twfe = try runQuipu(Self.mpdta.filter { $0 != "cs" && $0 != "--estimator" } + ["--estimator", "twfe", "--sensitivity", "sd"])
        #expect(twfe.status == 64 && twfe.standardError.contains("add --event-study"))
    }

    @Test func varyingBasePeriodIsWarnedAbout() throws {
        let varying = try runQuipu(Self.mpdta.dropLast(2) + ["--sensitivity", "sd", "--m", "0"])
        #expect(varying.status == 0, "\(varying.standardError)")
        #expect(varying.standardError.contains("varying base period"))
    }

    @Test func everyEventStudyIsAnalysed() throws {
        // TWFE's event study, Sun–Abraham and the extended TWFE beside Callaway–Sant'Anna (--estimator all).
        let all = try runQuipu(["did", "--data", "Datasets/mpdta/mpdta.csv", "--outcome", "lemp", "--unit", "countyreal", "--time", "year",
                                "--cohort", "first.treat", "--estimator", "all", "--event-study", "--base-period", "universal",
                                "--sensitivity", "sd", "--m", "0,0.02", "--format", "json"])
        #expect(all.status == 0, "\(all.standardError)")
        let records = try #require(all.json?["sensitivity"] as? [[String: Any]])
        let estimators = Set(records.compactMap { $0["estimator"] as? String })
        #expect(estimators.isSuperset(of: ["twfe", "cs", "sunab", "etwfe"]), "\(estimators)")
        // The imputation estimator's leads come from their own regression: no joint covariance
        // with the effects, so it is named, not analysed.
        #expect(all.standardError.contains("Imputation (BJS): sensitivity: the pre-period estimates and the effects have no joint covariance"))
        for record in records where record["error"] == nil {
            let intervals = try #require(record["intervals"] as? [[String: Any]])
            let widths = intervals.map { ($0["conf_high"] as? Double ?? .nan) - ($0["conf_low"] as? Double ?? .nan) }
            #expect(widths.count == 2 && widths[1] >= widths[0], "\(record["estimator"] ?? "")")
        }
    }

    /// Needs the relative-magnitudes library (slice rm): fails on the placeholder, which throws.
    @Test func relativeMagnitudesCurvesWidenWithMbar() throws {
        let run = try runQuipu(Self.mpdta + ["--sensitivity", "both", "--mbar", "0,0.5,1", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let records = try #require(run.json?["sensitivity"] as? [[String: Any]])
        let rm = try #require(records.first { $0["restriction"] as? String == "rm" })
        #expect(rm["error"] == nil, "\(rm["error"] ?? "")")
        let intervals = try #require(rm["intervals"] as? [[String: Any]])
        #expect(intervals.map { $0["bound"] as? Double } == [0, 0.5, 1])
        let lows = intervals.compactMap { $0["conf_low"] as? Double }, highs = intervals.compactMap { $0["conf_high"] as? Double }
        try #require(lows.count == 3 && highs.count == 3)
        for k in 1..<3 { #expect(lows[k] <= lows[k - 1] + 1e-9 && highs[k] >= highs[k - 1] - 1e-9) }
        #expect(rm["method"] as? String == "C-LF")
        #expect(records.contains { $0["restriction"] as? String == "sd" })
    }
}
