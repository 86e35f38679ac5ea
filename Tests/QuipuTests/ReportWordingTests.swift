import Foundation
import Testing

/// `quipu report` speaks the spec's words (issue 19, point 17): outcome labels in titles, tables
/// and charts, one label for every scale of a column, and the spec's noun for its units.
@Suite("quipu report: labels and units")
struct ReportWordingTests {
    @Test("a spec on states with labelled outcomes reads 'states' and the labels, never 'firms' or log(jobs)")
    func labelsAndUnits() throws {
        let spec = try ReportPanelFixture.write(
            outcomes: """
              - { column: jobs, scale: level, label: "permanent employment (jobs)" }
              - { column: jobs, scale: log }
            """,
            extra: "unit_label: state")
        let (run, out) = try ReportReaderTests.run(spec)
        #expect(run.status == 0, "\(run.standardError)")
        let markdown = try ReportCommandTests.read("\(out)/report.md")
        #expect(markdown.contains("(\(ReportPanelFixture.units) states, \(ReportPanelFixture.units * ReportPanelFixture.years.count) state-years)"))
        #expect(!markdown.lowercased().contains("firm"), "a spec on states should not speak of firms")
        // The log entry gives no label: it takes its column's.
        let table = ReportPanelFixture.markdownTable(markdown, title: "Effects by programme")
        let outcomeColumn = try #require(table.header.firstIndex(of: "Outcome"))
        #expect(Set(table.rows.map { $0[outcomeColumn] }) == ["permanent employment (jobs), level", "permanent employment (jobs), log"])
        #expect(table.header.contains("Treated states"))
        #expect(!markdown.contains("log(jobs)"), "tables and captions use the label, not the expression")
        let plots = try FileManager.default.contentsOfDirectory(atPath: "\(out)/plots").filter { $0.hasPrefix("event-study") }
        #expect(plots.count == 2)
        for plot in plots {
            #expect(try ReportCommandTests.read("\(out)/plots/\(plot)").contains("permanent employment (jobs)"), "\(plot)")
        }
        let results = try ReportReaderTests.results(out)
        let effects = try #require(results["effects"] as? [[String: Any]])
        #expect(Set(effects.compactMap { $0["expression"] as? String }) == ["jobs", "log(jobs)"])
    }

    @Test("two columns given the same label on the same scale are refused at the second's line")
    func sameLabelTwice() throws {
        let spec = try ReportPanelFixture.write(outcomes: """
              - { column: jobs, scale: level, label: "output" }
              - { column: sales, scale: level, label: "output" }
            """)
        let (run, out) = try ReportReaderTests.run(spec)
        #expect(run.status == 1)
        #expect(run.standardError.contains("outcomes[1].scale"), "\(run.standardError)")
        #expect(run.standardError.contains("give each its own label"), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
