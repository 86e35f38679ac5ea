import Foundation
import Testing
#if canImport(Glibc)
import Glibc
import QuipuTestSupport
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
        var bytes = try Fixture.data("Tests/Fixtures/formats/panel.dta")
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

    /// An Arrow int64 column holds the same ids exactly (Tests/Fixtures/formats/int64_ids.arrow,
    /// written by pyarrow): read as text, they stay three firms; the null row is dropped.
    @Test func arrowInt64IdentifiersBeyondTwoToTheFiftyThreeStayDistinct() throws {
        let run = try runQuipu(["feols", "--data", "Tests/Fixtures/formats/int64_ids.arrow", "--formula", "y ~ x | firm + year",
                                "--vcov", "cluster:firm", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let effects = try #require(run.json?["fixed_effects"] as? [[String: Any]])
        #expect(effects.first { $0["name"] as? String == "firm" }?["levels"] as? Int == 3, "\(effects)")
        #expect(run.json?["nobs"] as? Int == 12)
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
        // A cluster variable of the imputation estimator, which groups rows itself.
        var lines = ["unit,year,treat,y,region"]
        for unit in 1...12 {
            for year in 2000...2004 {
                lines.append("\(unit),\(year),\(unit <= 5 && year >= 2002 + unit % 3 ? 1 : 0),\(Double(unit) * 0.1 + Double(year % 3) * 0.2),\(unit % 2 == 0 ? "2e17" : "1.5e17")")
            }
        }
        let panel = try temporaryFile(lines.joined(separator: "\n") + "\n")
        let imputation = try runQuipu(["did", "--data", panel, "--unit", "unit", "--time", "year", "--treat", "treat", "--outcome", "y",
                                       "--estimator", "imputation", "--vcov", "cluster:region"])
        #expect(imputation.status == 1)
        #expect(imputation.standardError.contains("column 'region' has 1.5e+17 at row 1, beyond ±2^53"), "\(imputation.standardError)")
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

    // MARK: 22: messages in the user's terms, exit codes

    @Test func stepwiseFunctionOutsideAFormulaIsExplainedWithoutInternalNames() throws {
        let path = try temporaryFile("y,x\n1,2\n2,3\n3,5\n")
        for arguments in [["feols", "--data", path, "--formula", "y ~ x", "--subset", "sw(x) > 1"],
                          ["did", "--data", path, "--unit", "x", "--time", "y", "--treat", "x", "--outcome", "csw(y)"]] {
            let run = try runQuipu(arguments)
            #expect(run.status != 0)
            #expect(!run.standardError.contains("MultipleFormula") && !run.standardError.contains(".expand"), "\(run.standardError)")
            #expect(run.standardError.contains("stands for several models, which only the --formula of feols and fepois expands"), "\(run.standardError)")
        }
    }

    @Test func specFilesThatAreNotYAMLSpecsSayWhatTheyAre() throws {
        let toml = try temporaryFile("[data]\npath = \"panel.csv\"\nunit = \"firm\"\n", name: "spec.toml")
        let directory = URL(fileURLWithPath: toml).deletingLastPathComponent().path
        let binary = try temporaryFile("", name: "spec.yaml")
        try Data([0xFF, 0xFE, 0x64, 0x00, 0x00, 0x61]).write(to: URL(fileURLWithPath: binary))
        let cases: [(String, String)] = [
            (toml, "is TOML, not YAML"), (directory, "is a directory: give the spec's YAML file inside it"),
            (directory + "/absent.yaml", "no such file"), (binary, "is not UTF-8 text"),
        ]
        for (spec, reason) in cases {
            let output = try temporaryOutputPath("report")
            let run = try runQuipu(["report", "--spec", spec, "--out", output])
            #expect(run.status == 1, "\(spec)")
            #expect(run.standardError.contains(reason), "\(spec): \(run.standardError)")
            #expect(!run.standardError.contains("could not be completed"), "\(run.standardError)")
        }
    }

    /// 10 rows read: --subset removes 2 (false) and 2 (NA), singletons 4, 2 observations remain;
    /// the text said "6 rows read" (the rows after the filter) and left the filter's rows out.
    @Test func subsetAndDropTalliesAddUpToTheRowsRead() throws {
        let path = try temporaryFile("y,x,firm,year\n1,2,1,2000\n2,3,1,2001\n3,,2,2000\n4,4,2,2001\n5,7,3,2000\n6,1,3,2001\n7,1,4,2001\n8,2,5,2000\n9,NA,5,2001\n10,3,6,2000\n")
        let run = try runQuipu(["feols", "--data", path, "--formula", "y ~ x | firm", "--subset", "year > 1999 & x != 3"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("subset: kept 6 of 10 rows (year > 1999 & x != 3); removed 2 rows where the condition is false and 2 rows where it is missing (NA)"), "\(run.standardOutput)")
        #expect(run.standardOutput.contains("Observations: 2 (10 rows read; dropped 4 by --subset, 4 fixed-effect singletons)"), "\(run.standardOutput)")
    }

    @Test func tableKeepsSplitLabels() throws {
        let path = try temporaryFile("y,x,g\n1,2,a\n2,3,a\n3,5,a\n4,4,b\n5,7,b\n6,1,b\n7,3,b\n")
        let fit = try runQuipu(["feols", "--data", path, "--formula", "y ~ x", "--fsplit", "g", "--format", "json"])
        #expect(fit.status == 0, "\(fit.standardError)")
        let json = try temporaryFile(fit.standardOutput, name: "split.json")
        let table = try runQuipu(["table", json])
        #expect(table.status == 0, "\(table.standardError)")
        let sampleLine = table.standardOutput.split(separator: "\n").first { $0.hasPrefix("Sample (g):") }
        #expect(sampleLine?.split(separator: " ", omittingEmptySubsequences: true).suffix(4) == ["Full", "sample", "a", "b"], "\(table.standardOutput)")
        // The table's own JSON keeps them, so a second table shows them too.
        let again = try runQuipu(["table", json, "--format", "json"])
        let reread = try runQuipu(["table", "-"], standardInput: again.standardOutput)
        #expect(reread.standardOutput.contains("Sample (g):"), "\(reread.standardOutput)")
    }

    @Test(arguments: [
        ["feols", "--vcov", "nonsense"], ["feols", "--vcov", "cluster:"], ["fepois", "--vcov", "sandwich"],
        ["feols", "--max-memory", "lots"], ["feols", "--level", "abc"], ["feols", "--threads", "-1"],
    ])
    func malformedOptionValuesExitSixtyFour(arguments: [String]) throws {
        let path = try temporaryFile("y,x,firm\n1,2,1\n2,3,1\n3,5,2\n4,4,2\n")
        let run = try runQuipu([arguments[0], "--data", path, "--formula", "y ~ x"] + arguments.dropFirst())
        #expect(run.status == 64, "\(arguments): \(run.status) \(run.standardError)")
    }

    @Test func didVcovMalformedExitsSixtyFour() throws {
        let path = try temporaryFile("unit,year,treat,y\n1,2000,0,1\n1,2001,1,2\n2,2000,0,3\n2,2001,0,4\n")
        let run = try runQuipu(["did", "--data", path, "--unit", "unit", "--time", "year", "--treat", "treat", "--outcome", "y", "--vcov", "foo"])
        #expect(run.status == 64, "\(run.standardError)")
        #expect(run.standardError.contains("'--vcov <vcov>': unknown vcov 'foo'"), "\(run.standardError)")
    }

    @Test func inputsThatAreNotUTF8CSVSaySo() throws {
        let text = "y,x\n1,2\n3,4\n5,7\n"
        var utf16 = Data([0xFF, 0xFE])
        for unit in text.utf16 { utf16.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
        let withoutMark = utf16.dropFirst(2)
        let nul = Data("y,x\n1,2\n3,\u{0}4\n5,7\n".utf8)
        let binary = Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x0A, 0x31])
        let cases: [(Data, String)] = [
            (utf16, "is not UTF-8 CSV: it is UTF-16 text"), (Data(withoutMark), "is not UTF-8 CSV: line 1 holds a NUL byte"),
            (nul, "is not UTF-8 CSV: line 3 holds a NUL byte"), (binary, "is not UTF-8 CSV: line 1 holds a NUL byte"),
        ]
        for (bytes, reason) in cases {
            let path = try temporaryFile("")
            try bytes.write(to: URL(fileURLWithPath: path))
            let run = try runQuipu(["feols", "--data", path, "--formula", "y ~ x"])
            #expect(run.status == 1)
            #expect(run.standardError.contains(reason), "\(run.standardError)")
        }
    }

    @Test func csvRenamedAsStataOrSPSSIsNamedForWhatItIs() throws {
        for (name, reason) in [("panel.dta", "not a Stata file"), ("panel.sav", "not an SPSS file")] {
            let path = try temporaryFile("firm,year,y,x\n1,2000,1,2\n1,2001,2,3\n", name: name)
            let run = try runQuipu(["feols", "--data", path, "--formula", "y ~ x"])
            #expect(run.status == 1)
            #expect(run.standardError.contains(reason) && run.standardError.contains("it starts like text ('firm,year,y,x')"), "\(run.standardError)")
        }
    }

    @Test func gzipOnStandardInputIsDetected() throws {
        let csv = try temporaryFile("y,x\n1,2\n2,3\n3,5\n4,4\n")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -c \"$0\" > \"$0.gz\"", csv]
        try gzip.run()
        gzip.waitUntilExit()
        let compressed = try Data(contentsOf: URL(fileURLWithPath: csv + ".gz"))
        for (extra, expectedStatus) in [([String](), Int32(1)), (["--format-in", "csv.gz"], Int32(0))] {
            let process = Process()
            process.executableURL = repositoryRoot.appendingPathComponent(".build/debug/quipu")
            process.arguments = ["feols", "--data", "-", "--formula", "y ~ x"] + extra
            let input = Pipe(), error = Pipe()
            process.standardInput = input
            process.standardError = error
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            input.fileHandleForWriting.write(compressed)
            try input.fileHandleForWriting.close()
            let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == expectedStatus, "\(extra): \(message)")
            if expectedStatus == 1 { #expect(message.contains("<stdin>: is gzip-compressed, not CSV text: add --format-in csv.gz"), "\(message)") }
        }
    }
}
