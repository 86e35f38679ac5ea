import Foundation
import Testing
import QuipuTestSupport

/// The shipped Peru panel keeps demonstrating the staggered-adoption problem and its fix: for the
/// PUM missions (14 cohorts, effects growing with time since support), every heterogeneity-robust
/// estimator's 95% interval covers the truth file's simple ATT, and TWFE's does not.
@Suite(.tags(.slow)) struct StaggeredPeruTests {
    static let folder = "Datasets/peru-natural-ingredients"

    static func truth(_ outcome: String) throws -> Double {
        let json = try Fixture.jsonObject("\(folder)/peru-truth.json")
        let aggregates = try #require(json["aggregates"] as? [[String: Any]])
        let entry = try #require(aggregates.first { $0["programme"] as? String == "pum" && $0["outcome"] as? String == outcome })
        return try #require((entry["simple"] as? [String: Any])?["log_effect"] as? Double)
    }

    @Test(arguments: ["sales", "export_eu", "export_non_eu"])
    func robustEstimatorsCoverTheTruthAndTWFEDoesNot(outcome: String) throws {
        let run = try runQuipu(["did", "--data", "\(Self.folder)/peru.csv", "--outcome", "log(\(outcome))", "--unit", "firm_id",
                                "--time", "year", "--cohort", "pum_cohort", "--estimator", "all", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let truth = try Self.truth(outcome)
        let simple = ((run.json?["aggregates"] as? [[String: Any]]) ?? []).filter { $0["type"] as? String == "simple" }
        #expect(Set(simple.compactMap { $0["estimator"] as? String }) == ["cs", "sunab", "imputation", "etwfe", "twfe"])
        for entry in simple {
            let estimator = entry["estimator"] as? String ?? ""
            let low = try #require(entry["conf_low"] as? Double), high = try #require(entry["conf_high"] as? Double)
            let covers = low <= truth && truth <= high
            if estimator == "twfe" {
                #expect(!covers, "TWFE [\(low), \(high)] should miss the true \(truth) for log(\(outcome))")
            } else {
                #expect(covers, "\(estimator) [\(low), \(high)] should cover the true \(truth) for log(\(outcome))")
            }
        }
        // The samples say what each estimator used, and the log's zeros are counted as such.
        let samples = (run.json?["sample"] as? [[String: Any]]) ?? []
        #expect(samples.count == 5)
        if outcome != "sales" {
            let drops = (samples.first?["dropped"] as? [[String: Any]]) ?? []
            #expect(drops.contains { ($0["reason"] as? String)?.contains("zero or negative") == true && ($0["rows"] as? Int ?? 0) > 1000 })
        }
    }

    /// `auto` with staggered cohorts puts Callaway–Sant'Anna first and TWFE beside it, with the
    /// Goodman-Bacon weight on later-vs-earlier comparisons in the note.
    @Test func autoHeadlinesTheRobustEstimate() throws {
        let run = try runQuipu(["did", "--data", "\(Self.folder)/peru.csv", "--outcome", "log(sales)", "--unit", "firm_id",
                                "--time", "year", "--cohort", "pum_cohort", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.json?["estimators"] as? [String] == ["cs", "twfe"])
        let headline = try #require(run.json?["headline"] as? String)
        #expect(headline.contains("Goodman-Bacon") && headline.contains("already-treated"))
        let text = try runQuipu(["did", "--data", "\(Self.folder)/peru.csv", "--outcome", "log(sales)", "--unit", "firm_id",
                                 "--time", "year", "--cohort", "pum_cohort"])
        let callaway = try #require(text.standardOutput.range(of: "== Callaway–Sant'Anna (headline) =="))
        let twfe = try #require(text.standardOutput.range(of: "== TWFE (for comparison"))
        #expect(callaway.lowerBound < twfe.lowerBound)
        // One treated cohort: today's TWFE output, unchanged.
        let single = try runQuipu(["did", "--data", "\(Self.folder)/peru.csv", "--outcome", "log(sales)", "--unit", "firm_id",
                                   "--time", "year", "--cohort", "cbi_cohort", "--format", "json"])
        #expect(single.json?["estimators"] as? [String] == ["twfe"])
        #expect(single.json?["headline"] is NSNull)
    }
}
