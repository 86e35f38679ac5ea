import Foundation
import QuipuTestSupport
import Testing

/// `quipu did --estimator cic|qdid|qtt` on staggered cohorts, its bootstrap, outputs and refusals.
@Suite struct DistributionalCommandTests {
    /// A staggered panel: cohorts 2003 (units 1–12), 2004 (13–26), a one-unit cohort 2005 (unit 27)
    /// and never-treated units, 2001–2005; continuous outcomes with a spread that the treatment widens.
    static func panel(units: Int = 60, firstPeriodCohort: Bool = false) -> String {
        var lines = ["unit,year,cohort,y,heads"]
        for unit in 1...units {
            let cohort = unit <= 12 ? 2003 : unit <= 26 ? 2004 : unit == 27 ? 2005 : (firstPeriodCohort && unit <= 30 ? 2001 : 0)
            for year in 2001...2005 {
                let noise = sin(Double(unit * 31 + year * 7)) + 0.3 * cos(Double(unit * year))
                let treated = cohort > 0 && year >= cohort ? 0.5 + 0.4 * noise : 0
                let y = 2 + 0.1 * Double(unit % 7) + 0.05 * Double(year - 2000) + noise + treated
                lines.append("\(unit),\(year),\(cohort),\(y),\(unit % 3 + (year % 2))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func run(_ csv: String, _ extra: [String]) throws -> Invocation {
        try runQuipu(["did", "--data", try temporaryFile(csv), "--unit", "unit", "--time", "year", "--cohort", "cohort", "--outcome", "y"] + extra)
    }

    func json(_ run: Invocation) throws -> [String: Any] {
        #expect(run.status == 0, "\(run.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
    }

    /// simple = Σ over post cells of n_g·θ_gt / Σ n_g, quantile by quantile; dynamic e averages
    /// the cohorts at e by size (Callaway–Sant'Anna's weights), derived here from the cells.
    @Test(arguments: ["cic", "qdid", "qtt"]) func aggregatesWeightCellsByCohortSize(estimator: String) throws {
        let document = try json(try run(Self.panel(), ["--estimator", estimator, "--reps", "0", "--format", "json"]))
        let cells = try #require(document["att_gt"] as? [[String: Any]])
        let aggregates = try #require(document["aggregates"] as? [[String: Any]])
        for tau in [nil, 0.25, 0.5] as [Double?] {
            let at = cells.filter { jsonNumber($0["quantile"]) == tau }
            let post = at.filter { (($0["event_time"] as? Int) ?? -1) >= 0 }
            let weighted = post.reduce(0.0) { $0 + Double($1["n_treated"] as? Int ?? 0) * (jsonNumber($1["estimate"]) ?? .nan) }
            let total = post.reduce(0.0) { $0 + Double($1["n_treated"] as? Int ?? 0) }
            let simple = aggregates.first { $0["type"] as? String == "simple" && jsonNumber($0["quantile"]) == tau }
            expectClose(jsonNumber(simple?["estimate"]), weighted / total, absolute: 1e-12, "\(estimator) simple τ = \(String(describing: tau))")
            let atZero = post.filter { $0["event_time"] as? Int == 0 }
            let zero = atZero.reduce(0.0) { $0 + Double($1["n_treated"] as? Int ?? 0) * (jsonNumber($1["estimate"]) ?? .nan) }
                / atZero.reduce(0.0) { $0 + Double($1["n_treated"] as? Int ?? 0) }
            let dynamic = aggregates.first { $0["type"] as? String == "dynamic" && ($0["by"] as? [[String: Any]])?.first?["event_time"] as? Int == 0
                && jsonNumber($0["quantile"]) == tau }
            expectClose(jsonNumber(dynamic?["estimate"]), zero, absolute: 1e-12, "\(estimator) e0 τ = \(String(describing: tau))")
        }
        // The one-unit cohort still has cells, against 33 never-treated units.
        #expect(cells.contains { $0["group"] as? Int == 2005 && $0["n_treated"] as? Int == 1 && $0["n_control"] as? Int == 33 })
    }

    /// Not-yet-treated comparisons: cell (2003, 2003) compares cohort 2003 with the never-treated
    /// and cohorts 2004 and 2005 (14 + 1 + 33 units).
    @Test func notYetTreatedComparisons() throws {
        let document = try json(try run(Self.panel(), ["--estimator", "cic", "--reps", "0", "--control", "notyet", "--format", "json"]))
        let cells = try #require(document["att_gt"] as? [[String: Any]])
        let cell = try #require(cells.first { $0["group"] as? Int == 2003 && $0["time"] as? Int == 2003 && $0["quantile"] == nil })
        #expect(cell["n_control"] as? Int == 48)
    }

    /// The bootstrap gives the same draws for any thread count; a one-unit cohort's cells, absent
    /// from some draws, get no standard error, and the aggregates still do.
    @Test func bootstrapIsThreadInvariant() throws {
        let csv = Self.panel()
        let one = try run(csv, ["--estimator", "cic", "--reps", "99", "--seed", "5", "--threads", "1", "--format", "json"])
        let two = try run(csv, ["--estimator", "cic", "--reps", "99", "--seed", "5", "--threads", "2", "--format", "json"])
        #expect(one.status == 0 && one.standardOutput == two.standardOutput)
        let document = try json(one)
        let cells = try #require(document["att_gt"] as? [[String: Any]])
        let lonely = try #require(cells.first { $0["group"] as? Int == 2005 && $0["time"] as? Int == 2005 && $0["quantile"] == nil })
        #expect(jsonNumber(lonely["std_error"]) == nil)
        let simple = try #require((document["aggregates"] as? [[String: Any]])?.first { $0["type"] as? String == "simple" && $0["quantile"] != nil })
        #expect((jsonNumber(simple["std_error"]) ?? 0) > 0)
        #expect(jsonNumber(simple["uniform_high"]) != nil)
        let other = try run(csv, ["--estimator", "cic", "--reps", "99", "--seed", "6", "--format", "json"])
        #expect(other.standardOutput != one.standardOutput)
        #expect(one.standardOutput.contains("fewer than 20 treated units"))
    }

    /// Text (a quantile column), CSV (a quantile column) and the QTE curve as SVG.
    @Test func outputs() throws {
        let csv = Self.panel()
        let text = try run(csv, ["--estimator", "qdid", "--reps", "49", "--quantiles", "0.25,0.5,0.75"])
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("quantile") && text.standardOutput.contains("Uniform 95% band over quantiles (att)"))
        let table = try run(csv, ["--estimator", "qdid", "--reps", "0", "--format", "csv"])
        let lines = table.standardOutput.split(separator: "\n")
        #expect(lines.first?.hasSuffix(",quantile") == true)
        #expect(lines.contains { $0.hasPrefix("qdid,simple,") && $0.hasSuffix(",0.5") })
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quipu-qte-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let svg = directory.appendingPathComponent("qte.svg").path
        let plotted = try run(csv, ["--estimator", "qtt", "--reps", "49", "--qte-plot", svg])
        #expect(plotted.status == 0, "\(plotted.standardError)")
        let drawing = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(drawing.hasPrefix("<svg") || drawing.hasPrefix("<?xml"))
        #expect(drawing.contains("mean effect") && drawing.contains("Quantile"))
    }

    /// A cohort in the first period has no base period: its units are dropped and counted.
    @Test func cohortInTheFirstPeriodIsDropped() throws {
        let document = try json(try run(Self.panel(firstPeriodCohort: true), ["--estimator", "cic", "--reps", "0", "--format", "json"]))
        let sample = try #require((document["sample"] as? [[String: Any]])?.first)
        let drops = try #require(sample["dropped"] as? [[String: Any]])
        #expect(drops.contains { ($0["reason"] as? String)?.contains("first period") == true && $0["units"] as? Int == 3 })
    }

    @Test func refusals() throws {
        let csv = Self.panel()
        for (extra, status, message) in [
            (["--estimator", "cic", "--quantiles", "0.5,1.2"], Int32(64), "not inside (0, 1)"),
            (["--estimator", "cic", "--quantiles", "0.5,median"], 64, "'median' is not a number"),
            (["--estimator", "qdid", "--bootstrap", "multiplier"], 64, "always resamples units"),
            (["--estimator", "cic", "--reps", "5"], 64, "--reps 5"),
            (["--estimator", "cic", "--covariates", "heads"], 1, "takes no --covariates"),
            (["--estimator", "qdid", "--base-period", "universal"], 64, "varying base period"),
            (["--estimator", "qtt", "--aggregate", "simple,calendar"], 64, "simple, dynamic and group only"),
        ] {
            let result = try run(csv, extra)
            #expect(result.status == status, "\(extra): \(result.standardError)")
            #expect(result.standardError.contains(message), "\(extra): \(result.standardError)")
        }
        // A head count: discrete, refused by changes-in-changes in one line.
        let counts = try runQuipu(["did", "--data", try temporaryFile(csv), "--unit", "unit", "--time", "year", "--cohort", "cohort",
                                   "--outcome", "heads", "--estimator", "cic"])
        #expect(counts.status == 1 && counts.standardError.contains("is discrete"))
        #expect(counts.standardError.split(separator: "\n").count == 1)
        // Panel QTT needs two periods before a cohort's start.
        // Years 2003 and 2004 without the 2005 cohort: cohort 2003 starts in the first period, 2004 has one period before it.
        let short = Self.panel().split(separator: "\n").filter { line in
            let fields = line.split(separator: ",")
            return fields[0] == "unit" || (["2003", "2004"].contains(fields[1]) && fields[0] != "27")
        }
        let twoPeriods = try runQuipu(["did", "--data", try temporaryFile(short.joined(separator: "\n") + "\n"), "--unit", "unit", "--time", "year",
                                       "--cohort", "cohort", "--outcome", "y", "--estimator", "qtt"])
        #expect(twoPeriods.status == 1 && twoPeriods.standardError.contains("needs three periods"), "\(twoPeriods.standardError)")
    }
}
