import DiD
import Foundation
import PanelData
import Primitives
import QuipuTestSupport
import Reporting
import Testing

/// Issue 25, point 3 and after: `--estimator twostage` with `--fe` against pyfixest's did2s
/// (Tests/Fixtures/twostage), `--fe` refused by Callaway–Sant'Anna, and the sample Callaway–Sant'Anna
/// keeps once covariates leave cohorts without an estimate.
@Suite struct TwoStageCommandTests {
    struct Reference: Decodable {
        struct Entry: Decodable { let eventTime: Int?, estimate: Double, stdError: Double, n: Int }
        struct Panel: Decodable { let nTreatedUnits: Int, overall: Entry, byEventTime: [Entry] }
        let dfHet: Panel, peru: Panel
    }

    static func agrees(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool { abs(a - b) <= tolerance * max(abs(a), abs(b)) }

    static func run(_ path: String, unit: String, cohort: String, outcome: String, estimator: EstimatorChoice, fe: [String]) throws -> DiDResults {
        var options = DiDOptions(outcome: outcome, covariance: .cluster([unit]))
        options.estimator = estimator
        options.extraFixedEffects = fe
        let table = try DataReader.read(path: Fixture.path(path), format: nil, options: CSVReadOptions())
        return try DiDAnalysis.run(table: table, unit: unit, time: "year", treatment: .cohort(cohort, neverTreated: nil), options: options)
    }

    @Test("twostage with --fe \"year^state\" (pyfixest's df_het) and \"year^size_class\" (Peru PUM log permanent jobs) matches did2s; its estimates equal imputation's",
          arguments: ["df_het", "peru"])
    func did2sWithExtraFixedEffects(panel: String) throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let file = try decoder.decode(Reference.self, from: try Fixture.data("Tests/Fixtures/twostage/twostage_reference.json"))
        let isPeru = panel == "peru"
        let reference = isPeru ? file.peru : file.dfHet
        let arguments = isPeru
            ? ("Datasets/peru-natural-ingredients/peru.csv", "firm_id", "pum_cohort", "log(emp_permanent)", "year^size_class")
            : ("Tests/Fixtures/twostage/df_het.csv", "unit", "g", "dep_var", "year^state")
        let twoStage = try Self.run(arguments.0, unit: arguments.1, cohort: arguments.2, outcome: arguments.3, estimator: .twostage, fe: [arguments.4])
        let imputation = try Self.run(arguments.0, unit: arguments.1, cohort: arguments.2, outcome: arguments.3, estimator: .imputation, fe: [arguments.4])
        let result = try #require(twoStage.staggered.first { $0.estimator == .twoStage })
        let other = try #require(imputation.staggered.first { $0.estimator == .imputation })
        let overall = try #require(result.index(ofLabel: "att"))
        #expect(Self.agrees(result.estimates[overall].estimate, reference.overall.estimate, 1e-6), "\(result.estimates[overall].estimate) vs \(reference.overall.estimate)")
        #expect(Self.agrees(result.standardErrors[overall], reference.overall.stdError, 1e-4), "\(result.standardErrors[overall]) vs \(reference.overall.stdError)")
        #expect(result.estimates[overall].treatedUnits == reference.nTreatedUnits)
        for row in reference.byEventTime {
            let index = try #require(result.index(ofLabel: "e\(row.eventTime ?? -99)"))
            #expect(Self.agrees(result.estimates[index].estimate, row.estimate, 1e-6), "\(panel) e\(row.eventTime ?? 0)")
            #expect(Self.agrees(result.standardErrors[index], row.stdError, 1e-4), "\(panel) e\(row.eventTime ?? 0): \(result.standardErrors[index]) vs \(row.stdError)")
        }
        #expect(result.estimates.count == other.estimates.count)
        for (a, b) in zip(result.estimates, other.estimates) { #expect(a.label == b.label && Self.agrees(a.estimate, b.estimate, 1e-10)) }
        if isPeru {
            // The issue's check: with size-class year effects the false PUM employment effect goes (truth 0).
            let row = result.rows(level: 0.95)[overall]
            let low = row.low, high = row.high
            #expect(low < 0 && high > 0, "[\(low), \(high)]")
        }
    }

    /// A small staggered panel: cohort 3 (units 1–4, x 0/1), cohort 4 (units 5–7, x = 10: no
    /// never-treated unit is alike, so its propensity score separates), never treated (8–15, x 0/1).
    static func panelCSV() -> String {
        var lines = ["unit,year,cohort,x,size,y"]
        for unit in 1...15 {
            let cohort = unit <= 4 ? 3 : unit <= 7 ? 4 : 0
            let x = unit >= 5 && unit <= 7 ? 10 : unit % 2
            for year in 1...5 {
                let treated = cohort > 0 && year >= cohort
                let y = Double(unit) * 0.3 + Double(year) * 0.5 + 0.2 * sin(Double(unit * 7 + year * 3)) + (treated ? 1.0 : 0)
                lines.append("\(unit),\(year),\(cohort),\(x),\(unit % 3 == 0 ? "big" : "small"),\(y)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func did(_ data: String, _ extra: [String]) throws -> Invocation {
        try runQuipu(["did", "--data", data, "--unit", "unit", "--time", "year", "--cohort", "cohort", "--outcome", "y"] + extra)
    }

    @Test("--estimator twostage runs (JSON names it), refuses Poisson; cs refuses --fe; a --fe on a missing column is named")
    func commandLine() throws {
        let data = try temporaryFile(Self.panelCSV())
        let json = try Self.did(data, ["--estimator", "twostage", "--fe", "year^size", "--format", "json"])
        #expect(json.status == 0, "\(json.standardError)")
        let estimators = (json.json?["inference"] as? [[String: Any]])?.compactMap { $0["estimator"] as? String }
        #expect(estimators == ["twostage"])
        #expect(!json.schemasChecked.isEmpty)

        let cs = try Self.did(data, ["--estimator", "cs", "--fe", "year^size"])
        #expect(cs.status == 1)
        let message = cs.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!message.contains("\n"), "\(message)")
        #expect(message.contains("--fe year^size: Callaway–Sant'Anna takes no further fixed effects; use --estimator imputation, twostage"), "\(message)")

        let missing = try Self.did(data, ["--estimator", "twostage", "--fe", "year^sise"])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("'sise'"), "\(missing.standardError)")

        let poisson = try Self.did(data, ["--estimator", "twostage", "--model", "poisson"])
        #expect(poisson.status == 64)
        #expect(poisson.standardError.contains("the two-stage estimator is linear"), "\(poisson.standardError)")
    }

    @Test("Callaway–Sant'Anna with a covariate that separates one cohort says which sample it kept, in text and JSON")
    func covariateSampleStated() throws {
        let data = try temporaryFile(Self.panelCSV())
        let text = try Self.did(data, ["--estimator", "cs", "--covariates", "x"])
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("Note: with covariates x, Callaway–Sant'Anna's estimates rest on 4 of the 7 treated units and 1 of the 2 cohorts it has without them (no post-treatment ATT(g,t) could be estimated for cohort 4 (3 units): overlap fails"),
                "\(text.standardOutput)")
        let json = try Self.did(data, ["--estimator", "cs", "--covariates", "x", "--format", "json"])
        let sample = try #require((json.json?["sample"] as? [[String: Any]])?.first)
        let support = try #require(sample["covariate_support"] as? [String: Any], "\(sample)")
        #expect(support["treated_units_kept"] as? Int == 4 && support["treated_units_available"] as? Int == 7)
        #expect(support["cohorts_kept"] as? Int == 1 && support["cohorts_available"] as? Int == 2)
        #expect(support["covariates"] as? [String] == ["x"])
        // The simple aggregate's own count of treated units agrees with the sample kept.
        let simple = try #require((json.json?["aggregates"] as? [[String: Any]])?.first { $0["type"] as? String == "simple" })
        #expect(simple["n_treated"] as? Int == 4 && simple["n_cohorts"] as? Int == 1, "\(simple)")
        // Without covariates nothing is said and the key is absent.
        let plain = try Self.did(data, ["--estimator", "cs", "--format", "json"])
        let plainSample = try #require((plain.json?["sample"] as? [[String: Any]])?.first)
        #expect(plainSample["covariate_support"] == nil)
    }
}

extension TwoStageCommandTests {
    @Test("imputation and twostage refuse --covariates instead of leaving them out silently")
    func covariatesRefused() throws {
        let data = try temporaryFile(Self.panelCSV())
        for estimator in ["imputation", "twostage"] {
            let run = try Self.did(data, ["--estimator", estimator, "--covariates", "x"])
            #expect(run.status == 1)
            #expect(run.standardError.contains("--covariates x: the \(estimator == "twostage" ? "two-stage" : "imputation") estimator takes no covariates"), "\(run.standardError)")
            #expect(run.standardError.contains("--fe \"year^x\""), "\(run.standardError)")
        }
    }

