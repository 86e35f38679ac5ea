import DiD
import Foundation
import PanelData
import Testing

/// Issue 20 (the did header): "(N clusters)" is added to the header's standard errors unless
/// their description states the count itself, which it knows as data (`InferenceDescription`),
/// not by searching its own text for "(N clusters)".
@Suite struct DidHeaderClusterTests {
    static let regions = 4, units = 24

    /// 24 units in 4 regions (unit mod 4) over periods 1–5, cohorts 3, 4 and never (0).
    static func panel() -> String {
        var lines = ["unit,time,g,region,y"]
        for unit in 1...units {
            let cohort = [3, 4, 0][unit % 3]
            for time in 1...5 {
                let treated = cohort != 0 && time >= cohort
                let noise = Double((unit * 7919 + time * time * unit * 131) % 997) / 997 - 0.5
                lines.append("\(unit),\(time),\(cohort),\(1 + unit % regions),\(Double(unit) * 0.2 + Double(time) * 0.1 + noise + (treated ? 0.4 : 0))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The header line that states the standard errors.
    static func header(_ arguments: [String]) throws -> String {
        let path = try temporaryFile(panel())
        let run = try runQuipu(["did", "--data", path, "--unit", "unit", "--time", "time", "--cohort", "g", "--outcome", "y"] + arguments)
        #expect(run.status == 0, "\(run.standardError)")
        return try #require(run.standardOutput.split(separator: "\n").first { $0.hasPrefix("Panel:") }.map(String.init))
    }

    static func occurrences(of needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test("CS clustered by a non-unit variable: the header states the region count once, from the inference's own text")
    func callawaySantAnnaByRegion() throws {
        let line = try Self.header(["--estimator", "cs", "--vcov", "cluster:region"])
        #expect(line.hasSuffix("standard errors: analytic (influence functions), clustered by region (\(Self.regions) clusters)"), "\(line)")
        #expect(Self.occurrences(of: "clusters)", in: line) == 1, "\(line)")
    }

    @Test("CS clustered by unit and TWFE clustered by region: the count is added once where the text does not state it")
    func countAddedWhereNotStated() throws {
        let byUnit = try Self.header(["--estimator", "cs"])
        #expect(byUnit.hasSuffix("clustered by unit (\(Self.units) clusters)") && Self.occurrences(of: "clusters)", in: byUnit) == 1, "\(byUnit)")
        let twfe = try Self.header(["--estimator", "twfe", "--vcov", "cluster:region"])
        #expect(twfe.hasSuffix("standard errors: cluster:region (\(Self.regions) clusters)"), "\(twfe)")
    }

    @Test("the header's description carries the cluster count as data: CS states it, TWFE's regression covariance does not")
    func descriptionKnowsItsCount() throws {
        let path = try temporaryFile(Self.panel())
        let table = try DataReader.read(path: path, format: nil, options: CSVReadOptions())
        func run(_ estimator: EstimatorChoice) throws -> DiDResults {
            var options = DiDOptions(outcome: "y", covariance: .cluster(["region"]))
            options.estimator = estimator
            return try DiDAnalysis.run(table: table, unit: "unit", time: "time", treatment: .cohort("g", neverTreated: nil), options: options)
        }
        let cs = try run(.cs).covariance
        #expect(cs.statesClusterCount && cs.clustering == .init(variable: "region", statedCount: Self.regions))
        let twfe = try run(.twfe).covariance
        #expect(!twfe.statesClusterCount && twfe.description == "cluster:region")
        // A description whose method merely mentions clusters does not count as stating them.
        #expect(!InferenceDescription(method: "bootstrap (\(Self.regions) clusters)").statesClusterCount)
    }
}
