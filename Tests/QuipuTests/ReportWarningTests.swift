import Foundation
import Testing

/// Every estimator's warnings reach the report beside the estimate they qualify (issue 19,
/// point 16): a rejected pre-trend test, sample loss, and the estimators' own warnings.
@Suite("quipu report: warnings beside the estimates")
struct ReportWarningTests {
    /// A row's marks ("[1, 3]") as the footnote texts they point to.
    static func texts(_ marks: String, footnotes: [String]) -> [String] {
        marks.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",")
            .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.map { footnotes[$0 - 1] }
    }

    /// The numbered list under the table titled `title`.
    static func footnotes(_ markdown: String, title: String) throws -> [String] {
        let start = try #require(markdown.range(of: "**\(title)"))
        let after = markdown[start.upperBound...]
        let end = after.range(of: "\n*")?.lowerBound ?? after.endIndex
        return after[..<end].split(separator: "\n").compactMap { line -> String? in
            guard let dot = line.firstIndex(of: "."), Int(line[..<dot]) != nil else { return nil }
            return String(line[line.index(dot, offsetBy: 2)...])
        }
    }

    @Test("a rejected pre-trend test and a log outcome that loses half its rows are flagged on their rows, as in results.json")
    func warningsBesideEstimates() throws {
        let spec = try ReportPanelFixture.write(outcomes: """
              - { column: trending, scale: level }
              - { column: exports, scale: log }
            """)
        let (run, out) = try ReportReaderTests.run(spec)
        #expect(run.status == 0, "\(run.standardError)")
        let markdown = try ReportCommandTests.read("\(out)/report.md")
        let effects = try #require(try ReportReaderTests.results(out)["effects"] as? [[String: Any]])
        for (title, entries) in [("Effects by programme", effects), ("Headline effects", effects.filter { $0["headline"] as? Bool == true })] {
            let table = ReportPanelFixture.markdownTable(markdown, title: title)
            let notes = try Self.footnotes(markdown, title: title)
            let column = try #require(table.header.firstIndex(of: "Warnings"))
            #expect(table.rows.count == entries.count)
            for (row, entry) in zip(table.rows, entries) {
                let warnings = try #require(entry["warnings"] as? [String])
                #expect(Self.texts(row[column], footnotes: notes) == warnings, "\(title): \(row)")
                let expression = entry["expression"] as? String
                if expression == "trending" {
                    // Supported units rise 0.3 a year before support: every estimator's test rejects.
                    #expect(warnings.contains { $0.hasPrefix("the pre-trend test rejects") }, "\(entry["estimator"] ?? ""): \(warnings)")
                }
                if expression == "log(exports)" {
                    // Even units export nothing: half the rows leave the log outcome.
                    let loss = try #require(warnings.first { $0.hasPrefix("sample loss:") }, "\(warnings)")
                    #expect(loss.contains("\(ReportPanelFixture.units / 2 * ReportPanelFixture.years.count) log(exports): log of zero or negative"), "\(loss)")
                }
            }
        }
        #expect(run.standardOutput.contains("Warnings [n] qualify some of these estimates"))
    }
}

extension ReportWarningTests {
    @Test("clustering on a constant column: TWFE's refusal and Callaway–Sant'Anna's missing standard error both stand beside their rows")
    func oneCluster() throws {
        let spec = try ReportPanelFixture.write(extra: "inference:\n  vcov: \"cluster:nobody\"")
        let (run, out) = try ReportReaderTests.run(spec)
        #expect(run.status == 0, "\(run.standardError)")
        let effects = try #require(try ReportReaderTests.results(out)["effects"] as? [[String: Any]])
        let cs = try #require(effects.first { $0["estimator"] as? String == "cs" })
        #expect(cs["std_error"] is NSNull)
        #expect((cs["warnings"] as? [String])?.first == "no standard error could be computed with 1 cluster: the interval and p-value are undefined, and the estimate's precision is unknown")
        let twfe = try #require(effects.first { $0["estimator"] as? String == "twfe" })
        #expect((twfe["failure"] as? String)?.contains("only 1 cluster") == true, "\(twfe)")
        let markdown = try ReportCommandTests.read("\(out)/report.md")
        let table = ReportPanelFixture.markdownTable(markdown, title: "Effects by programme")
        let notes = try Self.footnotes(markdown, title: "Effects by programme")
        let column = try #require(table.header.firstIndex(of: "Warnings"))
        let row = try #require(table.rows.first { $0.contains("Callaway–Sant'Anna") })
        #expect(Self.texts(row[column], footnotes: notes).first?.hasPrefix("no standard error could be computed") == true)
        #expect(table.rows.contains { $0.contains { $0.contains("not estimated:") && $0.contains("only 1 cluster") } })
    }
}
