import Foundation
import Testing
@testable import Reporting

/// Issue 20, point 4: `quipu table`'s reader accepts exactly the keys the writers emit. It reads
/// every writer's output (the committed golden outputs of feols, a multi-model feols, fepois,
/// did and table, Tests/Fixtures/golden/), taking each fact from the key the writer puts it
/// under, and no longer takes the aliases no writer emits (`name`, `se`, `depvar`, `outcome`,
/// `r2_pseudo`, bare fixed-effect names, did results without `estimators`).
@Suite struct ModelSummaryContractTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden")

    static func document(_ name: String) throws -> (Any, [String: Any]) {
        let parsed = try JSONReader.parse(try Data(contentsOf: golden.appendingPathComponent(name)))
        return (parsed, try #require(parsed as? [String: Any]))
    }

    @Test func readsEveryRegressionWritersKeys() throws {
        for name in ["feols.json", "fepois.json"] {
            let (parsed, object) = try Self.document(name)
            let model = try #require(try ModelSummary.models(fromJSON: parsed, source: name).first)
            #expect(model.command == object["command"] as? String && model.dependent == object["dependent"] as? String, "\(name)")
            #expect(model.observations.map(Double.init) == object["nobs"] as? Double, "\(name)")
            #expect(model.vcov == object["vcov"] as? String && model.confidenceLevel == object["conf_level"] as? Double, "\(name)")
            let effects = (object["fixed_effects"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(!effects.isEmpty && model.fixedEffects == effects, "\(name)")
            #expect(model.r2 == object["r2"] as? Double && model.pseudoR2 == object["pseudo_r2"] as? Double, "\(name)")
            let rows = try #require(object["coefficients"] as? [[String: Any]])
            #expect(model.coefficients.map(\.term) == rows.map { $0["term"] as? String ?? "" }, "\(name)")
            for (coefficient, row) in zip(model.coefficients, rows) {
                #expect(coefficient.estimate == row["estimate"] as? Double && coefficient.standardError == row["std_error"] as? Double)
                #expect(coefficient.statistic == row["statistic"] as? Double && coefficient.pValue == row["p_value"] as? Double)
                #expect(coefficient.confidenceLow == row["conf_low"] as? Double && coefficient.confidenceHigh == row["conf_high"] as? Double)
            }
        }
        #expect(try ModelSummary.models(fromJSON: try Self.document("fepois.json").0, source: "p").first?.estimator == "Poisson")
    }

    @Test func readsModelListsTablesAndDiD() throws {
        let (list, listObject) = try Self.document("feols-models.json")
        #expect(try ModelSummary.models(fromJSON: list, source: "m").count == (listObject["models"] as? [Any])?.count)
        let (table, tableObject) = try Self.document("table.json")
        let tableModels = try ModelSummary.models(fromJSON: table, source: "t")
        let entries = try #require(tableObject["models"] as? [[String: Any]])
        #expect(tableModels.map(\.estimator) == entries.map { $0["estimator"] as? String ?? "" })
        let (did, didObject) = try Self.document("did.json")
        let models = try ModelSummary.models(fromJSON: did, source: "d")
        #expect(models.map(\.estimator) == ["TWFE"] && didObject["estimators"] as? [String] == ["twfe"])
        #expect(models.first?.coefficients.contains { $0.term == "ATT" } == true)
    }

    /// Keys no writer emits are not read any more.
    @Test func aliasesNoWriterEmitsAreNotRead() throws {
        let base: [String: Any] = ["command": "feols", "dependent": "y", "coefficients": [["term": "x", "estimate": 1.0]]]
        #expect(throws: TableInputError.self) {
            try ModelSummary.models(fromJSON: ["coefficients": [["name": "x", "estimate": 1.0]]], source: "a.json")
        }
        var aliased = base
        aliased["coefficients"] = [["term": "x", "estimate": 1.0, "se": 0.5]]
        aliased["r2_pseudo"] = 0.3
        aliased["fixed_effects"] = ["firm"]
        aliased["sample"] = ["split": "g", "value": 2.0]
        let model = try #require(try ModelSummary.models(fromJSON: aliased, source: "a.json").first)
        #expect(model.coefficients.first?.standardError == nil && model.pseudoR2 == nil && model.fixedEffects.isEmpty)
        #expect(model.sample?.value == nil)
        var outcome = base
        outcome["dependent"] = nil
        outcome["depvar"] = "y"
        outcome["outcome"] = "y"
        #expect(try ModelSummary.models(fromJSON: outcome, source: "a.json").first?.dependent == "")
        let oldDiD: [String: Any] = ["command": "did", "aggregates": [["estimator": "cs", "type": "simple", "label": "att", "estimate": 0.2]]]
        #expect(throws: TableInputError.self) { try ModelSummary.models(fromJSON: oldDiD, source: "d.json") }
    }
}
