import Foundation
import Primitives
import QuipuTestSupport
import Testing

/// Issue 20, point 4: `docs/schema/` validates the JSON of every command. runQuipu checks every
/// successful run of every command-line test against its command's schema
/// (CommandLine+Schemas.swift), among them the golden outputs and many runs on the whole Peru
/// panel; here each command that writes JSON runs in its variants (did with each estimator,
/// --model poisson, bootstrap, --combine, several models, --split, --subset) on a small panel built
/// in the test, so that every schema and variant is exercised whatever the other tests run. The
/// schemas are closed, so a key a writer adds without adding it to the schema fails.
@Suite struct OutputSchemaTests {
    static let peru = "Datasets/peru-natural-ingredients/peru.csv"

    /// The published schema `docs/schema/<name>.schema.json`.
    static func schema(_ name: String) throws -> JSONSchemaValidator { try PublishedSchemas.schema(name) }

    /// Records an issue for each way `text` breaks the schema `name`.
    static func expectValid(_ text: String, schema name: String, _ what: String) throws {
        try PublishedSchemas.expectValid(text, schema: name, what)
    }

    /// Runs `arguments` with --format json and --timings; runQuipu checks the output and the
    /// timings line against their schemas, and this that it found and checked both.
    static func check(_ schema: String, _ arguments: [String]) throws {
        let what = "quipu " + arguments.joined(separator: " ")
        let run = try runQuipu(arguments + ["--format", "json", "--timings", "--threads", "1"])
        #expect(run.status == 0, "\(what): \(run.standardError)")
        guard run.status == 0 else { return }
        #expect(run.schemasChecked == [schema, "timings"], "\(what): checked \(run.schemasChecked)")
    }

    /// The variants of every JSON-writing command on a panel at `data` with `unit`, `time`,
    /// `cohort`, a continuous outcome `y` (an expression, of the column `column`), a count outcome
    /// `count` with zeros, a regressor `x` and a grouping column `group`.
    static func variants(data: String, unit: String, time: String, cohort: String, y: String, column: String, count: String,
                         x: String, group: String, subset: String) -> [(String, [String])] {
        let panel = ["--data", data, "--unit", unit, "--time", time, "--cohort", cohort]
        let fe = " | \(unit) + \(time)"
        let did = ["did"] + panel + ["--outcome", y]
        return [
            ("feols", ["feols", "--data", data, "--formula", "\(y) ~ \(x)\(fe)", "--vcov", "cluster:\(unit)"]),
            ("feols", ["feols", "--data", data, "--formula", "\(y) ~ \(x)\(fe)", "--subset", subset]),
            ("feols", ["feols", "--data", data, "--formula", "\(y) ~ csw(\(x), \(count))\(fe)"]),
            ("feols", ["feols", "--data", data, "--formula", "\(y) ~ \(x)\(fe)", "--split", group]),
            ("feols", ["feols", "--data", data, "--formula", "\(y) ~ \(x)\(fe)", "--vcov", "cluster:\(unit)",
                       "--bootstrap", "wild", "--reps", "99", "--seed", "1"]),
            ("feols", ["feols", "--data", data, "--formula", "\(y) ~ \(x)\(fe)", "--vcov", "cluster:\(unit)",
                       "--bootstrap", "pairs", "--reps", "49", "--seed", "1"]),
            ("fepois", ["fepois", "--data", data, "--formula", "\(count) ~ \(x)\(fe)", "--vcov", "cluster:\(unit)"]),
            ("fepois", ["fepois", "--data", data, "--formula", "\(count) ~ sw(\(x), \(y))\(fe)", "--subset", subset]),
            ("did", did + ["--estimator", "twfe", "--event-study"]),
            ("did", did + ["--estimator", "twfe", "--event-study", "--window", "-2:2", "--subset", subset]),
            ("did", did),
            ("did", did + ["--estimator", "cs", "--control", "notyet", "--bootstrap", "multiplier", "--reps", "99", "--seed", "1",
                           "--combine", "e0 + e1"]),
            ("did", did + ["--estimator", "sunab"]),
            ("did", did + ["--estimator", "imputation", "--combine", "e0 - e1"]),
            ("did", did + ["--estimator", "all", "--event-study"]),
            ("did", did + ["--estimator", "all", "--event-study", "--sensitivity", "both", "--mbar", "0,1", "--m", "0,0.1",
                           "--sensitivity-target", "average"]),
            ("did", ["did"] + panel + ["--outcome", count, "--model", "poisson", "--event-study"]),
            ("did", ["did"] + panel + ["--outcome", count, "--model", "poisson", "--estimator", "cs"]),
            ("did", ["did"] + panel + ["--outcome", count, "--effect", "proportional", "--estimator", "imputation"]),
            ("did", did + ["--estimator", "twfe", "--decompose", "--balance"]),
            ("describe", ["describe"] + panel + ["--outcomes", "\(column),\(count)"]),
            ("describe", ["describe", "--data", data, "--unit", unit, "--time", time, "--subset", subset]),
            ("trends", ["trends"] + panel + ["--outcome", column]),
            ("trends", ["trends"] + panel + ["--outcome", count, "--stat", "median", "--by", "status", "--subset", subset]),
        ]
    }

