import Foundation
import Testing

/// `quipu report` as an evaluator reads it (issue 19): numbers with their digits, the data
/// readers of `--data`, no report without an estimate, and a standard output that can fail.
@Suite("quipu report: reading the report")
struct ReportReaderTests {
    static func run(_ spec: String) throws -> (Invocation, String) {
        let out = try ReportCommandTests.outputDirectory()
        return (try runQuipu(["report", "--spec", spec, "--out", out, "--quiet"]), out)
    }

    static func results(_ out: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/results.json"))) as? [String: Any])
    }

    /// Significant digits in a number's text ("-0.03998" has 4).
    static func significantDigits(_ text: String) -> Int {
        let digits = text.filter(\.isNumber).drop { $0 == "0" }
        return digits.count
    }

    @Test("a level effect of -0.04 jobs keeps 4 significant digits in every table instead of rounding to -0.0")
    func levelDigits() throws {
        let (run, out) = try Self.run(try ReportPanelFixture.write())
        #expect(run.status == 0, "\(run.standardError)")
        let effects = try #require(try Self.results(out)["effects"] as? [[String: Any]])
        let markdown = try ReportCommandTests.read("\(out)/report.md")
        let table = ReportPanelFixture.markdownTable(markdown, title: "Effects by programme")
        let estimateColumn = try #require(table.header.firstIndex(of: "Estimate"))
        let lowColumn = try #require(table.header.firstIndex { $0.hasSuffix("CI low") })
        #expect(table.rows.count == effects.count)
        for (row, effect) in zip(table.rows, effects) {
            let estimate = try #require(effect["estimate"] as? Double)
            // The simulated effect is -0.04 jobs; TWFE and Callaway–Sant'Anna recover it closely.
            #expect(abs(estimate - ReportPanelFixture.jobsEffect) < 0.01)
            for (column, key) in [(estimateColumn, "estimate"), (lowColumn, "conf_low")] {
                let value = try #require(effect[key] as? Double)
                let cell = row[column]
                #expect(Self.significantDigits(cell) == 4, "\(key): \(cell)")
                let shown = try #require(Double(cell), "\(cell)")
                #expect(abs(shown - value) <= 0.0005 * abs(value), "\(key): \(cell) against \(value)")
            }
        }
    }

    @Test("the spec's data file is read by the readers of --data: Arrow and gzip give the CSV's results")
    func dataFormats() throws {
        let spec = try ReportPanelFixture.write()
        let directory = URL(fileURLWithPath: spec).deletingLastPathComponent()
        let csv = directory.appendingPathComponent("panel.csv").path
        let arrow = directory.appendingPathComponent("panel.arrow").path
        #expect(try runQuipu(["convert", csv, arrow]).status == 0)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-k", csv]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        let (base, baseOut) = try Self.run(spec)
        #expect(base.status == 0, "\(base.standardError)")
        let expected = try #require(try Self.results(baseOut)["effects"] as? [[String: Any]])
        for file in ["panel.arrow", "panel.csv.gz"] {
            let text = try String(contentsOfFile: spec, encoding: .utf8).replacingOccurrences(of: "data: \(csv)", with: "data: \(file)")
            let other = directory.appendingPathComponent("spec-\(file).yaml").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: other))
            let (run, out) = try Self.run(other)
            #expect(run.status == 0, "\(file): \(run.standardError)")
            let effects = try #require(try Self.results(out)["effects"] as? [[String: Any]])
            #expect(effects.map { $0["estimate"] as? Double } == expected.map { $0["estimate"] as? Double }, "\(file)")
        }
    }

    @Test("a report in which no estimate could be made exits 1 with every reason and writes nothing")
    func noEstimate() throws {
        let spec = try ReportPanelFixture.write(programme: "  - { name: Nobody, cohort: nobody, estimators: [cs, twfe] }")
        let (run, out) = try Self.run(spec)
        #expect(run.status == 1)
        #expect(run.standardError.contains("no estimate could be made"), "\(run.standardError)")
        #expect(run.standardError.contains("Nobody × jobs, level (Callaway–Sant'Anna):"), "\(run.standardError)")
        #expect(run.standardError.contains("Nobody × jobs, level (TWFE):"), "\(run.standardError)")
        #expect(run.standardError.contains("treated"), "the estimators' reason: \(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("quipu report > /dev/full exits 1 and says standard output could not be written")
    func fullStandardOutput() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let spec = try ReportPanelFixture.write()
        let out = try ReportCommandTests.outputDirectory()
        let process = Process()
        process.executableURL = repositoryRoot.appendingPathComponent(".build/debug/quipu")
        process.arguments = ["report", "--spec", spec, "--out", out, "--quiet"]
        process.standardOutput = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let error = Pipe()
        process.standardError = error
        try process.run()
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1, "\(message)")
        #expect(message.contains("standard output"), "\(message)")
    }
}

extension ReportReaderTests {
    @Test("a subgroup resting on two treated units is flagged, not shown as an estimate")
    func thinSubgroup() throws {
        let spec = try ReportPanelFixture.write(extra: "subgroups:\n  - { column: size }")
        let (run, out) = try Self.run(spec)
        #expect(run.status == 0, "\(run.standardError)")
        let markdown = try ReportCommandTests.read("\(out)/report.md")
        let table = ReportPanelFixture.markdownTable(markdown, title: "Effects within subgroups")
        let estimateColumn = try #require(table.header.firstIndex(of: "Estimate"))
        let lowColumn = try #require(table.header.firstIndex { $0.hasSuffix("CI low") })
        // Units 0 and 1 are the only supported large units; 28 small units are supported.
        let large = try #require(table.rows.first { $0[0] == "size = large" })
        #expect(large[estimateColumn] == "not shown: rests on 2 treated units", "\(large)")
        #expect(large[lowColumn] == "—")
        let small = try #require(table.rows.first { $0[0] == "size = small" })
        #expect(Double(small[estimateColumn]) != nil, "\(small)")
        let groups = try #require(try Self.results(out)["subgroups"] as? [[String: Any]])
        let flagged = groups.filter { $0["flag"] is String }
        #expect(flagged.map { $0["level"] as? String } == ["large"])
        #expect(((flagged.first?["effect"] as? [String: Any])?["n_treated"] as? Int) == 2)
    }
}
