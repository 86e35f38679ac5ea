import DiD
import Foundation
import PanelData
import Primitives
import QuipuTestSupport
import Reporting
import Testing

/// `quipu did --model poisson` with `--estimator auto` and `all` (issue 22, point 3): a staggered
/// programme headlines the extended TWFE's log ratio of means with TWFE beside it, one cohort keeps
/// TWFE, `all` runs every estimator that has a Poisson scale, and `--plot` draws their profiles on
/// the proportional scale.
@Suite struct DidPoissonHeadlineTests {
    /// A panel with a count outcome `y` (zeros included) whose effect grows with time since
    /// support; `cohorts` are the support years of the treated firms (0: never).
    static func panel(cohorts: [Int]) -> String {
        var lines = ["firm,year,cohort,region,y"]
        for firm in 1...45 {
            let cohort = (cohorts + [0])[firm % (cohorts.count + 1)]
            for year in 2001...2007 {
                var y = Double((firm * 37 + year * 11) % 9) + Double(firm % 4)
                if cohort > 0 && year >= cohort { y *= 1.2 + 0.15 * Double(year - cohort) }
                lines.append("\(firm),\(year),\(cohort),\(firm % 2),\(y)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func did(_ data: String, _ extra: [String]) throws -> Invocation {
        try runQuipu(["did", "--data", data, "--unit", "firm", "--time", "year", "--cohort", "cohort", "--outcome", "y"] + extra)
    }

    static func aggregate(_ json: [String: Any]?, estimator: String, label: String) -> [String: Any]? {
        (json?["aggregates"] as? [[String: Any]])?.first { $0["estimator"] as? String == estimator && $0["label"] as? String == label }
    }

    @Test func autoHeadlinesTheExtendedTWFEsLogRatioWithStaggeredCohorts() throws {
        let data = try temporaryFile(Self.panel(cohorts: [2003, 2005]))
        let auto = try Self.did(data, ["--model", "poisson", "--format", "json"])
        #expect(auto.status == 0, "\(auto.standardError)")
        #expect(auto.json?["estimators"] as? [String] == ["etwfe", "twfe"])
        // The same numbers as each estimator alone: auto only chooses and orders them.
        let etwfe = try Self.did(data, ["--model", "poisson", "--estimator", "etwfe", "--format", "json"])
        let twfe = try Self.did(data, ["--model", "poisson", "--estimator", "twfe", "--format", "json"])
        let headline = try #require(Self.aggregate(auto.json, estimator: "etwfe", label: "lr_att"))
        let alone = try #require(Self.aggregate(etwfe.json, estimator: "etwfe", label: "lr_att"))
        let logRatio = try #require(headline["estimate"] as? Double)
        #expect(headline["scale"] as? String == "log_ratio")
        #expect(logRatio == alone["estimate"] as? Double && headline["std_error"] as? Double == alone["std_error"] as? Double)
        let twfeRow = try #require(TWFEJSON.rows(twfe.json, "twfe").first)
        let twfeBeside = try #require(TWFEJSON.rows(auto.json, "twfe").first)
        #expect(twfeBeside["estimate"] as? Double == twfeRow["estimate"] as? Double)
        let note = try #require(auto.json?["headline"] as? String)
        #expect(note.contains("extended TWFE's proportional effect (log ratio of means \(NumberFormat.short4g(logRatio)))"), "\(note)")
        #expect(note.contains("TWFE (\(NumberFormat.short4g(try #require(twfeRow["estimate"] as? Double))))"), "\(note)")
        let text = try Self.did(data, ["--model", "poisson"])
        #expect(text.standardOutput.contains("Extended TWFE (Wooldridge) (headline)"), "\(text.standardOutput)")
    }

    /// The extended TWFE takes --fe with least squares only (issue 25): Poisson's auto leaves it
    /// out, saying so, rather than fail; linear all keeps it, with the fixed effects.
    @Test func extraFixedEffectsLeaveTheExtendedTWFEOut() throws {
        let data = try temporaryFile(Self.panel(cohorts: [2003, 2005]))
        for (extra, expected) in [(["--model", "poisson"], ["twfe"]), (["--estimator", "all"], ["cs", "sunab", "imputation", "etwfe", "twfe"])] {
            let run = try Self.did(data, extra + ["--fe", "year^region", "--format", "json"])
            #expect(run.status == 0, "\(run.standardError)")
            #expect(run.json?["estimators"] as? [String] == expected)
            let text = try Self.did(data, extra + ["--fe", "year^region"])
            #expect(text.standardOutput.contains("the extended TWFE takes --fe with --model linear only, so it is left out") == !expected.contains("etwfe"),
                    "\(text.standardOutput)")
        }
        let alone = try Self.did(data, ["--model", "poisson", "--estimator", "etwfe", "--fe", "year^region"])
        #expect(alone.status == 1, "\(alone.standardError)")
    }

    @Test func autoKeepsTWFEWithOneCohort() throws {
        let data = try temporaryFile(Self.panel(cohorts: [2004]))
        let run = try Self.did(data, ["--model", "poisson", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.json?["estimators"] as? [String] == ["twfe"])
        #expect(run.json?["headline"] is NSNull || run.json?["headline"] == nil)
    }

    @Test func allRunsEveryEstimatorOfTheScale() throws {
        let data = try temporaryFile(Self.panel(cohorts: [2003, 2005]))
        let poisson = try Self.did(data, ["--model", "poisson", "--estimator", "all", "--format", "json"])
        #expect(poisson.status == 0, "\(poisson.standardError)")
        #expect(poisson.json?["estimators"] as? [String] == ["etwfe", "cs", "imputation", "twfe"])
        #expect(poisson.json?["effect"] as? String == "proportional")
        for estimator in ["cs", "imputation"] {
            let alone = try Self.did(data, ["--model", "poisson", "--estimator", estimator, "--format", "json"])
            let inAll = try #require(Self.aggregate(poisson.json, estimator: estimator, label: "att"))
            let single = try #require(Self.aggregate(alone.json, estimator: estimator, label: "att"))
            #expect(inAll["estimate"] as? Double == single["estimate"] as? Double)
            #expect(inAll["percent_change"] != nil, "\(estimator)'s rows in all are proportional")
        }
        // The extended TWFE's level rows are not relabelled as proportional in all.
        #expect(Self.aggregate(poisson.json, estimator: "etwfe", label: "att")?["percent_change"] == nil)
        let linear = try Self.did(data, ["--estimator", "all", "--format", "json"])
        #expect(linear.status == 0, "\(linear.standardError)")
        #expect(linear.json?["estimators"] as? [String] == ["cs", "sunab", "imputation", "etwfe", "twfe"])
        // Level effects have no Poisson counterpart in all; Sun–Abraham stays refused.
        let level = try Self.did(data, ["--model", "poisson", "--estimator", "all", "--effect", "level"])
        #expect(level.status == 64 && level.standardError.contains("proportional effects"), "\(level.standardError)")
        let sunab = try Self.did(data, ["--model", "poisson", "--estimator", "sunab"])
        #expect(sunab.status == 64 && sunab.standardError.contains("Sun–Abraham is linear"), "\(sunab.standardError)")
    }

    /// The overlay draws the extended TWFE's `lr_e*` rows, not its level effects, beside the
    /// other estimators' proportional profiles and TWFE's event-study log points.
    @Test func plotOverlaysProfilesOnTheProportionalScale() throws {
        let path = try temporaryFile(Self.panel(cohorts: [2003, 2005]))
        var options = DiDOptions(outcome: "y", covariance: .cluster(["firm"]))
        options.estimator = .all
        options.model = .poisson
        options.effect = .proportional
        options.eventStudy = true
        let table = try DataReader.read(path: path, format: nil, options: CSVReadOptions())
        let results = try DiDAnalysis.run(table: table, unit: "firm", time: "year", treatment: .cohort("cohort", neverTreated: nil), options: options)
        let chart = try #require(results.comparisonChart())
        #expect(chart.series.count == 4)
        #expect(chart.yLabel.contains("log ratio of means"))
        let etwfe = try #require(results.staggered.first { $0.estimator == .etwfe })
        let expected = etwfe.estimates.filter { $0.kind == .dynamic && !$0.isOverall && $0.scale == .logRatio && $0.estimate.isFinite }
            .sorted { ($0.eventTime ?? 0) < ($1.eventTime ?? 0) }
        let drawn = try #require(chart.series.first { $0.name.hasPrefix(StaggeredEstimator.etwfe.displayName) })
        #expect(!expected.isEmpty && drawn.points.count == expected.count)
        for (point, row) in zip(drawn.points, expected) { #expect(point.y == row.estimate) }

        let svg = try temporaryOutputPath("profiles.svg")
        let run = try runQuipu(["did", "--data", path, "--unit", "firm", "--time", "year", "--cohort", "cohort", "--outcome", "y",
                                "--model", "poisson", "--estimator", "all", "--event-study", "--plot", svg])
        #expect(run.status == 0, "\(run.standardError)")
        let drawing = try String(contentsOfFile: svg, encoding: .utf8)
        for name in ["Extended TWFE (Wooldridge)", "Callaway–Sant&apos;Anna", "Imputation (BJS)", "TWFE (biased if effects vary)"] {
            #expect(drawing.contains(name), "\(name)")
        }
    }
}