    @Test func everyCommandOnASmallPanel() throws {
        let data = try temporaryFile(ReportPanelFixture.csv, name: "panel.csv")
        for (schema, arguments) in Self.variants(data: data, unit: "id", time: "year", cohort: "cohort", y: "jobs", column: "jobs", count: "exports",
                                                 x: "trending", group: "size", subset: "year >= 2002") {
            try Self.check(schema, arguments)
        }
    }

    /// `quipu table` reads feols, fepois and did results (and its own JSON) and writes one table.
    @Test func tableOutput() throws {
        let feols = try temporaryOutputPath("feols.json"), fepois = try temporaryOutputPath("fepois.json")
        let did = try temporaryOutputPath("did.json"), table = try temporaryOutputPath("table.json")
        let runs: [[String]] = [
            ["feols", "--data", Self.peru, "--formula", "log(sales) ~ csw(emp_permanent, emp_temporary) | firm_id + year", "--split", "size_class", "--output", feols],
            ["fepois", "--data", Self.peru, "--formula", "export_eu ~ pum_treated | firm_id + year", "--vcov", "cluster:firm_id", "--output", fepois],
            ["did", "--data", Self.peru, "--unit", "firm_id", "--time", "year", "--cohort", "pum_cohort", "--outcome", "log(sales)",
             "--subset", "pum_cohort != 2004", "--estimator", "all", "--output", did],
        ]
        for arguments in runs {
            let run = try runQuipu(arguments + ["--format", "json"])
            #expect(run.status == 0, "\(arguments[0]): \(run.standardError)")
        }
        let combined = try runQuipu(["table", feols, fepois, did, "--format", "json", "--output", table])
        #expect(combined.status == 0, "\(combined.standardError)")
        try Self.expectValid(try String(contentsOfFile: table, encoding: .utf8), schema: "table", "quipu table (feols, fepois, did)")
        let again = try runQuipu(["table", table, "--format", "json", "--ci"])
        #expect(again.status == 0, "\(again.standardError)")
        try Self.expectValid(again.standardOutput, schema: "table", "quipu table of a table")
    }

    /// `quipu report`'s results.json (with each run's full did document) and manifest.json.
    @Test func reportFiles() throws {
        let spec = try ReportPanelFixture.write(
            programme: "  - { name: Grant, cohort: cohort, estimators: [cs, twfe, sunab, imputation], window: [-3, 2] }",
            outcomes: "  - { column: jobs, scale: level }\n  - { column: sales, scale: log }")
        let out = try temporaryOutputPath("report")
        let run = try runQuipu(["report", "--spec", spec, "--out", out, "--quiet"])
        #expect(run.status == 0, "\(run.standardError)")
        guard run.status == 0 else { return }
        try Self.expectValid(try String(contentsOfFile: out + "/results.json", encoding: .utf8), schema: "report-results", "results.json")
        try Self.expectValid(try String(contentsOfFile: out + "/manifest.json", encoding: .utf8), schema: "report-manifest", "manifest.json")
    }

