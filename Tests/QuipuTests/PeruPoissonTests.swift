import Foundation
import Testing
import QuipuTestSupport

/// The Peru panel through `fepois`: the five outcomes of an evaluation in one call, side by side in
/// one `quipu table`, and the EU-export effect against the truth's ratio estimand.
@Suite struct PeruPoissonTests {
    static let data = "Datasets/peru-natural-ingredients/peru.csv"
    static let outcomes = ["export_eu", "export_non_eu", "emp_permanent", "emp_temporary", "sales"]

    /// The truth's log ratio of means (what Poisson targets) for CBI on `outcome`, all treated firm-years.
    static func truthRatio(_ outcome: String) throws -> Double {
        let root = try Fixture.jsonObject("Datasets/peru-natural-ingredients/peru-truth.json")
        let aggregates = try #require(root["aggregates"] as? [[String: Any]])
        let entry = try #require(aggregates.first { $0["programme"] as? String == "cbi" && $0["outcome"] as? String == outcome })
        let simple = try #require(entry["simple"] as? [String: Any])
        return try #require(simple["log_ratio_of_means"] as? Double)
    }

    static func coefficient(_ model: [String: Any], _ term: String) throws -> [String: Any] {
        let rows = try #require(model["coefficients"] as? [[String: Any]])
        return try #require(rows.first { $0["term"] as? String == term })
    }

    @Test("five outcomes in one fepois call; the EU-export interval covers the truth's ratio of means; one table shows them")
    func fiveOutcomesAndTheTruth() throws {
        let formula = "c(\(Self.outcomes.joined(separator: ", "))) ~ cbi_treated | firm_id + year"
        let output = try temporaryOutputPath("poisson.json")
        let run = try runQuipu(["fepois", "--data", Self.data, "--formula", formula, "--vcov", "cluster:firm_id",
                                "--format", "json", "--output", output])
        #expect(run.status == 0, "\(run.standardError)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any])
        let models = try #require(root["models"] as? [[String: Any]])
        #expect(models.map { $0["dependent"] as? String } == Self.outcomes)

        let exports = try Self.coefficient(models[0], "cbi_treated")
        let low = try #require(exports["conf_low"] as? Double), high = try #require(exports["conf_high"] as? Double)
        let truth = try Self.truthRatio("export_eu")
        #expect(low < truth && truth < high, "95% interval [\(low), \(high)] should cover the ratio estimand \(truth)")
        // Zeros are kept: far more firm-years than a log(export_eu) regression has.
        #expect((models[0]["nobs"] as? Int ?? 0) > 3_000)

        let table = try runQuipu(["table", output, "--format", "csv", "--digits", "6"])
        #expect(table.status == 0, "\(table.standardError)")
        let lines = table.standardOutput.split(separator: "\n").map(String.init)
        let header = try #require(lines.first).split(separator: ",").map(String.init)
        let termColumn = try #require(header.firstIndex(of: "term"))
        let estimateColumn = try #require(header.firstIndex(of: "estimate"))
        let estimates = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            .filter { $0.count > estimateColumn && $0[termColumn] == "cbi_treated" }
            .compactMap { Double($0[estimateColumn]) }
        #expect(estimates.count == Self.outcomes.count)
        for (shown, model) in zip(estimates, models) {
            let estimate = try #require(try Self.coefficient(model, "cbi_treated")["estimate"] as? Double)
            #expect(abs(shown - estimate) <= 1e-12 * max(1, abs(estimate)), "\(shown) vs \(estimate)")
        }
    }

    @Test("fepois --split gives the numbers of the filtered file, and --subset those of the subset file")
    func splitAndSubsetEqualFilteredFiles() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent(Self.data), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let sizeColumn = try #require(header.firstIndex(of: "size_class"))
        let small = [lines[0]] + lines.dropFirst().filter { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)[sizeColumn] == "small" }
        let filtered = try temporaryFile(small.joined(separator: "\n") + "\n", name: "small.csv")
        let formula = "export_eu ~ cbi_treated | firm_id + year"
        let common = ["--formula", formula, "--vcov", "cluster:firm_id", "--format", "json"]

        let direct = try #require(try runQuipu(["fepois", "--data", filtered] + common).json)
        let subset = try #require(try runQuipu(["fepois", "--data", Self.data, "--subset", "size_class == 'small'"] + common).json)
        let split = try #require(try runQuipu(["fepois", "--data", Self.data, "--split", "size_class"] + common).json)
        let splitModels = try #require(split["models"] as? [[String: Any]])
        let splitSmall = try #require(splitModels.first { ($0["sample"] as? [String: Any])?["value"] as? String == "small" })
        let reference = try Self.coefficient(direct, "cbi_treated")
        for candidate in [subset, splitSmall] {
            let row = try Self.coefficient(candidate, "cbi_treated")
            for key in ["estimate", "std_error"] {
                let a = try #require(row[key] as? Double), b = try #require(reference[key] as? Double)
                #expect(abs(a - b) <= 1e-12 * abs(b), "\(key): \(a) vs \(b)")
            }
            #expect(candidate["nobs"] as? Int == direct["nobs"] as? Int)
        }
        #expect((subset["subset"] as? [String: Any]) != nil)
    }

    @Test("rows a transformation drops are counted by reason in fepois's text and JSON")
    func transformationDropsByReason() throws {
        let arguments = ["fepois", "--data", Self.data, "--formula", "export_eu ~ cbi_treated + log(export_non_eu) | firm_id + year"]
        let text = try runQuipu(arguments)
        #expect(text.status == 0 && text.standardOutput.contains("log of zero or negative"), "\(text.standardOutput)")
        let json = try #require(try runQuipu(arguments + ["--format", "json"]).json)
        let dropped = try #require(json["dropped"] as? [String: Any])
        let reasons = try #require(dropped["undefined_transforms"] as? [[String: Any]])
        #expect(reasons.first?["reason"] as? String == "log of zero or negative")
        #expect((reasons.first?["rows"] as? Int ?? 0) == dropped["undefined_transform"] as? Int)
        #expect((dropped["undefined_transform"] as? Int ?? 0) > 1_000)
    }
}
