import Foundation
import QuipuTestSupport
import Testing

/// `feols --adjust`: adjusted p-values over the models of a multiple estimation, Romano–Wolf and
/// Westfall–Young against pyfixest 0.60.0's `rwolf` and `wyoung` on the same family
/// (Tests/Fixtures/multiplicity), and the refusals of what cannot be adjusted.
@Suite struct MultipleTestingCommandTests {
    let panel = "Tests/Fixtures/multiplicity/rwolf_panel.csv"

    struct Reference: Decodable {
        struct RomanoWolf: Decodable {
            let formula: String
            let replicates: Int
            let seed: Int
            let p_values: [Double]
            let romano_wolf: [Double]
            let westfall_young: [Double]
        }
        let rwolf: RomanoWolf
    }

    /// The members of the `multiple_testing` block of a JSON output.
    func members(_ run: Invocation) -> [[String: Any]] {
        (run.json?["multiple_testing"] as? [String: Any])?["members"] as? [[String: Any]] ?? []
    }

    func adjusted(_ member: [String: Any], _ method: String) -> Double {
        ((member["adjusted"] as? [String: Any])?[method] as? Double) ?? .nan
    }

    /// Both runs draw B replicates independently, so each adjusted p is a share of B draws with
    /// standard error √(p(1 − p)/B) and their difference √(2p(1 − p)/B); 4 such standard errors
    /// (plus 2/(B + 1) for pyfixest's +1 convention and the p = 0 or 1 edge) bound the difference
    /// with probability above 0.9999 per member. At B = 9,999 that is 0.028 at p = 0.5 and 0.0018
    /// at p = 0.004; Holm, applied by mistake, would give 0.92 instead of 0.55 for the second member.
    static func monteCarloTolerance(_ p: Double, replicates: Int) -> Double {
        4 * (2 * p * (1 - p) / Double(replicates)).squareRoot() + 2 / Double(replicates + 1)
    }

