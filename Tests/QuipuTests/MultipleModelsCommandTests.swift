import Foundation
import Testing

/// `c()`, `sw()`, `csw()`, `--split` and `--fsplit`: each model of a multiple estimation equals
/// the same model run on its own (on a CSV filtered by this test for a split sample).
@Suite struct MultipleModelsCommandTests {
    let peru = "Datasets/peru-natural-ingredients/peru.csv"
    let panelEffects = "| firm_id + year"

    /// The models of a multiple-estimation JSON output.
    func models(_ run: Invocation) -> [[String: Any]] {
        run.json?["models"] as? [[String: Any]] ?? []
    }

    /// A model's object without the fields only a multiple estimation adds.
    func withoutIdentity(_ model: [String: Any]) -> NSDictionary {
        var copy = model
        copy["label"] = nil
        copy["sample"] = nil
        return NSDictionary(dictionary: copy)
    }

    /// The single-model JSON of `formula` on `data`.
    func single(_ formula: String, data: String, extra: [String] = []) throws -> NSDictionary {
        let run = try runQuipu(["feols", "--data", data, "--formula", formula, "--format", "json"] + extra)
        #expect(run.status == 0, "\(run.standardError)")
        return NSDictionary(dictionary: run.json ?? [:])
    }

    /// `peru.csv` restricted to the rows whose `column` is `value`, written to a temporary file.
    func filteredPeru(column: String, value: String) throws -> String {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent(peru), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst()
        let position = try #require(header.split(separator: ",").firstIndex { $0 == column })
        let kept = lines.filter { $0.split(separator: ",", omittingEmptySubsequences: false)[position] == value }
        return try temporaryFile(([header] + kept).joined(separator: "\n") + "\n", name: "peru-\(value).csv")
    }

