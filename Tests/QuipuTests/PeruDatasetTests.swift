import Foundation
import Testing
import QuipuTestSupport

/// The shipped simulated Peru panel: reproducible byte for byte, usable by every command, and
/// designed so that two-way fixed effects misses the true staggered PUM effect.
@Suite struct PeruDatasetTests {
    let folder = "Datasets/peru-natural-ingredients"

    @Test func regeneratesByteForByte() throws {
        let data = try temporaryOutputPath("peru.csv")
        let truth = (data as NSString).deletingLastPathComponent + "/peru-truth.csv"
        let truthJSON = (data as NSString).deletingLastPathComponent + "/peru-truth.json"
        #expect(try runQuipu(["simulate", "peru", "--seed", "1", "--output", data, "--truth", truth]).status == 0)
        #expect(try runQuipu(["simulate", "peru", "--seed", "1", "--truth", truthJSON]).status == 0)
        for (generated, shipped) in [(data, "peru.csv"), (truth, "peru-truth.csv"), (truthJSON, "peru-truth.json")] {
            let ours = try Data(contentsOf: URL(fileURLWithPath: generated))
            let theirs = try Fixture.data("\(folder)/\(shipped)")
            #expect(ours == theirs, "\(shipped) differs from a fresh `quipu simulate peru --seed 1`")
        }
    }

    @Test func describeAndFixedEffectsRunCleanly() throws {
        let describe = try runQuipu(["describe", "--data", "\(folder)/peru.csv", "--unit", "firm_id", "--time", "year",
                                     "--cohort", "pum_cohort", "--outcomes", "export_eu,export_non_eu,emp_permanent,sales"])
        #expect(describe.status == 0, "\(describe.standardError)")
        let feols = try runQuipu(["feols", "--data", "\(folder)/peru.csv", "--formula", "log(sales) ~ pum_treated + cbi_treated | firm_id + year",
                                  "--vcov", "cluster:firm_id", "--format", "json"])
        #expect(feols.status == 0, "\(feols.standardError)")
        #expect((feols.json?["nobs"] as? Int ?? 0) > 6000)
    }

    /// The true simple ATT of a programme on an outcome, from the shipped truth file.
    func trueEffect(programme: String, outcome: String) throws -> Double {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("\(folder)/peru-truth.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(lines.first)
        let kind = try #require(header.firstIndex(of: "kind")), prog = try #require(header.firstIndex(of: "programme"))
        let out = try #require(header.firstIndex(of: "outcome")), effect = try #require(header.firstIndex(of: "log_effect"))
        let row = try #require(lines.first { $0.count > effect && $0[kind] == "simple" && $0[prog] == programme && $0[out] == outcome })
        return try #require(Double(row[effect]))
    }

    @Test(arguments: ["sales", "export_non_eu"])
    func twoWayFixedEffectsMissesTheStaggeredTruth(outcome: String) throws {
        let run = try runQuipu(["feols", "--data", "\(folder)/peru.csv", "--formula", "log(\(outcome)) ~ pum_treated + cbi_treated | firm_id + year",
                                "--vcov", "cluster:firm_id", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let pum = try #require((run.json?["coefficients"] as? [[String: Any]])?.first { $0["term"] as? String == "pum_treated" })
        let estimate = try #require(pum["estimate"] as? Double), error = try #require(pum["std_error"] as? Double)
        let truth = try trueEffect(programme: "pum", outcome: outcome)
        // Effects that grow with time since support and differ by cohort bias TWFE downwards:
        // the miss is beyond what sampling error explains (more than two standard errors).
        #expect(abs(estimate - truth) > 2 * error, "TWFE \(estimate) (SE \(error)) vs truth \(truth)")
        #expect(estimate < truth)
    }

    @Test func pretrendTestSeesSelectionOnGrowthOnly() throws {
        let growth = try temporaryOutputPath("growth.csv")
        #expect(try runQuipu(["simulate", "peru", "--seed", "1", "--selection-on-growth", "--output", growth]).status == 0)
        var pValues = [Double]()
        for data in ["\(folder)/peru.csv", growth] {
            let run = try runQuipu(["did", "--data", data, "--outcome", "log(sales)", "--unit", "firm_id", "--time", "year",
                                    "--cohort", "cbi_cohort", "--event-study", "--window", "-6:3", "--format", "json"])
            #expect(run.status == 0, "\(run.standardError)")
            pValues.append(try #require(TWFEJSON.pretrendTest(run.json)?["p_value"] as? Double))
        }
        #expect(pValues[0] > 0.05, "selection on levels: parallel trends hold, the test should not reject")
        #expect(pValues[1] < 0.01, "selection on growth: the test should reject")
    }
}
