import Foundation
import Testing

/// Issue 20, point 4 (one `--timings` vocabulary): every command's `--timings` line is
/// `{"timings": {...}}` with each stage's duration named `<stage>_seconds`, `read_seconds`,
/// `total_seconds` and `peak_memory_bytes` always present, and no bare `read` or `total`
/// (did, describe, trends and convert wrote those while feols and fepois wrote `read_seconds`).
@Suite struct TimingsVocabularyTests {
    /// Keys that are not durations: counts and descriptions some commands add.
    static let nonDurations: Set<String> = ["peak_memory_bytes", "read_bytes", "models", "absorption_sweeps", "absorption_stage",
                                            "solver", "irls_iterations"]

    /// The `--timings` object on the last line of standard error that holds one.
    static func timings(_ run: Invocation) throws -> [String: Any] {
        let line = try #require(run.standardError.split(separator: "\n").last { $0.hasPrefix("{\"timings\"") }, "\(run.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return try #require(object["timings"] as? [String: Any])
    }

    @Test func everyCommandUsesOneVocabulary() throws {
        let jtrain = "Datasets/jtrain/jtrain.csv", peru = "Datasets/peru-natural-ingredients/peru.csv"
        let arrow = try temporaryOutputPath("jtrain.arrow")
        let peruPanel = ["--data", peru, "--unit", "firm_id", "--time", "year", "--cohort", "pum_cohort"]
        let commands: [[String]] = [
            ["feols", "--data", jtrain, "--formula", "lscrap ~ grant | fcode + year"],
            ["feols", "--data", jtrain, "--formula", "lscrap ~ csw(grant, grant_1) | fcode + year"],
            ["fepois", "--data", jtrain, "--formula", "employ ~ grant | fcode + year"],
            ["did", "--outcome", "sales", "--estimator", "twfe"] + peruPanel,
            ["describe"] + peruPanel,
            ["trends", "--outcome", "sales"] + peruPanel,
            ["convert", jtrain, arrow],
        ]
        for command in commands {
            let run = try runQuipu(command + ["--timings"])
            #expect(run.status == 0, "\(command[0]): \(run.standardError)")
            let timings = try Self.timings(run)
            for key in ["read_seconds", "total_seconds", "peak_memory_bytes"] {
                #expect(timings[key] is NSNumber, "\(command.joined(separator: " ")): no \(key) in \(timings)")
            }
            for key in timings.keys where !Self.nonDurations.contains(key) {
                #expect(key.hasSuffix("_seconds"), "\(command[0]): '\(key)' is not named <stage>_seconds")
            }
        }
    }
}