    @Test func combinedOutcomesEqualSeparateRuns() throws {
        let run = try runQuipu(["feols", "--data", peru, "--formula", "c(export_eu, export_non_eu) ~ cbi_treated + pum_treated \(panelEffects)",
                                "--vcov", "cluster:firm_id", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let found = models(run)
        #expect(found.count == 2)
        for (model, outcome) in zip(found, ["export_eu", "export_non_eu"]) {
            let expected = try single("\(outcome) ~ cbi_treated + pum_treated \(panelEffects)", data: peru, extra: ["--vcov", "cluster:firm_id"])
            #expect(withoutIdentity(model) == expected, "model of \(outcome) differs from its own run")
            #expect(model["label"] as? String == "Dep. var.: \(outcome)")
            #expect(model["sample"] is NSNull)
        }
    }

    @Test func stepwiseRegressorsEqualSeparateRuns() throws {
        let cases: [(String, [String])] = [
            ("export_eu ~ sw(cbi_treated, pum_treated) \(panelEffects)",
             ["export_eu ~ cbi_treated \(panelEffects)", "export_eu ~ pum_treated \(panelEffects)"]),
            ("export_eu ~ emp_permanent + csw(cbi_treated, pum_treated) \(panelEffects)",
             ["export_eu ~ emp_permanent + cbi_treated \(panelEffects)", "export_eu ~ emp_permanent + cbi_treated + pum_treated \(panelEffects)"]),
            ("export_eu ~ csw0(cbi_treated, pum_treated) | firm_id",
             ["export_eu ~ 1 | firm_id", "export_eu ~ cbi_treated | firm_id", "export_eu ~ cbi_treated + pum_treated | firm_id"]),
            ("export_eu ~ cbi_treated | sw0(firm_id, firm_id + year)",
             ["export_eu ~ cbi_treated", "export_eu ~ cbi_treated | firm_id", "export_eu ~ cbi_treated | firm_id + year"]),
        ]
        for (formula, expected) in cases {
            let run = try runQuipu(["feols", "--data", peru, "--formula", formula, "--format", "json"])
            #expect(run.status == 0, "\(run.standardError)")
            let found = models(run)
            #expect(found.map { $0["formula"] as? String } == expected.map { Optional($0) })
            for (model, separate) in zip(found, expected) {
                #expect(withoutIdentity(model) == (try single(separate, data: peru)), "\(separate) differs from its own run")
            }
        }
    }

    @Test func modelsComeInFixestOrder() throws {
        // Sample, then outcome, then fixed effects, then regressors (fixest's documented order).
        let run = try runQuipu(["feols", "--data", peru, "--formula", "c(export_eu, export_non_eu) ~ sw(cbi_treated, pum_treated) | sw0(firm_id)",
                                "--fsplit", "size_class", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let found = models(run)
        #expect(found.count == 5 * 2 * 2 * 2)
        let first = found.prefix(8).map { $0["formula"] as? String ?? "" }
        #expect(first == [
            "export_eu ~ cbi_treated", "export_eu ~ pum_treated",
            "export_eu ~ cbi_treated | firm_id", "export_eu ~ pum_treated | firm_id",
            "export_non_eu ~ cbi_treated", "export_non_eu ~ pum_treated",
            "export_non_eu ~ cbi_treated | firm_id", "export_non_eu ~ pum_treated | firm_id",
        ])
        let values = stride(from: 0, to: found.count, by: 8).map { (found[$0]["sample"] as? [String: Any])?["value"] }
        #expect(values.map { $0 as? String } == [nil, "large", "medium", "micro", "small"])
        #expect(found[0]["label"] as? String == "Sample: full; Dep. var.: export_eu; Expl. vars.: cbi_treated; Fixed-effects: none")
    }

    @Test func splitEqualsFilteringTheCSV() throws {
        let formulas = ["export_eu ~ cbi_treated + pum_treated \(panelEffects)", "log(sales) ~ cbi_treated + i(subsector) | year"]
        for formula in formulas {
            let run = try runQuipu(["feols", "--data", peru, "--formula", formula, "--split", "size_class",
                                    "--vcov", "cluster:firm_id", "--format", "json"])
            #expect(run.status == 0, "\(run.standardError)")
            let found = models(run)
            #expect(found.count == 4)
            for (model, level) in zip(found, ["large", "medium", "micro", "small"]) {
                let sample = model["sample"] as? [String: Any]
                #expect(sample?["split"] as? String == "size_class")
                #expect(sample?["value"] as? String == level)
                #expect(model["label"] as? String == "Sample: size_class = \(level); Dep. var.: \(formula.hasPrefix("log") ? "log(sales)" : "export_eu")")
                let filtered = try filteredPeru(column: "size_class", value: level)
                let expected = try single(formula, data: filtered, extra: ["--vcov", "cluster:firm_id"])
                #expect(withoutIdentity(model) == expected, "\(formula) on size_class = \(level) differs from the filtered CSV")
            }
        }
    }

    @Test func fsplitPutsTheFullSampleFirst() throws {
        let formula = "export_eu ~ cbi_treated \(panelEffects)"
        let run = try runQuipu(["feols", "--data", peru, "--formula", formula, "--fsplit", "size_class", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let found = models(run)
        #expect(found.count == 5)
        let full = try #require(found.first)
        #expect((full["sample"] as? [String: Any])?["value"] is NSNull)
        #expect(withoutIdentity(full) == (try single(formula, data: peru)))
    }

    @Test func oneModelKeepsTheSingleObject() throws {
        let run = try runQuipu(["feols", "--data", peru, "--formula", "export_eu ~ cbi_treated \(panelEffects)", "--format", "json"])
        #expect(run.json?["models"] == nil)
        #expect(run.json?["coefficients"] != nil)
    }

    @Test func textCSVAndMarkdownNameEachModel() throws {
        let arguments = ["feols", "--data", peru, "--formula", "c(export_eu, export_non_eu) ~ cbi_treated | firm_id", "--split", "size_class"]
        let text = try runQuipu(arguments)
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("Model 1 of 8: Sample: size_class = large; Dep. var.: export_eu\n"))
        #expect(text.standardOutput.contains("Model 8 of 8: Sample: size_class = small; Dep. var.: export_non_eu\n"))
        let csv = try runQuipu(arguments + ["--format", "csv"])
        let lines = csv.standardOutput.split(separator: "\n")
        #expect(lines.first == "model,sample_split,sample_value,dependent,formula,term,estimate,std_error,statistic,p_value,conf_low,conf_high")
        // Micro firms are never treated: cbi_treated is absorbed by firm_id, so models 5 and 6
        // have no coefficient rows.
        #expect(lines.count == 1 + 6)
        #expect(!lines.contains { $0.hasPrefix("5,") || $0.hasPrefix("6,") })
        #expect(lines[1].hasPrefix("1,size_class,large,export_eu,export_eu ~ cbi_treated | firm_id,cbi_treated,"))
        let markdown = try runQuipu(arguments + ["--format", "markdown"])
        #expect(markdown.standardOutput.components(separatedBy: "### Model ").count == 1 + 8)
    }

    @Test func textOutcomeInCombineIsAClearError() throws {
        let run = try runQuipu(["feols", "--data", peru, "--formula", "c(export_eu, subsector) ~ cbi_treated | firm_id"])
        #expect(run.status == 1)
        #expect(run.standardOutput.isEmpty)
        #expect(run.standardError.contains("the outcome column 'subsector' holds text"))
    }

    @Test func unknownSplitColumnSuggestsOne() throws {
        let run = try runQuipu(["feols", "--data", peru, "--formula", "export_eu ~ cbi_treated", "--split", "size_clas"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("'size_clas'") && run.standardError.contains("did you mean 'size_class'"))
        let both = try runQuipu(["feols", "--data", peru, "--formula", "export_eu ~ cbi_treated", "--split", "size_class", "--fsplit", "size_class"])
        #expect(both.status != 0)
        #expect(both.standardError.contains("not both"))
    }

    @Test func aLevelTooSmallFailsAloneAndEveryFailureFailsTheCommand() throws {
        let data = try temporaryFile("y,x,g\n1,2,a\n2,3,a\n3,5,a\n4,4,a\n5,7,b\n")
        let run = try runQuipu(["feols", "--data", data, "--formula", "y ~ x", "--split", "g", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let found = models(run)
        #expect(found.count == 2)
        #expect(found[0]["coefficients"] != nil)
        #expect((found[1]["error"] as? String)?.contains("no variation") == true)
        #expect(run.json?["n_failed"] as? Int == 1)
        #expect(run.standardError.contains("warning: model 2 of 2 (Sample: g = b; Dep. var.: y) failed"))
        // The outcome is constant within each level: no model can be fitted.
        let constant = try temporaryFile("y,x,g\n1,2,a\n1,3,a\n5,4,b\n5,7,b\n")
        let allFail = try runQuipu(["feols", "--data", constant, "--formula", "y ~ x", "--split", "g", "--format", "json"])
        #expect(allFail.status == 1)
        #expect(allFail.standardOutput.isEmpty)
        #expect(allFail.standardError.contains("all 2 models failed"))
    }

    @Test(arguments: [
        ("y ~ sw(a, b) + csw(c, d)", "only one multiple-estimation function per part"),
        ("y ~ i(sw(a, b))", "sw() cannot be used inside i()"),
        ("y ~ x:csw(a, b)", "must be added as a whole term"),
        ("y ~ c(a, b)", "c() lists outcomes and belongs before '~'"),
    ])
    func misusedStepwiseFunctionsAreClearErrors(formula: String, message: String) throws {
        let run = try runQuipu(["feols", "--data", peru, "--formula", formula])
        #expect(run.status == 1)
        #expect(run.standardError.contains(message), "\(run.standardError)")
    }
}
