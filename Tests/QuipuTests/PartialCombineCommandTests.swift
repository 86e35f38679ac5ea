import Foundation
import QuipuTestSupport
import Testing

/// Issue 26 point 1: `quipu partial` on each of k partitions, `quipu combine`, then the same
/// numbers as `quipu feols` on the whole data (to 1e-10 relative), and one-line refusals of bad
/// partials that leave no output file behind.
@Suite(.tags(.slow)) struct PartialCombineCommandTests {
    /// An unbalanced firm-year panel with region codes, weights, a missing regressor now and then
    /// and one single-row firm (a singleton), as CSV rows without the header.
    static func panelRows() -> [(firm: Int, line: String)] {
        var rows = [(firm: Int, line: String)]()
        var state: UInt64 = 12345
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        for firm in 0..<48 {
            let effect = uniform() * 2 - 1
            let years = firm == 5 ? [2012] : (2010..<2020).filter { _ in uniform() < 0.8 }
            for year in years {
                let x1 = uniform() * 2 - 1 + 0.1 * Double(year - 2015), x2 = uniform()
                let weight = 0.5 + uniform()
                let y = 1 + 0.5 * x1 - 0.3 * x2 + effect + 0.05 * Double(year - 2010) + (uniform() - 0.5) * 2
                let shownX1 = uniform() < 0.03 ? "" : "\(x1)"
                rows.append((firm, "\(firm),\(year),\(firm % 5),\(y),\(shownX1),\(x2),\(weight)"))
            }
        }
        return rows
    }

    static let header = "firm,year,region,y,x1,x2,w"

    /// The whole panel and its k partitions by firm (Arrow, through `quipu convert`), in one directory.
    static func partitions(_ count: Int) throws -> (whole: String, parts: [String]) {
        let rows = panelRows()
        let whole = try temporaryFile(([header] + rows.map(\.line)).joined(separator: "\n") + "\n", name: "panel.csv")
        let directory = URL(fileURLWithPath: whole).deletingLastPathComponent()
        var parts = [String]()
        for index in 0..<count {
            let csv = directory.appendingPathComponent("part-\(index).csv").path
            let lines = rows.filter { ($0.firm * 7919) % count == index }.map(\.line)
            try Data(([header] + lines).joined(separator: "\n").appending("\n").utf8).write(to: URL(fileURLWithPath: csv))
            let arrow = directory.appendingPathComponent("part-\(index).arrow").path
            let converted = try runQuipu(["convert", csv, arrow])
            #expect(converted.status == 0, "\(converted.standardError)")
            parts.append(arrow)
        }
        return (whole, parts)
    }

    /// Runs both passes over `parts` and returns the combined JSON run.
    static func combined(_ parts: [String], model: [String]) throws -> Invocation {
        let directory = URL(fileURLWithPath: parts[0]).deletingLastPathComponent()
        let solution = directory.appendingPathComponent("solution-\(UUID().uuidString).arrow").path
        var first = [String](), second = [String]()
        for (index, part) in parts.enumerated() {
            let output = directory.appendingPathComponent("m-\(index)-\(UUID().uuidString).arrow").path
            let run = try runQuipu(["partial", "--data", part, "--part", "\(index)/\(parts.count)", "--output", output] + model)
            #expect(run.status == 0, "\(run.standardError)")
            first.append(output)
        }
        // Partials listed out of order: combine sums them in partition order.
        let solved = try runQuipu(["combine"] + first.reversed() + ["--output", solution])
        #expect(solved.status == 0, "\(solved.standardError)")
        for (index, part) in parts.enumerated() {
            let output = directory.appendingPathComponent("s-\(index)-\(UUID().uuidString).arrow").path
            let run = try runQuipu(["partial", "--data", part, "--part", "\(index)/\(parts.count)", "--solution", solution, "--output", output])
            #expect(run.status == 0, "\(run.standardError)")
            second.append(output)
        }
        return try runQuipu(["combine", "--solution", solution, "--format", "json"] + second)
    }

    /// Every number of `ours` within 1e-10 (relative) of `theirs`, every other value equal.
    static func expectSame(_ ours: Any?, _ theirs: Any?, path: String = "") {
        switch (ours, theirs) {
        case let (a as [String: Any], b as [String: Any]):
            #expect(Set(a.keys) == Set(b.keys), "\(path): keys \(a.keys.sorted()) vs \(b.keys.sorted())")
            for (key, value) in a where key != "timings" { expectSame(value, b[key], path: path + "." + key) }
        case let (a as [Any], b as [Any]):
            #expect(a.count == b.count, "\(path): \(a.count) vs \(b.count) elements")
            for (index, pair) in zip(a, b).enumerated() { expectSame(pair.0, pair.1, path: path + "[\(index)]") }
        case let (a as String, b as String):
            #expect(a == b, "\(path): '\(a)' vs '\(b)'")
        case let (a as NSNumber, b as NSNumber):
            _ = expectClose(a.doubleValue, b.doubleValue, relative: 1e-10, absolute: 1e-300, path)
        case (is NSNull, is NSNull):
            break
        default:
            Issue.record("\(path): \(String(describing: ours)) vs \(String(describing: theirs))")
        }
    }

    static let models: [(formula: String, options: [String], nested: [String])] = [
        ("y ~ x1 + x2 | firm + year", ["--vcov", "cluster:firm", "--weights", "w"], ["--nested-fe", "firm"]),
        ("y ~ x1 + x2 | firm + year", ["--vcov", "cluster:region"], ["--nested-fe", "firm"]),
        ("y ~ x1 + x2 | firm + year", ["--vcov", "iid"], ["--nested-fe", "firm"]),
        ("y ~ x1 + x2", ["--vcov", "hetero", "--weights", "w"], []),
        ("y ~ x1 + x2 | year", ["--vcov", "cluster:firm"], []),
        ("y ~ x1 + x2 + region | firm", ["--vcov", "cluster:firm"], ["--nested-fe", "firm"]),
    ]

    @Test("combine equals feols on the whole data", arguments: [1, 3, 8])
    func combineEqualsSingleMachine(partitionCount: Int) throws {
        let (whole, parts) = try Self.partitions(partitionCount)
        for model in Self.models {
            let combined = try Self.combined(parts, model: ["--formula", model.formula] + model.options + model.nested)
            // A tight tolerance for the single machine's alternating projections: the partitions
            // absorb the nested fixed effect exactly and the crossing one by an exact solve.
            let single = try runQuipu(["feols", "--data", whole, "--formula", model.formula, "--fixef-tol", "1e-14", "--format", "json"] + model.options)
            #expect(combined.status == 0, "\(model.formula): \(combined.standardError)")
            #expect(single.status == 0, "\(single.standardError)")
            let ours = try #require(combined.json), theirs = try #require(single.json)
            #expect((ours["coefficients"] as? [Any])?.isEmpty == false)
            Self.expectSame(ours, theirs, path: "\(model.formula) \(model.options.joined(separator: " ")) [\(partitionCount) partitions]")
        }
    }

    /// A partition that loses every row (here, to missing outcomes) still gives a partial: its
    /// drops count in the sample, as on one machine.
    @Test func aPartitionWithoutObservationsCounts() throws {
        let (whole, parts) = try Self.partitions(3)
        let lost = ["100,2011,1,,0.5,0.5,1", "101,2012,2,,0.1,0.2,1"]
        let empty = URL(fileURLWithPath: whole).deletingLastPathComponent().appendingPathComponent("part-lost.csv").path
        try Data(([Self.header] + lost).joined(separator: "\n").appending("\n").utf8).write(to: URL(fileURLWithPath: empty))
        let all = try String(contentsOfFile: whole, encoding: .utf8) + lost.joined(separator: "\n") + "\n"
        let wholeWithLost = try temporaryFile(all, name: "panel-lost.csv")
        let options = ["--formula", "y ~ x1 + x2 | firm + year", "--vcov", "cluster:firm"]
        let combined = try Self.combined(parts + [empty], model: options + ["--nested-fe", "firm"])
        let single = try runQuipu(["feols", "--data", wholeWithLost, "--fixef-tol", "1e-14", "--format", "json"] + options)
        #expect(combined.status == 0, "\(combined.standardError)")
        let ours = try #require(combined.json), theirs = try #require(single.json)
        #expect((ours["dropped"] as? [String: Any])?["missing"] as? Int == (theirs["dropped"] as? [String: Any])?["missing"] as? Int)
        Self.expectSame(ours, theirs, path: "with a partition of missing outcomes")
    }

    @Test func badPartialsAreRefusedInOneLine() throws {
        let (_, parts) = try Self.partitions(3)
        let directory = URL(fileURLWithPath: parts[0]).deletingLastPathComponent()
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let model = ["--formula", "y ~ x1 + x2 | firm + year", "--nested-fe", "firm", "--vcov", "cluster:firm"]
        for (index, part) in parts.enumerated() {
            let run = try runQuipu(["partial", "--data", part, "--part", "\(index)/3", "--output", path("m\(index).arrow")] + model)
            #expect(run.status == 0, "\(run.standardError)")
        }
        let refusals: [(arguments: [String], fragment: String)] = [
            (["partial", "--data", try temporaryFile("not arrow\n", name: "bad.arrow"), "--part", "0/1", "--output", path("x.arrow")] + model,
             "bad.arrow: not a readable Arrow IPC file"),
            (["partial", "--data", parts[0], "--part", "0/3", "--output", path("x.arrow"), "--formula", "y ~ nope | firm", "--nested-fe", "firm"],
             "no column named 'nope'"),
            (["combine", path("m0.arrow"), path("m2.arrow"), "--output", path("x.arrow")], "missing partial: partition 1 of 3"),
            (["combine", path("m0.arrow"), path("m0.arrow"), path("m2.arrow"), "--output", path("x.arrow")], "partition 0 of 3 given twice"),
            (["combine", try temporaryFile("{}", name: "notes.arrow"), "--output", path("x.arrow")], "notes.arrow: not a readable Arrow IPC file"),
        ]
        for refusal in refusals {
            let run = try runQuipu(refusal.arguments)
            #expect(run.status == 1, "\(refusal.arguments): exit \(run.status)")
            #expect(run.standardError.contains(refusal.fragment), "'\(refusal.fragment)' not in: \(run.standardError)")
            #expect(run.standardError.split(separator: "\n").count == 1, "\(run.standardError)")
            #expect(!FileManager.default.fileExists(atPath: path("x.arrow")))
        }
        // A model partial/combine cannot fit yet is a usage error (exit 64), before any data are read.
        let twoWay = try runQuipu(["partial", "--data", parts[0], "--part", "0/3", "--output", path("x.arrow"),
                                   "--formula", "y ~ x1 | firm + year", "--nested-fe", "firm", "--vcov", "cluster:firm+year"])
        #expect(twoWay.status == 64)
        #expect(twoWay.standardError.contains("two-way clustering is not supported by partial/combine yet"), "\(twoWay.standardError)")
        // A partial of another model among them.
        let other = try runQuipu(["partial", "--data", parts[1], "--part", "1/3", "--output", path("other.arrow"),
                                  "--formula", "y ~ x1 | firm + year", "--nested-fe", "firm", "--vcov", "cluster:firm"])
        #expect(other.status == 0)
        let mixed = try runQuipu(["combine", path("m0.arrow"), path("other.arrow"), path("m2.arrow"), "--output", path("x.arrow")])
        #expect(mixed.status == 1)
        #expect(mixed.standardError.contains("other.arrow: a partial of another model than"), "\(mixed.standardError)")
        #expect(!FileManager.default.fileExists(atPath: path("x.arrow")))
        // A nested fixed effect split across partitions: firm 0's rows in two partials.
        let whole = try runQuipu(["partial", "--data", parts[0], "--part", "1/3", "--output", path("dup1.arrow")] + model)
        #expect(whole.status == 0)
        let split = try runQuipu(["combine", path("m0.arrow"), path("dup1.arrow"), path("m2.arrow"), "--output", path("x.arrow")])
        #expect(split.status == 1)
        #expect(split.standardError.contains("must not be split across them"), "\(split.standardError)")
    }
}
