import Foundation
import Primitives
import Testing

/// Issue 23, point 6 in results.json: the report's "How far to trust this" (breakdown values,
/// pre-test power, the design's MDE) was in the report's sentences only; results.json now carries
/// it under `trust`, validated against docs/schema/report-results.schema.json by runQuipu.
@Suite("quipu report: results.json carries How far to trust this")
struct ReportTrustJSONTests {
    /// Cohorts 2005 and 2006 of 12 units each and 30 never-supported units over 2001–2008,
    /// parallel trends and an effect of 0.4.
    static func spec() throws -> String {
        var lines = ["id,year,cohort,y"]
        for unit in 0..<54 {
            let cohort = unit < 12 ? 2005 : (unit < 24 ? 2006 : 0)
            for year in 2001...2008 {
                let noise = sin(Double(unit) * 12.9898 + Double(year) * 78.233) * 0.3
                let effect = cohort > 0 && year >= cohort ? 0.4 : 0
                lines.append("\(unit),\(year),\(cohort),\(Double(unit % 5) + 0.2 * Double(year - 2001) + effect + noise)")
            }
        }
        let data = try temporaryFile(lines.joined(separator: "\n") + "\n", name: "panel.csv")
        let spec = """
        title: Trust fixture
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

    @Test("trust.breakdown, trust.pretest_power and trust.design_power: one entry for the headline, consistent with the runs and the report's text")
    func trustKeys() throws {
        let (run, out) = try ReportReaderTests.run(try Self.spec())
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.schemasChecked.contains("report-results"))
        let results = try ReportReaderTests.results(out)
        #expect(results["schema_version"] as? String == OutputContract.schemaVersion)
        let trust = try #require(results["trust"] as? [String: Any])
        let headline = try #require((results["headline"] as? [[String: Any]])?.first)

        // Breakdown values: the largest bound whose robust interval excludes zero, per restriction.
        let breakdowns = try #require(trust["breakdown"] as? [[String: Any]])
        #expect(breakdowns.count == 1)
        let breakdown = try #require(breakdowns.first)
        #expect(breakdown["programme"] as? String == "Grant" && breakdown["estimator"] as? String == headline["estimator"] as? String)
        let curves = try #require(breakdown["curves"] as? [[String: Any]])
        #expect(curves.compactMap { $0["restriction"] as? String } == ["rm", "sd"])
        for curve in curves {
            let intervals = try #require(curve["intervals"] as? [[String: Any]])
            #expect(!intervals.isEmpty)
            let excluding = intervals.filter { ($0["conf_low"] as? Double ?? -1) > 0 || ($0["conf_high"] as? Double ?? 1) < 0 }
            #expect(curve["breakdown"] as? Double == excluding.compactMap { $0["bound"] as? Double }.max(), "\(curve)")
        }

        // Pre-test power: the same record as the headline estimator's own did run.
        let powers = try #require(trust["pretest_power"] as? [[String: Any]])
        #expect(powers.count == 1)
        let power = try #require(powers.first)
        let runs = try #require(results["runs"] as? [[String: Any]])
        let headlineRun = try #require(runs.first { $0["estimator"] as? String == headline["estimator"] as? String })
        let runPowers = try #require((headlineRun["result"] as? [String: Any])?["pretrend_power"] as? [[String: Any]])
        let own = try #require(runPowers.first { $0["estimator"] as? String == headline["estimator"] as? String })
        #expect((power["detected"] as? [[String: Double]]) == (own["detected"] as? [[String: Double]]))
        #expect(power["df"] as? Int == own["df"] as? Int && power["programme"] as? String == "Grant")

        // The design's MDE: the headline's treated units, and the number the report's sentence states.
        let designs = try #require(trust["design_power"] as? [[String: Any]])
        #expect(designs.count == 1)
        let design = try #require(designs.first)
        #expect(design["n_treated"] as? Int == headline["n_treated"] as? Int && design["n_control"] as? Int == 30)
        #expect(design["power"] as? Double == 0.8 && design["failure"] is NSNull)
        let mde = try #require(design["mde"] as? Double)
        let markdown = try ReportCommandTests.read("\(out)/report.md")
        #expect(markdown.contains("the design detects an effect of \(NumberFormat.significant(mde, digits: 3)) with 80% power"))
    }
}