    @Test("the report spec's fe: passes the fixed effects to the programme's estimators and is refused with cs or an unknown column")
    func reportSpecFixedEffects() throws {
        let data = try temporaryFile(Self.panelCSV())
        func spec(_ estimators: String, _ fe: String) -> String {
            """
            title: fe
            data: \(data)
            unit: unit
            time: year
            programmes:
              - name: P
                cohort: cohort
                estimators: [\(estimators)]
                fe: "\(fe)"
            outcomes:
              - { column: y, scale: level }
            """
        }
        let refused = try runQuipu(["report", "--spec", try temporaryFile(spec("cs, twfe", "year^size"), name: "spec.yaml"), "--out", try ReportCommandTests.outputDirectory()])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("programmes[0].fe: Callaway–Sant'Anna (cs) takes no further fixed effects"), "\(refused.standardError)")
        let unknown = try runQuipu(["report", "--spec", try temporaryFile(spec("imputation", "year^sise"), name: "spec.yaml"), "--out", try ReportCommandTests.outputDirectory()])
        #expect(unknown.status != 0)
        #expect(unknown.standardError.contains("'sise' is not a column"), "\(unknown.standardError)")

        // The report's two-stage estimate is the command's with the same --fe.
        let out = try ReportCommandTests.outputDirectory()
        let report = try runQuipu(["report", "--spec", try temporaryFile(spec("twostage, imputation", "year^size"), name: "spec.yaml"), "--out", out])
        #expect(report.status == 0, "\(report.standardError)")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/results.json"))) as? [String: Any])
        let effects = try #require(results["effects"] as? [[String: Any]], "\(results.keys)")
        let reported = try #require(effects.first { $0["estimator"] as? String == "twostage" }?["estimate"] as? Double,
                                    "\(effects.map { $0["estimator"] ?? "" })")
        let command = try Self.did(data, ["--estimator", "twostage", "--fe", "year^size", "--format", "json"])
        let att = try #require((command.json?["aggregates"] as? [[String: Any]])?.first { $0["type"] as? String == "simple" }?["estimate"] as? Double)
        let plain = try Self.did(data, ["--estimator", "twostage", "--format", "json"])
        let attWithout = try #require((plain.json?["aggregates"] as? [[String: Any]])?.first { $0["type"] as? String == "simple" }?["estimate"] as? Double)
        #expect(att != attWithout)
        #expect(abs(reported - att) <= 1e-12 * abs(att), "the report's estimate \(reported) is the command's \(att)")
    }
}
