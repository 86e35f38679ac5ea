import Foundation
import QuipuTestSupport
import Testing

/// `quipu did --effect proportional` (issue 22, point 2) through the command line: the scale in
/// every output, the refusals, and the Peru panel's PUM export effects against the truth file.
@Suite struct DidProportionalCommandTests {
    static let peru = "Datasets/peru-natural-ingredients/peru.csv"

    /// A small staggered panel with a count outcome `y` (zeros included) and, when asked, one
    /// negative value.
    static func panel(negative: Bool = false) -> String {
        var lines = ["firm,year,cohort,y"]
        for firm in 1...30 {
            let cohort = [2003, 2004, 0][firm % 3]
            for year in 2001...2005 {
                var y = Double((firm * 37 + year * 11) % 9)
                if cohort > 0 && year >= cohort { y += 2 }
                if negative && firm == 7 && year == 2002 { y = -3 }
                lines.append("\(firm),\(year),\(cohort),\(y)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func did(_ data: String, _ extra: [String]) throws -> Invocation {
        try runQuipu(["did", "--data", data, "--unit", "firm", "--time", "year", "--cohort", "cohort", "--outcome", "y"] + extra)
    }

    @Test(arguments: [["--estimator", "cs", "--effect", "proportional"], ["--estimator", "imputation", "--model", "poisson"]])
    func negativeOutcomesAreRefusedNamingTheColumn(extra: [String]) throws {
        let data = try temporaryFile(Self.panel(negative: true))
        let run = try Self.did(data, extra)
        #expect(run.status == 1, "\(run.standardError)")
        let lines = run.standardError.split(separator: "\n")
        #expect(lines.count == 1 && run.standardError.contains("outcome 'y' has 1 negative value") && run.standardError.contains("--effect proportional"),
                "\(run.standardError)")
    }

    @Test func proportionalRowsCarryPercentChanges() throws {
        let data = try temporaryFile(Self.panel())
        for estimator in ["cs", "imputation"] {
            let run = try Self.did(data, ["--estimator", estimator, "--model", "poisson", "--format", "json"])
            #expect(run.status == 0, "\(run.standardError)")
            let json = try #require(run.json)
            #expect(json["effect"] as? String == "proportional")
            let aggregates = try #require(json["aggregates"] as? [[String: Any]])
            let simple = try #require(aggregates.first { $0["type"] as? String == "simple" })
            let estimate = try #require(simple["estimate"] as? Double), percent = try #require(simple["percent_change"] as? Double)
            #expect(abs(percent - 100 * expm1(estimate)) < 1e-9)
            let text = try Self.did(data, ["--estimator", estimator, "--effect", "proportional"])
            #expect(text.standardOutput.contains("% change") && text.standardOutput.contains("Chen & Roth 2024"), "\(text.standardOutput)")
            let markdown = try Self.did(data, ["--estimator", estimator, "--effect", "proportional", "--format", "markdown"])
            #expect(markdown.standardOutput.contains("% change |") && markdown.standardOutput.contains("log ratios"), "\(markdown.standardOutput)")
        }
        // Level effects keep their layout: no percent fields, no effect field.
        let level = try #require(try Self.did(data, ["--estimator", "cs", "--format", "json"]).json)
        #expect(level["effect"] == nil)
    }

    @Test func proportionalNeedsARobustEstimatorOrPoisson() throws {
        let data = try temporaryFile(Self.panel())
        let run = try Self.did(data, ["--estimator", "twfe", "--effect", "proportional"])
        #expect(run.status == 64)
        #expect(run.standardError.contains("--model poisson"), "\(run.standardError)")
        let bootstrap = try Self.did(data, ["--estimator", "cs", "--effect", "proportional", "--bootstrap", "multiplier"])
        #expect(bootstrap.status == 64 && bootstrap.standardError.contains("analytic"), "\(bootstrap.standardError)")
    }

    /// PUM on EU and non-EU exports: the Poisson imputation's 95% intervals cover the truth file's
    /// log ratios of means (0.304 and 0.353, peru-truth.json).
    @Test(.tags(.slow)) func peruPoissonImputationCoversTheTruth() throws {
        let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: repositoryRoot.appendingPathComponent("Datasets/peru-natural-ingredients/peru-truth.json"))) as? [String: Any]
        let aggregates = try #require(truth?["aggregates"] as? [[String: Any]])
        for outcome in ["export_eu", "export_non_eu"] {
            let entry = try #require(aggregates.first { $0["programme"] as? String == "pum" && $0["outcome"] as? String == outcome })
            let target = try #require((entry["simple"] as? [String: Any])?["log_ratio_of_means"] as? Double)
            let run = try runQuipu(["did", "--data", Self.peru, "--unit", "firm_id", "--time", "year", "--cohort", "pum_cohort", "--outcome", outcome,
                                    "--model", "poisson", "--estimator", "imputation", "--format", "json"])
            #expect(run.status == 0, "\(run.standardError)")
            let simple = try #require((run.json?["aggregates"] as? [[String: Any]])?.first { $0["type"] as? String == "simple" })
            let low = try #require(simple["conf_low"] as? Double), high = try #require(simple["conf_high"] as? Double)
            #expect(low < target && target < high, "\(outcome): [\(low), \(high)] against \(target)")
        }
    }
}