    /// `quipu simulate peru --truth FILE.json`, and the shipped truth file.
    @Test func simulationTruth() throws {
        let truth = try temporaryOutputPath("truth.json"), panel = try temporaryOutputPath("panel.csv")
        let run = try runQuipu(["simulate", "peru", "--seed", "3", "--firms", "200", "--selection-on-growth", "--output", panel, "--truth", truth])
        #expect(run.status == 0, "\(run.standardError)")
        try Self.expectValid(try String(contentsOfFile: truth, encoding: .utf8), schema: "simulate-truth", "simulate --truth")
        let shipped = repositoryRoot.appendingPathComponent("Datasets/peru-natural-ingredients/peru-truth.json").path
        try Self.expectValid(try String(contentsOfFile: shipped, encoding: .utf8), schema: "simulate-truth", "peru-truth.json")
    }

    /// `quipu convert` writes no JSON but its --timings line.
    @Test func convertTimings() throws {
        let arrow = try temporaryOutputPath("peru.arrow")
        let run = try runQuipu(["convert", Self.peru, arrow, "--timings"])
        #expect(run.status == 0, "\(run.standardError)")
        let line = try #require(run.standardError.split(separator: "\n").last { $0.hasPrefix("{\"timings\"") }, "no --timings line")
        try Self.expectValid(String(line), schema: "timings", "quipu convert --timings")
    }

    /// The committed golden outputs (Tests/Fixtures/golden/) satisfy their schemas too, among
    /// them a report's results.json on the Peru panel.
    @Test func goldenOutputsMatchTheirSchemas() throws {
        let golden = repositoryRoot.appendingPathComponent("Tests/Fixtures/golden")
        let schemas = ["feols.json": "feols", "feols-models.json": "feols", "fepois.json": "fepois", "did.json": "did",
                       "describe.json": "describe", "trends.json": "trends", "table.json": "table",
                       "simulate-truth.json": "simulate-truth", "report-results.json": "report-results"]
        for (file, schema) in schemas.sorted(by: { $0.key < $1.key }) {
            try Self.expectValid(try String(contentsOf: golden.appendingPathComponent(file), encoding: .utf8), schema: schema, file)
        }
    }

    /// The schemas are closed: a key no writer emits, at the top or inside a record, and a
    /// different schema_version, are rejected. Without this, the checks above could not fail.
    @Test func schemasRejectKeysTheyDoNotDescribe() throws {
        let run = try runQuipu(["feols", "--data", Self.peru, "--formula", "log(sales) ~ emp_permanent | firm_id + year", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let text = run.standardOutput
        let feols = try Self.schema("feols")
        #expect(feols.errors(try JSONInstance.parse(text)).isEmpty)
        let mutations = [
            text.replacingOccurrences(of: "\"command\": \"feols\",", with: "\"command\": \"feols\", \"new_key\": 1,"),
            text.replacingOccurrences(of: "\"term\": \"emp_permanent\",", with: "\"term\": \"emp_permanent\", \"se\": 1,"),
            text.replacingOccurrences(of: "\"schema_version\": \"\(OutputContract.schemaVersion)\"", with: "\"schema_version\": \"0.9\""),
            text.replacingOccurrences(of: "\"nobs\": ", with: "\"nobs\": \"many\", \"x\": "),
        ]
        for mutated in mutations {
            #expect(mutated != text, "the mutation did not apply")
            #expect(!feols.errors(try JSONInstance.parse(mutated)).isEmpty, "accepted: \(mutated.prefix(300))")
        }
    }
}
