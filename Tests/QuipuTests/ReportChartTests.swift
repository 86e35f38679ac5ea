import Foundation
import Testing

/// `quipu report`'s charts as a reader takes them (issue 19, points 19 and 20): event studies
/// that say when their estimators measure the pre-period from different bases, and raw trends
/// drawn on the estimation sample and on each outcome's scale.
@Suite("quipu report: charts")
struct ReportChartTests {
    static func eventStudy(estimators: String) throws -> (svg: String, markdown: String) {
        let spec = try ReportPanelFixture.write(programme: "  - { name: Grant, cohort: cohort, estimators: \(estimators), window: [-3, 2] }")
        let (run, out) = try ReportReaderTests.run(spec)
        #expect(run.status == 0, "\(run.standardError)")
        let plots = try FileManager.default.contentsOfDirectory(atPath: "\(out)/plots").filter { $0.hasPrefix("event-study") }
        let plot = try #require(plots.first)
        return (try ReportCommandTests.read("\(out)/plots/\(plot)"), try ReportCommandTests.read("\(out)/report.md"))
    }

    @Test("Callaway–Sant'Anna's varying base overlaid on TWFE's -1 is said on the chart and under it")
    func mixedBases() throws {
        let (svg, markdown) = try Self.eventStudy(estimators: "[cs, twfe]")
        #expect(svg.contains("pre-period bases differ"), "x label")
        #expect(svg.contains("Pre-period bases differ: Callaway–Sant&apos;Anna year on year; TWFE vs −1."), "caption line")
        #expect(!svg.contains("−1 is the reference"))
        #expect(markdown.contains("The pre-period points are not on one base"))
        #expect(markdown.contains("varying base period"))
    }

    @Test("Sun–Abraham beside TWFE share the -1 reference and the chart says only that")
    func oneBase() throws {
        let (svg, markdown) = try Self.eventStudy(estimators: "[sunab, twfe]")
        #expect(svg.contains("(−1 is the reference)"))
        #expect(!svg.contains("bases differ"))
        #expect(!markdown.contains("The pre-period points are not on one base"))
    }
}
