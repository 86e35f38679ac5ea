import Foundation
import Testing
import QuipuTestSupport

/// `quipu describe` and `quipu trends` against pandas computations (Tests/Fixtures/pandas, with
/// the script and versions that produced them).
@Suite struct DescribeCommandTests {
    static func fixture() throws -> [String: Any] {
        return try Fixture.jsonObject("Tests/Fixtures/pandas/panel_summaries.json")
    }

    static var datasetNames: [String] {
        fixtureCaseNames { try #require(try fixture()["datasets"] as? [[String: Any]]).compactMap { $0["name"] as? String } }
    }

    /// The fixture's datasets, all of them run: a truncated fixture fails here.
    @Test func everyFixtureDatasetRuns() throws {
        #expect(Self.datasetNames.sorted() == ["jtrain", "mpdta"])
    }

    static func dataset(_ name: String) throws -> [String: Any] {
        let datasets = try #require(try fixture()["datasets"] as? [[String: Any]])
        return try #require(datasets.first { $0["name"] as? String == name })
    }

    static func panelArguments(_ reference: [String: Any]) -> [String] {
        var arguments = ["--data", reference["data"] as? String ?? "", "--unit", reference["unit"] as? String ?? "",
                         "--time", reference["time"] as? String ?? ""]
        if let cohort = reference["cohort"] as? String { arguments += ["--cohort", cohort] }
        if let treat = reference["treat"] as? String { arguments += ["--treat", treat] }
        return arguments
    }

    /// Compares two JSON documents: numbers with `expectClose` to a relative tolerance, everything
    /// else exactly.
    static func expectMatches(_ ours: Any?, _ theirs: Any?, path: String, tolerance: Double) {
        switch (ours, theirs) {
        case let (a as [String: Any], b as [String: Any]):
            for (key, value) in b { expectMatches(a[key], value, path: path + "." + key, tolerance: tolerance) }
        case let (a as [Any], b as [Any]):
            #expect(a.count == b.count, "\(path): \(a.count) entries vs \(b.count)")
            for (index, pair) in zip(a, b).enumerated() { expectMatches(pair.0, pair.1, path: "\(path)[\(index)]", tolerance: tolerance) }
        case let (a as NSNumber, b as NSNumber) where !(a is Bool) || !(b is Bool):
            expectClose(a.doubleValue, b.doubleValue, relative: tolerance, path)
        case let (a as String, b as String):
            #expect(a == b, "\(path): \(a) vs \(b)")
        default:
            #expect(String(describing: ours) == String(describing: theirs), "\(path): \(String(describing: ours)) vs \(String(describing: theirs))")
        }
    }

    @Test(arguments: datasetNames)
    func describeMatchesPandas(name: String) throws {
        let reference = try Self.dataset(name)
        let outcomes = (reference["outcomes"] as? [Any])?.compactMap { ($0 as? String) ?? (($0 as? [String: Any])?["name"] as? String) } ?? []
        let run = try runQuipu(["describe"] + Self.panelArguments(reference) + ["--outcomes", outcomes.joined(separator: ","), "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let ours = try #require(run.json)
        for key in ["units", "periods", "observations", "balanced", "units_per_period", "entries_exits", "cohorts", "status_by_period"] {
            Self.expectMatches(ours[key], reference[key], path: "\(name).\(key)", tolerance: 0)
        }
        let theirOutcomes = try #require(reference["outcomes"] as? [Any])
        for (index, outcome) in theirOutcomes.enumerated() {
            guard let outcome = outcome as? [String: Any], let ourOutcomes = ours["outcomes"] as? [[String: Any]], index < ourOutcomes.count else { continue }
            Self.expectMatches(ourOutcomes[index], outcome.filter { $0.key != "trends" }, path: "\(name).outcomes[\(index)]", tolerance: 1e-12)
        }
    }

    @Test(arguments: datasetNames)
    func trendsMatchPandas(name: String) throws {
        let reference = try Self.dataset(name)
        guard let trends = reference["trends"] as? [String: Any] else { return }
        for (outcome, tables) in trends {
            guard let tables = tables as? [String: Any] else { continue }
            for (grouping, key) in [("status", "by_status"), ("cohort", "by_cohort")] {
                guard let rows = tables[key] as? [[String: Any]] else { continue }
                for statistic in ["mean", "median"] {
                    let run = try runQuipu(["trends"] + Self.panelArguments(reference)
                                           + ["--outcome", outcome, "--stat", statistic, "--by", grouping, "--format", "json"])
                    #expect(run.status == 0, "\(run.standardError)")
                    let points = try #require(run.json?["points"] as? [[String: Any]])
                    #expect(points.count == rows.count, "\(name) \(outcome) \(grouping)")
                    for (point, row) in zip(points, rows) {
                        #expect(point["group"] as? String == row["group"] as? String)
                        #expect(point["period"] as? Int == row["period"] as? Int)
                        #expect(point["n"] as? Int == row["n"] as? Int)
                        let ours = point["value"] as? Double ?? .nan, theirs = row[statistic] as? Double ?? .nan
                        #expect(abs(ours - theirs) <= 1e-12 * max(abs(theirs), 1e-300), "\(name) \(outcome) \(grouping) \(statistic): \(ours) vs \(theirs)")
                    }
                }
            }
        }
    }

    struct BadPanel: CustomTestStringConvertible, Sendable {
        let file: String
        let arguments: [String]
        let expected: [String]
        var testDescription: String { file }
    }

    static let badPanels: [BadPanel] = [
        BadPanel(file: "duplicate_unit_period.csv", arguments: ["--cohort", "cohort"], expected: ["twice", "rows"]),
        BadPanel(file: "time_not_integer.csv", arguments: ["--cohort", "cohort"], expected: ["'time'", "integers", "row"]),
        BadPanel(file: "cohort_inconsistent.csv", arguments: ["--cohort", "cohort"], expected: ["'cohort'", "not constant", "unit"]),
        BadPanel(file: "duplicate_unit_period.csv", arguments: ["--cohort", "cohrt"], expected: ["'cohrt'", "did you mean", "'cohort'"]),
    ]

    @Test(arguments: badPanels)
    func badPanelsFailClearly(_ item: BadPanel) throws {
        let path = "Tests/Fixtures/pandas/bad_inputs/\(item.file)"
        for command in [["describe", "--outcomes", "y"], ["trends", "--outcome", "y"]] {
            let run = try runQuipu([command[0], "--data", path, "--unit", "unit", "--time", "time"] + item.arguments + Array(command.dropFirst()))
            #expect(run.status != 0)
            for fragment in item.expected {
                #expect(run.standardError.contains(fragment), "\(command[0]) \(item.file): '\(fragment)' not in \(run.standardError)")
            }
        }
    }
}
