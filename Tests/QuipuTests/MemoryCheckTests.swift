import Foundation
import Testing

/// A command refuses, before reading, data that will not fit in the memory it may use, and says
/// how much it needs; --timings reports the peak memory a run used.
@Suite struct MemoryCheckTests {
    static let panel = "Tests/Fixtures/formats/panel"

    @Test(arguments: [".csv", ".arrow", ".dta", ".sav"])
    func feolsIsRefusedBeforeReadingWhenTheLimitIsTooLow(_ suffix: String) throws {
        let output = try temporaryOutputPath("result.json")
        let run = try runQuipu([
            "feols", "--data", Self.panel + suffix, "--formula", "y ~ x + treat | firm + year", "--max-memory", "1M",
            "--format", "json", "--output", output,
        ])
        #expect(run.status == 1)
        #expect(run.standardError.contains("\(Self.panel + suffix): 400 rows"), "\(run.standardError)")
        #expect(run.standardError.contains("feols would hold 5 columns"))
        #expect(run.standardError.contains("more than the 1.0 MiB that --max-memory allows; not reading it"))
        #expect(run.standardError.split(separator: "\n").count == 1)
        #expect(run.standardOutput.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func theNeedGrowsWithTheColumnsAndTheCommand() throws {
        func needed(_ arguments: [String]) throws -> String {
            let run = try runQuipu(arguments + ["--data", Self.panel + ".csv", "--max-memory", "2K"])
            #expect(run.status == 1)
            return run.standardError
        }
        #expect(try needed(["feols", "--formula", "y ~ x | firm"]).contains("feols would hold 3 columns of it, 9.4 KiB as doubles"))
        #expect(try needed(["fepois", "--formula", "treat ~ x | firm"]).contains("fepois would hold 3 columns"))
        #expect(try needed(["did", "--outcome", "y", "--unit", "firm", "--time", "year", "--treat", "treat"]).contains("did would hold 4 columns"))
        // A --subset column counts too: it is read before the filter applies.
        #expect(try needed(["feols", "--formula", "y ~ x | firm", "--subset", "year > 2010"]).contains("hold 4 columns"))
    }

    @Test func theCheckComesBeforeAnyParsing() throws {
        // A malformed last row: reading would fail on it, but the memory verdict comes first.
        var text = "y,x\n"
        for row in 0..<2000 { text += "\(row % 7).5,\(row)\n" }
        text += "1,\"unterminated\n"
        let path = try temporaryFile(text)
        let refused = try runQuipu(["feols", "--data", path, "--formula", "y ~ x", "--max-memory", "16K"])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("2,001 rows (counted)"), "\(refused.standardError)")
        let read = try runQuipu(["feols", "--data", path, "--formula", "y ~ x"])
        #expect(read.status == 1)
        #expect(!read.standardError.contains("--max-memory"))
    }

    /// Between the least and the most a command was measured to need, it warns and reads.
    @Test func aLimitThatMightSufficeWarnsAndRuns() throws {
        // 400 rows × 5 columns × 8 bytes = 16,000 bytes; plus the 40 MiB fixed cost, feols needs
        // at least 41,963,840 bytes (factor 1.3) and at most 41,983,040 (factor 2.5).
        let run = try runQuipu([
            "feols", "--data", Self.panel + ".csv", "--formula", "y ~ x + treat | firm + year", "--max-memory", "41970000",
            "--format", "json",
        ])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("quipu: warning: \(Self.panel).csv: 400 rows (counted); feols would hold 5 columns"))
        #expect(run.standardError.contains("may need up to 40.0 MiB with its working copies (at least 40.0 MiB)"))
        #expect(run.standardError.contains("reading it anyway"))
        #expect(run.json?["coefficients"] != nil)
        let refused = try runQuipu([
            "feols", "--data", Self.panel + ".csv", "--formula", "y ~ x + treat | firm + year", "--max-memory", "41960000",
        ])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("needs at least 40.0 MiB with its working copies"))
    }

    @Test func aSufficientLimitOrNoneRuns() throws {
        for limit in ["1G", "none", "2.5GiB", "500000000"] {
            let run = try runQuipu(["feols", "--data", Self.panel + ".arrow", "--formula", "y ~ x | firm", "--max-memory", limit])
            #expect(run.status == 0, "\(limit): \(run.standardError)")
        }
        // Standard input cannot be measured before reading, so it is not refused.
        let csv = try String(contentsOfFile: repositoryRoot.appendingPathComponent(Self.panel + ".csv").path, encoding: .utf8)
        let piped = try runQuipu(["feols", "--data", "-", "--formula", "y ~ x | firm", "--max-memory", "1K"], standardInput: csv)
        #expect(piped.status == 0, "\(piped.standardError)")
    }

    @Test(arguments: ["10X", "0", "", "G", "nan"])
    func badLimitsAreRefused(_ limit: String) throws {
        let run = try runQuipu(["feols", "--data", Self.panel + ".csv", "--formula", "y ~ x", "--max-memory", limit])
        #expect(run.status == 64)
        #expect(run.standardError.contains("'--max-memory <size>': must be a size such as 16G"), "\(run.standardError)")
    }

    @Test func timingsReportThePeakMemory() throws {
        for command in [["feols", "--formula", "y ~ x | firm"], ["fepois", "--formula", "treat ~ x | firm"]] {
            let run = try runQuipu(command + ["--data", Self.panel + ".csv", "--timings", "--format", "json"])
            #expect(run.status == 0)
            let line = try #require(run.standardError.split(separator: "\n").last)
            // The line is {"timings": {...}, "schema_version": "..."} (issue 20: every JSON document is versioned).
            let document = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let timings = try #require(document["timings"] as? [String: Any])
            let peak = try #require(timings["peak_memory_bytes"] as? Int)
            #expect(peak > 1 << 20 && peak < 1 << 31, "\(peak)")
            if command[0] == "feols" { #expect(timings["absorption_stage"] as? String == "alternating projections") }
        }
    }
}
