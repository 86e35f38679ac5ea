import Foundation
import QuipuTestSupport
import Testing

/// TWFE's event study in `quipu did --format json` is tested against its own regression's t, in
/// both of its views (the per-regression `estimates` rows and TWFE's `dynamic` entries in
/// `aggregates`), as `quipu feols` states that regression (issue 20, point 1). Before, the
/// `aggregates` used the `y ~ D` regression's degrees of freedom: with an iid or
/// heteroskedasticity-robust covariance (N − K, K differing by regression) mpdta's e = −4 had
/// p = 0.8499749586 there against the regression's 0.8499750166.
@Suite struct DidTwfeInferenceTests {
    /// mpdta with the event time the event study uses (never-treated units at −1000000, did's
    /// coding), written to a temporary CSV.
    func mpdtaWithEventTime() throws -> String {
        let lines = try String(contentsOf: URL(fileURLWithPath: Fixture.path("Datasets/mpdta/mpdta.csv")), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let year = try #require(header.firstIndex(of: "year")), cohort = try #require(header.firstIndex(of: "first.treat"))
        var out = [lines[0] + ",et"]
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            let first = try #require(Int(cells[cohort])), period = try #require(Int(cells[year]))
            out.append(line + "," + String(first > 0 ? period - first : -1_000_000))
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mpdta-et-\(UUID().uuidString).csv").path
        try out.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("TWFE's event-study rows and aggregates carry the event-study regression's own t (iid, hetero)", arguments: ["iid", "hetero"])
    func eventStudyKeepsItsRegressionsDistribution(covariance: String) throws {
        let data = try mpdtaWithEventTime()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let feols = try runQuipu(["feols", "--data", data, "--formula", "lemp ~ i(et, ref = c(-1, -1000000)) | countyreal + year",
                                  "--vcov", covariance, "--format", "json"])
        let coefficients = try #require(feols.json?["coefficients"] as? [[String: Any]], "\(feols.standardError)")
        let run = try DiDLibraryRun.mpdta { options in
            options.estimator = .twfe
            options.eventStudy = true
            options.covariance = try .init(parsing: covariance)
        }
        let rows = run.estimates("event_study")
        let dynamic = run.aggregates(estimator: "twfe", type: "dynamic")
        #expect(!rows.isEmpty && rows.count == coefficients.count && dynamic.count == rows.count)
        for row in rows {
            let eventTime = try #require(row["event_time"] as? Int)
            let regression = try #require(coefficients.first { $0["term"] as? String == "et::\(eventTime)" })
            let entry = try #require(dynamic.first { ($0["by"] as? [[String: Any]])?.first?["event_time"] as? Int == eventTime })
            for key in ["estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high"] {
                let expected = try #require(regression[key] as? Double)
                #expect(isClose(row[key] as? Double ?? .nan, expected, relative: 1e-12), "estimates e = \(eventTime), \(key)")
                #expect(isClose(entry[key] as? Double ?? .nan, expected, relative: 1e-12), "aggregates e = \(eventTime), \(key)")
            }
        }
    }
}
