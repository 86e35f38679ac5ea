import Foundation
import Testing
import QuipuTestSupport

/// Every data format gives the same `feols` result as the CSV the fixtures were written from
/// (Tests/Fixtures/formats, written by pandas, pyreadstat, pyarrow and polars), and bad binary
/// input fails with one clear line and a non-zero exit.
@Suite(.tags(.slow)) struct DataFormatTests {
    static let folder = "Tests/Fixtures/formats/"
    static let formats = [
        "panel.csv.gz", "panel.dta", "panel.sav", "panel.arrow", "panel_lz4.arrow", "panel_zstd.arrow", "panel_polars.arrow",
    ]

    /// The coefficient table of a run, parsed from its JSON.
    static func estimates(_ arguments: [String]) throws -> String {
        let run = try runQuipu(arguments + ["--format", "json"])
        #expect(run.status == 0, "\(arguments): \(run.standardError)")
        let json = try #require(run.json)
        let coefficients = try #require(json["coefficients"])
        let sorted = try JSONSerialization.data(withJSONObject: coefficients, options: [.sortedKeys])
        return String(decoding: sorted, as: UTF8.self) + " n=\(json["nobs"] ?? json["observations"] ?? "")"
    }

    @Test(arguments: formats)
    func feolsMatchesTheCSV(_ file: String) throws {
        for formula in ["y ~ x + treat | firm + year", "y ~ x + i(sector) | region + year"] {
            let reference = try Self.estimates(["feols", "--data", Self.folder + "panel.csv", "--formula", formula, "--vcov", "cluster:region"])
            let other = try Self.estimates(["feols", "--data", Self.folder + file, "--formula", formula, "--vcov", "cluster:region"])
            #expect(other == reference, "\(file): \(formula)")
        }
    }

    @Test func formatInOverridesTheExtension() throws {
        let copy = try temporaryOutputPath("panel.bin")
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent(Self.folder + "panel.dta").path, toPath: copy)
        let reference = try Self.estimates(["feols", "--data", Self.folder + "panel.csv", "--formula", "y ~ x | firm"])
        #expect(try Self.estimates(["feols", "--data", copy, "--format-in", "dta", "--formula", "y ~ x | firm"]) == reference)
        let plain = try runQuipu(["feols", "--data", copy, "--formula", "y ~ x | firm"])
        #expect(plain.status != 0)
    }

    @Test func convertRoundTrips() throws {
        let output = try temporaryOutputPath("panel.arrow")
        for input in ["panel.csv", "panel.sav"] {
            let run = try runQuipu(["convert", Self.folder + input, output])
            #expect(run.status == 0, "\(run.standardError)")
            #expect(run.standardError.contains("400 rows"))
            let formula = "y ~ x + i(sector) | region + year"
            let reference = try Self.estimates(["feols", "--data", Self.folder + "panel.csv", "--formula", formula])
            #expect(try Self.estimates(["feols", "--data", output, "--formula", formula]) == reference)
        }
        let refused = try runQuipu(["convert", Self.folder + "panel.csv", try temporaryOutputPath("panel.csv")])
        #expect(refused.status != 0 && refused.standardError.contains(".arrow"))
    }

    struct BadCase: CustomTestStringConvertible, Sendable {
        let file: String
        let formula: String
        let expected: [String]
        var testDescription: String { file }
    }

    static let badCases = [
        BadCase(file: "bad/truncated.dta", formula: "y ~ x", expected: ["truncated.dta", "Stata", "truncated"]),
        BadCase(file: "bad/list_column.arrow", formula: "y ~ x + history", expected: ["'history'", "list<item: int64>"]),
        BadCase(file: "bad/not_gzip.csv.gz", formula: "y ~ x", expected: ["not_gzip.csv.gz", "gzip", "1f 8b"]),
    ]

    @Test(arguments: badCases)
    func badInputFailsClearly(_ item: BadCase) throws {
        let run = try runQuipu(["feols", "--data", Self.folder + item.file, "--formula", item.formula])
        #expect(run.status != 0)
        #expect(run.standardOutput.isEmpty)
        let lines = run.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(run.standardError)")
        for fragment in item.expected { #expect(run.standardError.contains(fragment), "\(fragment) in \(run.standardError)") }
    }

    /// An unsupported column the model does not use is skipped, like any unused column.
    @Test func unusedUnsupportedColumnIsSkipped() throws {
        let run = try runQuipu(["feols", "--data", Self.folder + "bad/list_column.arrow", "--formula", "y ~ x"])
        #expect(run.status == 0, "\(run.standardError)")
    }

    /// Truncating an Arrow file anywhere gives an error, never a crash.
    @Test func truncatedArrowNeverTraps() throws {
        let whole = try Fixture.data(Self.folder + "panel_lz4.arrow")
        for length in stride(from: 0, to: whole.count, by: max(1, whole.count / 23)) {
            let path = try temporaryOutputPath("cut.arrow")
            try whole.prefix(length).write(to: URL(fileURLWithPath: path))
            let run = try runQuipu(["feols", "--data", path, "--formula", "y ~ x"])
            #expect(run.status == 1, "length \(length): \(run.standardError)")
            #expect(run.standardError.hasPrefix("quipu: error: \(path)"))
        }
    }

    @Test("a gzip-compressed CSV with CR-only line ends reads as the plain CSV does")
    func gzipWithCarriageReturnsOnly() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent(Self.folder + "panel.csv"), encoding: .utf8)
        let crOnly = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r")
        let plain = try temporaryFile(crOnly, name: "cr.csv")
        // gzip from the system, as evaluators' files are made; -n keeps the header free of names and times.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-n", "-k", plain]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let formula = ["--formula", "y ~ x + i(sector) | region + year", "--vcov", "cluster:region"]
        let reference = try Self.estimates(["feols", "--data", Self.folder + "panel.csv"] + formula)
        #expect(try Self.estimates(["feols", "--data", plain + ".gz"] + formula) == reference)
    }
}
