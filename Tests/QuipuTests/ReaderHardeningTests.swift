import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 19, points 6, 8, 11, 12 and 22: identifiers beyond 2^53, empty trends, implausible row
/// counts, the cost of tables and bootstraps, and the wording and exit codes of refusals.
@Suite struct ReaderHardeningTests {
    // MARK: 8: trends of an outcome with no value

    @Test func trendsOfAnAllMissingOutcomeFailWithoutAChart() throws {
        let path = try temporaryFile("unit,year,treat,y\n1,2000,0,\n1,2001,1,NA\n2,2000,0,\n2,2001,0,\n")
        let plot = try temporaryOutputPath("trends.svg")
        let run = try runQuipu(["trends", "--data", path, "--unit", "unit", "--time", "year", "--treat", "treat",
                                "--outcome", "y", "--plot", plot])
        #expect(run.status == 1, "\(run.standardOutput)")
        #expect(run.standardError.contains("outcome 'y' has no finite value: all 4 rows are missing"), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: plot))
    }

    // MARK: 11: a header that claims more rows than the file can hold; convert's memory check

    /// panel.dta (400 rows, 7 variables) with its header's N set to 2.5·10^8: the readers size
    /// their buffers from N, so this aborted on allocation under a 1.5 GB address space.
    @Test func dtaHeaderClaimingMoreRowsThanTheFileHoldsIsRefused() throws {
        var bytes = try Data(contentsOf: repositoryRoot.appendingPathComponent("Tests/Fixtures/formats/panel.dta"))
        // Stata 119: "<N>" at byte 0x4E, then N as eight little-endian bytes.
        #expect(bytes[0x4E..<0x51] == Data("<N>".utf8))
        withUnsafeBytes(of: UInt64(250_000_000).littleEndian) { bytes.replaceSubrange(0x51..<0x59, with: $0) }
        let path = try temporaryFile("", name: "claims.dta")
        try bytes.write(to: URL(fileURLWithPath: path))
        let output = try temporaryOutputPath("claims.arrow")
        for arguments in [["convert", path, output], ["feols", "--data", path, "--formula", "y ~ x"]] {
            let run = try HardeningCommandTests.run(arguments, addressSpaceKB: 1_500_000)
            #expect(run.status == 1, "\(arguments[0]): \(run.standardError)")
            #expect(run.standardError.contains("its header announces 250000000 rows, but \(bytes.count) bytes of 7 variables hold at most"),
                    "\(run.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func convertChecksMemoryAndTakesMaxMemory() throws {
        let path = try temporaryFile("a,b,c\n1,2,x\n3,4,y\n")
        let output = try temporaryOutputPath("small.arrow")
        let refused = try runQuipu(["convert", path, output, "--max-memory", "1K"])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("2 rows (counted); convert would hold 3 columns"), "\(refused.standardError)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let malformed = try runQuipu(["convert", path, output, "--max-memory", "lots"])
        #expect(malformed.status == 64, "\(malformed.standardError)")
        let fits = try runQuipu(["convert", path, output, "--max-memory", "1G"])
        #expect(fits.status == 0, "\(fits.standardError)")
    }

    // MARK: 6: identifiers beyond 2^53

    /// Three firms whose ids differ beyond 2^53 (two of them read as the same double) count as
    /// three fixed-effect levels and three clusters, in feols and in did.
    @Test func identifiersBeyondTwoToTheFiftyThreeStayDistinct() throws {
        let ids = ["9007199254740993", "9007199254740992", "9007199254740995"]
        var lines = ["y,x,firm,year,treat"]
        for (index, id) in ids.enumerated() {
            for year in 2000...2003 {
                let x = Double((index * 7 + year * 3) % 11)
                lines.append("\(Double(index) + 0.3 * x + Double(year % 3) * 0.1),\(x),\(id),\(year),\(index == 0 && year >= 2002 ? 1 : 0)")
            }
        }
        let path = try temporaryFile(lines.joined(separator: "\n") + "\n")
        let run = try runQuipu(["feols", "--data", path, "--formula", "y ~ x | firm + year", "--vcov", "cluster:firm", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let effects = try #require(run.json?["fixed_effects"] as? [[String: Any]])
        #expect(effects.first { $0["name"] as? String == "firm" }?["levels"] as? Int == 3, "\(effects)")
        let described = try runQuipu(["describe", "--data", path, "--unit", "firm", "--time", "year", "--format", "json"])
        #expect(described.status == 0, "\(described.standardError)")
        #expect(described.standardOutput.contains("\"units\":3") || described.standardOutput.contains("\"units\": 3"), "\(described.standardOutput.prefix(400))")
        // As a number in a formula it is refused with the reason, not called text.
        let asNumber = try runQuipu(["feols", "--data", path, "--formula", "y ~ firm"])
        #expect(asNumber.status == 1)
        #expect(asNumber.standardError.contains("column 'firm' holds integers beyond ±2^53 (line 2 has '9007199254740993')"), "\(asNumber.standardError)")
    }

    /// Written in exponent notation the ids arrive as doubles, already rounded: refused, naming the
    /// column and the row, for a fixed effect and for a panel's unit.
    @Test func identifiersThatArriveAsLargeDoublesAreRefused() throws {
        let path = try temporaryFile("y,x,firm,year,treat\n1,2,1.5e17,2000,0\n2,3,1.5e17,2001,0\n3,5,2e17,2000,0\n4,4,2e17,2001,1\n5,1,3,2000,0\n6,2,3,2001,0\n")
        let feols = try runQuipu(["feols", "--data", path, "--formula", "y ~ x | firm"])
        #expect(feols.status == 1)
        #expect(feols.standardError.contains("column 'firm' has 1.5e+17 at row 1, beyond ±2^53"), "\(feols.standardError)")
        let did = try runQuipu(["did", "--data", path, "--outcome", "y", "--unit", "firm", "--time", "year", "--treat", "treat"])
        #expect(did.status == 1)
        #expect(did.standardError.contains("unit column 'firm' has 1.5e+17 at row 1"), "\(did.standardError)")
    }

    // MARK: 12: tables of many coefficients; the length of a wild bootstrap

    /// `quipu table` looked each coefficient up in a list per term and model: 20,000 took 73 s
    /// and 100,000 over a minute in release. 50,000 now take seconds even in a debug build.
    @Test func tableOfFiftyThousandCoefficientsIsQuick() throws {
        let rows = (0..<50_000).map { index in
            "{\"term\": \"x\(index)\", \"estimate\": \(Double(index) / 7), \"std_error\": 0.5, \"statistic\": 1, \"p_value\": 0.3, \"conf_low\": -1, \"conf_high\": 1}"
        }
        let json = "{\"command\": \"feols\", \"formula\": \"y ~ x\", \"dependent\": \"y\", \"nobs\": 60000, \"vcov\": \"iid\", "
            + "\"fixed_effects\": [], \"r2\": 0.5, \"conf_level\": 0.95, \"coefficients\": [" + rows.joined(separator: ",") + "]}"
        let path = try temporaryFile(json, name: "wide.json")
        let started = Date()
        let run = try runQuipu(["table", path, path, "--format", "csv"])
        let seconds = Date().timeIntervalSince(started)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.split(separator: "\n").count == 1 + 2 * 50_000)
        #expect(seconds < 60, "quipu table took \(seconds) s for 2 × 50,000 coefficients")
    }

    /// 10^8 wild-bootstrap replicates over jtrain's 54 firms fit in memory and ran for most of an
    /// hour without a word; now a timed pilot says how long before the run starts. 2·10^7 (1.8 GB
    /// of replicate buffers) take some ten minutes in a debug build: announced, then stopped.
    @Test func longWildBootstrapAnnouncesItsLengthBeforeRunning() throws {
        let process = Process()
        process.executableURL = repositoryRoot.appendingPathComponent(".build/debug/quipu")
        process.arguments = ["feols"] + HardeningCommandTests.jtrain + ["--bootstrap", "wild", "--reps", "20000000", "--param", "grant"]
        process.currentDirectoryURL = repositoryRoot
        let error = Pipe()
        process.standardError = error
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer {
            // SIGKILL: the test runner's blocked signals (SIGTERM among them) pass to its children.
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        var received = ""
        let deadline = Date().addingTimeInterval(120)
        while !received.contains("\n") && Date() < deadline && process.isRunning {
            received += String(decoding: error.fileHandleForReading.availableData, as: UTF8.self)
        }
        #expect(process.isRunning, "the run ended before 2·10^7 replicates could: \(received)")
        #expect(received.contains("warning: the wild bootstrap's 20000000 replicates over 54 clusters will take about"), "\(received)")
        #expect(received.contains("minutes") || received.contains("hours"), "\(received)")
    }
}
