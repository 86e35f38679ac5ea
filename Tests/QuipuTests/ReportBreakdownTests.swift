import Foundation
import Testing

/// "How far to trust this" (issue 23, point 6, the breakdown part): each headline with an event
/// study gets its Rambachan–Roth breakdown values and one plain sentence each.
@Suite("quipu report: breakdown values")
struct ReportBreakdownTests {
    @Test("the report's trust section names each headline's smoothness breakdown value with a sentence")
    func breakdownSection() throws {
        let spec = try ReportPanelFixture.write()
        let (run, out) = try ReportReaderTests.run(spec)
        #expect(run.status == 0, "\(run.standardError)")
        let markdown = try ReportCommandTests.read("\(out)/report.md")
        let section = try #require(markdown.components(separatedBy: "## How far to trust this").dropFirst().first)
        let table = ReportPanelFixture.markdownTable(markdown, title: "Breakdown values")
        #expect(table.header.contains("Breakdown M (smoothness)") && table.header.contains("Breakdown M̄ (relative magnitudes)"))
        #expect(!table.rows.isEmpty)
        let column = try #require(table.header.firstIndex(of: "Breakdown M (smoothness)"))
        for row in table.rows {
            // A number, or 'none' when no interval of the grid excludes zero; never blank.
            #expect(Double(row[column]) != nil || row[column] == "none", "\(row)")
            // Its sentence: the breakdown value, or why there is none.
            let lead = "- \(row[0]) × \(row[1]) (\(row[2])): "
            let sentence = section.components(separatedBy: "\n").first { $0.hasPrefix(lead) && ($0.contains("Breakdown M =") || $0.contains("original interval already includes zero") || $0.contains("Even at M")) }
            #expect(sentence != nil, "no smoothness sentence for \(lead) in \(section.prefix(800))")
            if let value = Double(row[column]) { #expect(sentence?.contains("Breakdown M = \(row[column])") == true, "\(value)") }
        }
        #expect(section.contains("Callaway–Sant'Anna's pre-periods here use a varying base period"))
    }
}
