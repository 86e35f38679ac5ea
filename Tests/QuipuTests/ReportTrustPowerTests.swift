import Foundation
import Primitives
import QuipuTestSupport
import Testing

/// Issue 23, point 6 (power): the report's "How far to trust this" gives each headline's design
/// MDE, the number `quipu power` gives for the same firms, years and panel.
@Suite("quipu report: the design's MDE")
struct ReportTrustPowerTests {
    @Test("each headline gets one sentence with the MDE quipu power computes for its design")
    func designMinimumDetectableEffect() throws {
        let spec = try ReportPanelFixture.write()
        let (run, out) = try ReportReaderTests.run(spec)
        #expect(run.status == 0, "\(run.standardError)")
        let markdown = try ReportCommandTests.read("\(out)/report.md")
        let section = try #require(markdown.components(separatedBy: "## How far to trust this").dropFirst().first?
            .components(separatedBy: "\n## ").first?.components(separatedBy: "**Detectable effects.**").dropFirst().first)
        let sentences = section.split(separator: "\n").filter { $0.hasPrefix("- ") }
        #expect(sentences.count == 1, "one headline, one sentence: \(section)")
        // 30 supported units (20 from 2005, 10 from 2006: median start 2005), 30 never supported,
        // 2001–2008: 4 years before and 4 from the median start.
        let sentence = try #require(sentences.first)
        #expect(sentence.contains("with 30 supported and 30 never-supported"), "\(sentence)")
        #expect(sentence.contains("4 years before and 4 from support (as if all started in 2005, the median start)"), "\(sentence)")
        let data = URL(fileURLWithPath: spec).deletingLastPathComponent().appendingPathComponent("panel.csv").path
        let power = try runQuipu(["power", "--treated", "30", "--controls", "30", "--pre", "4", "--post", "4",
                                  "--data", data, "--outcome", "jobs", "--unit", "id", "--time", "year", "--format", "json"])
        #expect(power.status == 0, "\(power.standardError)")
        let mde = try #require(jsonNumber((power.json?["analytic"] as? [String: Any])?["mde"]))
        #expect(sentence.contains("detects an effect of \(NumberFormat.significant(mde, digits: 3)) with 80% power at the 5% level"), "\(sentence); quipu power: \(mde)")
    }
}
