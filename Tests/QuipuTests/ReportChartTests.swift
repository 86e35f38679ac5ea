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

extension ReportChartTests {
    static func trends(_ out: String, expression: String) throws -> [String: Any] {
        let all = try #require(try ReportReaderTests.results(out)["trends"] as? [[String: Any]])
        return try #require(all.first { $0["expression"] as? String == expression })
    }

    static func points(_ trend: [String: Any], group: String) -> [[String: Any]] {
        (trend["points"] as? [[String: Any]] ?? []).filter { $0["group"] as? String == group }
    }

    @Test("raw trends use the programme's rows (a filtered-out cohort is not drawn) and the outcome's log scale")
    func trendsOnTheEstimationSample() throws {
        // The filter drops the 2006 cohort (units 20-29), as the Peru spec drops PUM's 2004 cohort.
        let spec = try ReportPanelFixture.write(
            programme: "  - { name: Grant, cohort: cohort, estimators: [cs], filter: \"cohort != 2006\" }",
            outcomes: "  - { column: exports, scale: log }\n  - { column: exports, scale: extensive }",
            extra: "trends: median")
        let (run, out) = try ReportReaderTests.run(spec)
        #expect(run.status == 0, "\(run.standardError)")
        let log = try Self.trends(out, expression: "log(exports)")
        #expect(log["statistic"] as? String == "median")
        // Supported units are 0-19 once the 2006 cohort is out; the log keeps the 10 odd ones
        // (even units export nothing), whose exports are 100 · exp(noise), |noise| ≤ 0.01.
        let supported = Self.points(log, group: "ever_treated")
        #expect(supported.count == ReportPanelFixture.years.count)
        for point in supported {
            #expect(point["n"] as? Int == 10, "\(point)")
            #expect(abs((point["value"] as? Double ?? 0) - Foundation.log(100)) < 0.011, "\(point)")
        }
        #expect(Self.points(log, group: "never_treated").allSatisfy { $0["n"] as? Int == 15 })
        // The extensive margin's trend is the share exporting (half), a mean even when medians are asked for.
        let share = try Self.trends(out, expression: "I(exports > 0)")
        #expect(share["statistic"] as? String == "mean")
        #expect(Self.points(share, group: "ever_treated").allSatisfy { $0["n"] as? Int == 20 && $0["value"] as? Double == 0.5 })
        let markdown = try ReportCommandTests.read("\(out)/report.md")
        #expect(markdown.contains("Raw median of log exports by year: units in Grant against units never in it, on the rows of its estimates (cohort != 2006)."))
        #expect(markdown.contains("Raw share of units with exports above zero by year"))
    }
}
