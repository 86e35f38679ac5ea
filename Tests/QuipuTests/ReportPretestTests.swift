import Foundation
import Testing

/// Issue 23, points 3 and 6 in the report: what qualifies an estimator's pre-test reaches the
/// warnings beside its estimate, and "How far to trust this" states each headline's pre-test power.
@Suite("quipu report: pre-test notes and power")
struct ReportPretestTests {
    /// Two cohorts of two units each (2006, 2007) and 20 never-supported units over 2001–2008:
    /// every event-time lead of Callaway–Sant'Anna rests on fewer than 10 treated units, so its
    /// pre-test has no statistic (PretrendLeads), and the note saying why must reach the report.
    static func spec() throws -> String {
        var lines = ["id,year,cohort,y"]
        for unit in 0..<24 {
            let cohort = unit < 2 ? 2006 : (unit < 4 ? 2007 : 0)
            for year in 2001...2008 {
                let noise = sin(Double(unit) * 12.9898 + Double(year) * 78.233) * 0.3
                let effect = cohort > 0 && year >= cohort ? 0.4 : 0
                lines.append("\(unit),\(year),\(cohort),\(Double(unit % 5) + 0.2 * Double(year - 2001) + effect + noise)")
            }
        }
        let data = try temporaryFile(lines.joined(separator: "\n") + "\n", name: "panel.csv")
        let spec = """
        title: Pre-test fixture
        data: \(data)
        unit: id
        time: year
        programmes:
          - { name: Grant, cohort: cohort, estimators: [cs, twfe], window: [-4, 2] }
        outcomes:
          - { column: y, scale: level }
        """
        let path = URL(fileURLWithPath: data).deletingLastPathComponent().appendingPathComponent("spec.yaml").path
        try Data(spec.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("the note of Callaway–Sant'Anna's pre-test stands beside its estimate, and the headline's pre-test power is stated")
    func noteAndPower() throws {
        let (run, out) = try ReportReaderTests.run(try Self.spec())
        #expect(run.status == 0, "\(run.standardError)")
        let effects = try #require(try ReportReaderTests.results(out)["effects"] as? [[String: Any]])
        let cs = try #require(effects.first { $0["estimator"] as? String == "cs" })
        let warnings = try #require(cs["warnings"] as? [String])
        // Every lead rests on 2 or 4 firms: no statistic, and the note saying why stands beside it.
        #expect(warnings.contains { $0.hasPrefix("Callaway–Sant'Anna pre-trend test: no statistic: leads -5 (2 treated units, 1 cohort)") }, "\(warnings)")
        let markdown = try ReportCommandTests.read("\(out)/report.md")
        let section = try #require(markdown.range(of: "## How far to trust this"))
        let after = markdown[section.upperBound...]
        #expect(after.contains("**Pre-test power.**"))
        #expect(after.contains("Grant × y, level, Callaway–Sant'Anna: its pre-trend test detects a trend of "), "\(after.prefix(1500))")
    }
}
