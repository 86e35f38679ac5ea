import Foundation
import Testing

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
}