    @Test("Romano–Wolf and Westfall–Young are within Monte Carlo error of pyfixest's rwolf and wyoung")
    func againstPyfixest() throws {
        let reference = try Fixture.decode(Reference.self, from: "Tests/Fixtures/multiplicity/multiplicity_reference.json").rwolf
        let run = try runQuipu(["feols", "--data", panel, "--formula", reference.formula, "--vcov", "cluster:cluster",
                                "--adjust", "romano-wolf,westfall-young,holm", "--adjust-term", "d",
                                "--reps", "\(reference.replicates)", "--seed", "5", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let schema = try JSONSchemaValidator(contentsOf: Fixture.path("docs/schema/feols.schema.json"))
        let errors = schema.errors(try JSONInstance.parse(run.standardOutput))
        #expect(errors.isEmpty, "multiple_testing breaks docs/schema/feols.schema.json: \(errors.prefix(5))")
        let found = members(run)
        #expect(found.count == reference.romano_wolf.count)
        for (index, member) in found.enumerated() {
            let p = try #require(member["p_value"] as? Double)
            #expect(isClose(p, reference.p_values[index], relative: 1e-6), "raw p of model \(index + 1)")
            for (method, expected) in [("romano-wolf", reference.romano_wolf[index]), ("westfall-young", reference.westfall_young[index])] {
                let value = adjusted(member, method)
                let tolerance = Self.monteCarloTolerance(expected, replicates: reference.replicates)
                #expect(abs(value - expected) <= tolerance, "\(method) of model \(index + 1): \(value) vs pyfixest \(expected) (± \(tolerance))")
            }
        }
    }

    /// The members' bootstrap statistics must come from the same draws: with the same outcome
    /// twice, the maximum of the two |t*| is either one, so Romano–Wolf equals the outcome's own
    /// wild bootstrap p-value (up to the +1 of (1 + count)/(B + 1)); independent draws would make
    /// it larger (the maximum of two independent |t*|).
    @Test("every member of the family reads the same bootstrap draws")
    func sameDraws() throws {
        let text = try Fixture.text(panel)
        var lines = text.split(separator: "\n").map(String.init)
        lines[0] += ",y2copy"
        let column = try #require(lines[0].split(separator: ",").firstIndex(of: "y2"))
        for index in 1..<lines.count { lines[index] += "," + lines[index].split(separator: ",")[column] }
        let data = try temporaryFile(lines.joined(separator: "\n") + "\n")
        let run = try runQuipu(["feols", "--data", data, "--formula", "c(y2, y2copy) ~ d + x", "--vcov", "cluster:cluster",
                                "--adjust", "romano-wolf", "--adjust-term", "d", "--reps", "999", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let single = try runQuipu(["feols", "--data", data, "--formula", "y2 ~ d + x", "--vcov", "cluster:cluster",
                                   "--bootstrap", "wild", "--param", "d", "--reps", "999", "--format", "json"])
        let coefficient = (single.json?["coefficients"] as? [[String: Any]])?.first { $0["term"] as? String == "d" }
        let bootstrapP = try #require((coefficient?["bootstrap"] as? [String: Any])?["p_value"] as? Double, "\(single.standardOutput)")
        let found = members(run)
        #expect(found.count == 2)
        for member in found {
            let value = adjusted(member, "romano-wolf")
            #expect(abs(value - bootstrapP) <= 1.0 / 1000 + 1e-12, "Romano–Wolf \(value) vs the outcome's own bootstrap p \(bootstrapP)")
        }
    }

    @Test("the adjustments appear in text, Markdown and CSV, and Holm there equals Holm of the raw p-values")
    func formats() throws {
        let arguments = ["feols", "--data", panel, "--formula", "c(y1, y2, y3) ~ d + x", "--vcov", "cluster:cluster", "--adjust", "holm,bh,sharpened"]
        let text = try runQuipu(arguments)
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("Adjusted p-values (6 tests: every coefficient but the intercept in models 1, 2, 3 (outcomes y1, y2, y3))"))
        let csv = try runQuipu(arguments + ["--format", "csv"])
        let rows = csv.standardOutput.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.first?.suffix(3) == ["p_holm", "p_bh", "p_sharpened"])
        let pColumn = try #require(rows.first?.firstIndex(of: "p_value"))
        let holmColumn = try #require(rows.first?.firstIndex(of: "p_holm"))
        let slopes = rows.dropFirst().filter { $0[5] != "(Intercept)" }
        let raw = rows.dropFirst().compactMap { Double($0[pColumn]) }
        #expect(raw.count == 9)
        // The family is every slope (not the intercepts): Holm by its definition on their six raw
        // p-values, sorted here; the intercepts' adjusted columns stay empty.
        let sorted = slopes.compactMap { Double($0[pColumn]) }.sorted()
        #expect(sorted.count == 6)
        var running = 0.0
        let expected = sorted.enumerated().map { index, p in running = max(running, min(1, Double(6 - index) * p)); return running }
        #expect(rows.dropFirst().filter { $0[5] == "(Intercept)" }.allSatisfy { $0[holmColumn].isEmpty })
        for row in slopes {
            let p = try #require(Double(row[pColumn])), holm = try #require(Double(row[holmColumn]))
            let rank = try #require(sorted.firstIndex(of: p))
            #expect(isClose(holm, expected[rank], relative: 1e-12))
        }
        let markdown = try runQuipu(arguments + ["--format", "markdown"])
        #expect(markdown.standardOutput.contains("| Model | Term | Estimate | p | p Holm | p BH | q sharp |"))
    }

    @Test("malformed or impossible --adjust requests are usage errors (exit 64) naming the reason")
    func usageErrors() throws {
        let base = ["--data", panel, "--vcov", "cluster:cluster"]
        let cases: [(String, [String], String)] = [
            ("unknown method", ["feols"] + base + ["--formula", "c(y1, y2) ~ d", "--adjust", "bonferroni"], "holm, bh, sharpened"),
            ("one model", ["feols"] + base + ["--formula", "y1 ~ d", "--adjust", "holm"], "multiple estimation"),
            ("fepois bootstrap", ["fepois", "--data", panel, "--formula", "c(cluster, period) ~ d", "--adjust", "romano-wolf"], "fepois"),
            ("no clusters", ["feols", "--data", panel, "--formula", "c(y1, y2) ~ d", "--adjust", "westfall-young"], "clusters"),
            ("term alone", ["feols"] + base + ["--formula", "c(y1, y2) ~ d", "--adjust-term", "d"], "--adjust"),
        ]
        for (name, arguments, message) in cases {
            let run = try runQuipu(arguments)
            #expect(run.status == 64, "\(name): \(run.status) \(run.standardError)")
            #expect(run.standardError.contains(message), "\(name): \(run.standardError)")
        }
    }

    @Test("models on different rows cannot share draws: Romano–Wolf refuses (exit 1), Holm adjusts")
    func differentRows() throws {
        var lines = try Fixture.text(panel).split(separator: "\n").map(String.init)
        // y2 missing on the first 12 rows (one cluster): model 2 drops them.
        for index in 1...12 {
            var fields = lines[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[5] = ""
            lines[index] = fields.joined(separator: ",")
        }
        let data = try temporaryFile(lines.joined(separator: "\n") + "\n")
        let refused = try runQuipu(["feols", "--data", data, "--formula", "c(y1, y2) ~ d + x", "--vcov", "cluster:cluster",
                                    "--adjust", "romano-wolf", "--reps", "99"])
        #expect(refused.status == 1 && refused.standardError.contains("same rows"), "\(refused.standardError)")
        #expect(refused.standardOutput.isEmpty)
        let holm = try runQuipu(["feols", "--data", data, "--formula", "c(y1, y2) ~ d + x", "--vcov", "cluster:cluster", "--adjust", "holm"])
        #expect(holm.status == 0, "\(holm.standardError)")
    }

    @Test("quipu table --adjust adjusts the shown coefficients of saved runs from their raw p-values; bootstrap methods are refused with the reason")
    func table() throws {
        var paths = [String]()
        for outcome in ["y1", "y2", "y4"] {
            let run = try runQuipu(["feols", "--data", panel, "--formula", "\(outcome) ~ d + x", "--vcov", "cluster:cluster", "--format", "json"])
            #expect(run.status == 0, "\(run.standardError)")
            paths.append(try temporaryFile(run.standardOutput, name: "\(outcome).json"))
        }
        let run = try runQuipu(["table"] + paths + ["--keep", "^d$", "--adjust", "bh,holm", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let schema = try JSONSchemaValidator(contentsOf: Fixture.path("docs/schema/table.schema.json"))
        let errors = schema.errors(try JSONInstance.parse(run.standardOutput))
        #expect(errors.isEmpty, "multiple_testing breaks docs/schema/table.schema.json: \(errors.prefix(5))")
        let found = members(run)
        #expect(found.count == 3 && found.allSatisfy { $0["term"] as? String == "d" })
        // Benjamini–Hochberg by its definition on the three shown p-values: m·p/rank, running
        // minimum from the largest.
        let raw = found.compactMap { $0["p_value"] as? Double }
        let order = raw.indices.sorted { raw[$0] < raw[$1] }
        var expected = [Double](repeating: 0, count: 3)
        var running = 1.0
        for rank in stride(from: 2, through: 0, by: -1) {
            running = min(running, 3 * raw[order[rank]] / Double(rank + 1))
            expected[order[rank]] = running
        }
        for (index, member) in found.enumerated() {
            #expect(isClose(adjusted(member, "bh"), expected[index], relative: 1e-12))
        }
        for (arguments, message) in [(["--adjust", "romano-wolf"], "saved runs do not carry"), (["--adjust", "holm", "--format", "csv"], "not csv"),
                                     (["--adjust", "holm,nope"], "got 'nope'")] {
            let refused = try runQuipu(["table"] + paths + arguments)
            #expect(refused.status == 64 && refused.standardError.contains(message), "\(arguments): \(refused.standardError)")
        }
    }
}
