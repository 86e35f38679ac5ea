import Foundation
import QuipuTestSupport
import Testing

/// The report's "How far to trust this" shows every headline's raw p-value beside its Holm,
/// Benjamini–Hochberg and sharpened-q adjustments over the family of all headlines, and names
/// the family.
@Suite struct ReportMultiplicityTests {
    @Test("headline p-values adjusted over the family of headlines, Holm by its definition, in the report and results.json")
    func adjustedHeadlines() throws {
        // Three outcomes: jobs (an effect), trending (a pre-trend, no effect) and sales (log).
        let spec = try ReportPanelFixture.write(outcomes: """
              - { column: jobs, scale: level }
              - { column: trending, scale: level }
              - { column: sales, scale: log }
            """)
        let (run, out) = try ReportReaderTests.run(spec)
        #expect(run.status == 0, "\(run.standardError)")
        let results = try ReportReaderTests.results(out)
        let headline = try #require(results["headline"] as? [[String: Any]])
        let raw = headline.compactMap { $0["p_value"] as? Double }
        #expect(raw.count == 3)
        let adjusted = try #require(results["headline_adjusted"] as? [String: Any])
        #expect((adjusted["family"] as? String)?.contains("the 3 headline effects") == true)
        let members = try #require(adjusted["members"] as? [[String: Any]])
        #expect(members.count == 3)
        // Holm on three p-values, by its definition: sorted, × (3, 2, 1), running maximum, capped at 1.
        let order = raw.indices.sorted { raw[$0] < raw[$1] }
        var expected = [Double](repeating: 0, count: 3)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(3 - rank) * raw[index]))
            expected[index] = running
        }
        for (index, member) in members.enumerated() {
            let holm = try #require((member["adjusted"] as? [String: Any])?["holm"] as? Double)
            #expect(isClose(holm, expected[index], relative: 1e-12), "member \(index): \(holm) vs \(expected[index])")
            #expect(member["p_value"] as? Double == raw[index])
        }
        let markdown = try ReportCommandTests.read("\(out)/report.md")
        #expect(markdown.contains("## How far to trust this"))
        let table = ReportPanelFixture.markdownTable(markdown, title: "Headline p-values adjusted")
        #expect(table.header.prefix(6) == ["Programme", "Outcome", "Estimator", "Estimate", "p-value", "Holm"])
        #expect(table.rows.count == 3)
        #expect(FileManager.default.fileExists(atPath: "\(out)/tables/adjusted-p.csv"))
    }

    @Test("the spec's inference.adjust chooses the adjustments; Romano–Wolf without one-way clusters, or an unknown name, is refused with the reason")
    func specKey() throws {
        let outcomes = """
              - { column: jobs, scale: level }
              - { column: trending, scale: level }
            """
        let chosen = try ReportPanelFixture.write(outcomes: outcomes, extra: "inference:\n  adjust: [bh]")
        let (run, out) = try ReportReaderTests.run(chosen)
        #expect(run.status == 0, "\(run.standardError)")
        let adjusted = try #require(try ReportReaderTests.results(out)["headline_adjusted"] as? [String: Any])
        #expect(adjusted["methods"] as? [String] == ["bh"])
        let markdown = try ReportCommandTests.read("\(out)/report.md")
        #expect(ReportPanelFixture.markdownTable(markdown, title: "Headline p-values adjusted").header.contains("Benjamini–Hochberg"))
        #expect(!ReportPanelFixture.markdownTable(markdown, title: "Headline p-values adjusted").header.contains("Holm"))
        // Romano–Wolf shares one weight per cluster across headlines: refused unless clustered by one column.
        let refused = try ReportPanelFixture.write(outcomes: outcomes, extra: "inference:\n  vcov: hetero\n  adjust: [holm, romano-wolf]")
        let (bad, _) = try ReportReaderTests.run(refused)
        #expect(bad.status == 1 && bad.standardError.contains("need vcov clustered by one column"), "\(bad.standardError)")
        let unknown = try ReportPanelFixture.write(outcomes: outcomes, extra: "inference:\n  adjust: [holm, bonferroni]")
        let (wrong, _) = try ReportReaderTests.run(unknown)
        #expect(wrong.status == 1 && wrong.standardError.contains("got 'bonferroni'"), "\(wrong.standardError)")
    }
}
