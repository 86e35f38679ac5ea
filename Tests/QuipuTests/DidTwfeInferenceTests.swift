import DiD
import Foundation
import PanelData
import Primitives
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

/// The estimators' notes are typed diagnostics (issue 20, point 3): the report leaves out the
/// notes that only describe a method by their code, not by matching their words.
@Suite struct DidDiagnosticCodesTests {
    @Test("TWFE's and Callaway–Sant'Anna's method notes are descriptive; an option CS cannot apply is a design note")
    func estimatorNotesCarryCodes() throws {
        var options = DiDOptions(outcome: "lemp", covariance: .iid)
        options.estimator = .all
        let table = try DataReader.read(path: Fixture.path("Datasets/mpdta/mpdta.csv"), format: nil, options: CSVReadOptions())
        let results = try DiDAnalysis.run(table: table, unit: "countyreal", time: "year",
                                          treatment: .cohort("first.treat", neverTreated: nil), options: options)
        let twfe = try #require(results.staggered.first { $0.estimator == .twfe })
        #expect(twfe.notes.map(\.code) == [.descriptive])
        #expect(twfe.notes.first?.message.hasPrefix("TWFE compares later-treated") == true)
        let cs = try #require(results.staggered.first { $0.estimator == .callawaySantAnna })
        #expect(cs.notes.first { $0.code == .descriptive }?.message.hasPrefix("ATT(g,t) by ") == true)
        let design = cs.notes.filter { $0.code == .design }
        #expect(design.contains { $0.message.contains("--vcov iid applies to the regression estimators only") }, "\(cs.notes)")
        #expect(cs.notes.allSatisfy { $0.severity == .note })
    }

    @Test("the analysis's few-cluster and thin-lead warnings carry their code and severity, and read as before")
    func analysisNotesCarryCodes() throws {
        var options = DiDOptions(outcome: "lemp", covariance: .cluster(["year"]))
        options.estimator = .twfe
        options.eventStudy = true
        let table = try DataReader.read(path: Fixture.path("Datasets/mpdta/mpdta.csv"), format: nil, options: CSVReadOptions())
        let results = try DiDAnalysis.run(table: table, unit: "countyreal", time: "year",
                                          treatment: .cohort("first.treat", neverTreated: nil), options: options)
        let few = try #require(results.notes.first { $0.code == .fewClusters }, "\(results.notes)")
        #expect(few.severity == .warning && !few.message.hasPrefix("warning: "))
        #expect(few.noteText == "warning: " + few.message)
        #expect(results.text.contains("Note: warning: " + few.message))
        // mpdta's lead −4 rests on the 2007 cohort alone.
        let thin = try #require(results.pretrendWarnings.first { $0.code == .leadThin }, "\(results.pretrendWarnings)")
        #expect(thin.severity == .warning && thin.message.hasPrefix("TWFE pre-trend test: lead(s) -4 (1 cohort(s)"))
        #expect(results.text.contains("Warning: " + thin.message))
    }
}
