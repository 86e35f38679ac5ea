import Foundation
import Testing
import QuipuTestSupport

/// The shipped truth's ratio of means (the Poisson estimand) agrees with the shipped panel: its
/// mean Y₁ is the mean of the observed treated outcomes, and its log ratio is log(mean Y₁ / mean Y₀).
@Suite struct PeruTruthRatioTests {
    static let folder = "Datasets/peru-natural-ingredients"
    /// PUM's 2004 cohort has no untreated year in the panel and is left out of every aggregate.
    static let firstPanelYear = 2004

    /// A CSV file as a header and rows of fields (the shipped files have no quoted fields).
    static func table(_ name: String) throws -> (header: [String], rows: [[String]]) {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("\(folder)/\(name)"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return (lines.first ?? [], Array(lines.dropFirst()))
    }

    /// Count and total of the observed outcome over treated firm-years, by event time.
    struct Observed {
        var n = 0
        var total = 0.0
    }

    @Test(arguments: ["pum", "cbi"], ["export_eu", "export_non_eu", "sales"])
    func ratioAgreesWithThePanel(programme: String, outcome: String) throws {
        let panel = try Self.table("peru.csv")
        let cohortColumn = try #require(panel.header.firstIndex(of: "\(programme)_cohort"))
        let yearColumn = try #require(panel.header.firstIndex(of: "year"))
        let outcomeColumn = try #require(panel.header.firstIndex(of: outcome))
        var byEventTime: [Int: Observed] = [:]
        for row in panel.rows {
            guard let cohort = Int(row[cohortColumn]), let year = Int(row[yearColumn]),
                  cohort > Self.firstPanelYear, year >= cohort, let value = Double(row[outcomeColumn]) else { continue }
            byEventTime[year - cohort, default: Observed()].n += 1
            byEventTime[year - cohort, default: Observed()].total += value
        }

        let truth = try Self.table("peru-truth.csv")
        func column(_ name: String) throws -> Int { try #require(truth.header.firstIndex(of: name)) }
        let kind = try column("kind"), prog = try column("programme"), out = try column("outcome")
        let eventTime = try column("event_time"), n = try column("n")
        let ratio = try column("log_ratio_of_means"), meanY1 = try column("mean_y1"), meanY0 = try column("mean_y0")
        let rows = truth.rows.filter { $0[prog] == programme && $0[out] == outcome }
        let profile = rows.filter { $0[kind] == "event_time" }
        #expect(!profile.isEmpty)
        var pooledY1 = 0.0, pooledY0 = 0.0, pooledN = 0
        for row in profile + rows.filter({ $0[kind] == "simple" }) {
            let count = try #require(Int(row[n]))
            let y1 = try #require(Double(row[meanY1])), y0 = try #require(Double(row[meanY0]))
            let logRatio = try #require(Double(row[ratio]))
            let observed: Observed
            if let time = Int(row[eventTime]) {
                observed = try #require(byEventTime[time])
                pooledY1 += Double(count) * y1
                pooledY0 += Double(count) * y0
                pooledN += count
            } else {
                observed = byEventTime.values.reduce(Observed()) { Observed(n: $0.n + $1.n, total: $0.total + $1.total) }
                // Overall = the event-time totals pooled (means rounded to 3 decimals, hence the tolerance).
                #expect(count == pooledN)
                #expect(abs(log(pooledY1 / pooledY0) - logRatio) < 1e-6)
            }
            #expect(count == observed.n, "\(row)")
            // mean_y1 is rounded to 3 decimals; a mean ending in exactly 5 may round either way.
            #expect(abs(observed.total / Double(observed.n) - y1) <= 0.0005 + 1e-6, "\(row)")
            #expect(abs(log(y1 / y0) - logRatio) < 1e-6, "\(row)")
        }
    }

    /// The JSON carries the same fields where consumers look for them.
    @Test func jsonCarriesTheRatioFields() throws {
        let json = try Fixture.jsonObject("\(Self.folder)/peru-truth.json")
        let aggregates = try #require(json["aggregates"] as? [[String: Any]])
        #expect(aggregates.count == 10)
        for entry in aggregates {
            let simple = try #require(entry["simple"] as? [String: Any])
            #expect(simple["log_ratio_of_means"] is Double && simple["mean_y1"] is Double && simple["mean_y0"] is Double)
            let profile = try #require(entry["event_time"] as? [[String: Any]])
            #expect(!profile.isEmpty && profile.allSatisfy { $0["log_ratio_of_means"] is Double })
            #expect((entry["simple_cohort_size"] as? [String: Any])?["log_ratio_of_means"] is NSNull)
        }
    }
}
