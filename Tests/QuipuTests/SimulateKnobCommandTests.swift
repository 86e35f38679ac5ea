import Foundation
import Testing
import QuipuTestSupport

/// Issue 21, point 3: `quipu simulate peru`'s design knobs reach the panel and the truth file,
/// and out-of-range values stop the command with exit 64 and a message naming the option.
@Suite struct SimulateKnobCommandTests {
    @Test func knobsReachTheTruthFile() throws {
        let panel = try temporaryOutputPath("knobs.csv")
        let truth = (panel as NSString).deletingLastPathComponent + "/knobs-truth.json"
        let run = try runQuipu(["simulate", "peru", "--firms", "300", "--cbi-firms", "20", "--pum-firms", "40",
                                "--effect-scale", "0", "--output", panel, "--truth", truth])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truth))) as? [String: Any])
        let options = try #require(json["options"] as? [String: Any])
        #expect(options["effect_scale"] as? Double == 0)
        #expect(options["effects_of"] as? String == "both")
        #expect(options["cbi_firms"] as? Int == 20 && options["pum_firms"] as? Int == 40)
        // No effect anywhere: every aggregate's log and level effect is 0.
        for group in try #require(json["aggregates"] as? [[String: Any]]) {
            let simple = try #require(group["simple"] as? [String: Any])
            #expect(simple["level_effect"] as? Double == 0, "\(group["programme"] ?? "") \(group["outcome"] ?? "")")
            #expect((simple["log_effect"] as? Double ?? 0) == 0)
        }
        let rows = try String(contentsOfFile: panel, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(Set(rows.filter { $0[6] != "0" }.map { $0[0] }).count == 20, "CBI starters (cbi_start)")
        #expect(Set(rows.filter { $0[10] != "0" }.map { $0[0] }).count == 40, "PUM firms (pum_cohort)")
    }

    @Test(arguments: [
        (["--cbi-firms", "0"], "--cbi-firms must be between 1 and 150"),
        (["--firms", "200", "--pum-firms", "51"], "--pum-firms must be between 1 and 50 (a quarter of --firms 200), got 51"),
        (["--effect-scale", "12"], "--effect-scale must be a number between -10 and 10, got 12.0"),
        (["--effect-scale", "lots"], "--effect-scale"),
        (["--effects-of", "neither"], "--effects-of"),
    ])
    func badValuesStopWithExit64(arguments: [String], message: String) throws {
        let panel = try temporaryOutputPath("bad.csv")
        let run = try runQuipu(["simulate", "peru"] + arguments + ["--output", panel])
        #expect(run.status == 64)
        #expect(run.standardError.contains(message), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: panel))
    }
}
