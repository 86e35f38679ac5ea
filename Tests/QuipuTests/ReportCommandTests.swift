import Foundation
import Testing
import QuipuTestSupport

/// `quipu report`: the Peru report's sections, tables and plots, its headline numbers against its
/// JSON, results that do not depend on the thread count, and spec errors that name their line.
@Suite("quipu report", .tags(.slow))
struct ReportCommandTests {
    static let peruData = repositoryRoot.appendingPathComponent("Datasets/peru-natural-ingredients/peru.csv").path
    static let peruSpec = repositoryRoot.appendingPathComponent("Datasets/peru-natural-ingredients/evaluation.yaml").path

    /// A small spec on the Peru panel: one programme, one outcome, two estimators, a short bootstrap.
    static func smallSpec(_ extra: String = "", outcomes: String = "  - { column: sales, scale: log }") -> String {
        """
        title: Small report
        data: \(peruData)
        unit: firm_id
        time: year
        programmes:
          - name: PUM
            cohort: pum_cohort
            estimators: [cs, twfe]
            filter: "pum_cohort != 2004"
        outcomes:
        \(outcomes)
        inference:
          bootstrap: { method: multiplier, reps: 199 }
          seed: 7
        \(extra)
        """
    }

    static func outputDirectory() throws -> String {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("quipu-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        return parent.appendingPathComponent("report").path
    }

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    @Test("the Peru report has every section, table and plot, and its headline numbers are the JSON's")
    func peruReport() throws {
        let out = try Self.outputDirectory()
        let run = try runQuipu(["report", "--spec", Self.peruSpec, "--out", out])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("Report written to \(out)/report.html"))
        let html = try Self.read("\(out)/report.html")
        let markdown = try Self.read("\(out)/report.md")
        for section in ["headline", "sample", "overlap", "trends", "effects", "event-study", "pretrends", "bacon", "bootstrap", "subgroups", "notes"] {
            #expect(html.contains("<h2 id=\"\(section)\">"), "section \(section)")
        }
        for heading in ["Headline effects", "Sample and attrition", "Raw trends", "Event-study profiles", "Pre-trend tests", "Goodman-Bacon diagnostic", "Bootstrap", "Subgroup effects"] {
            #expect(markdown.contains("## \(heading)"), "markdown section \(heading)")
        }
        // Self-contained: no external stylesheet, script or image.
        for external in ["<link", "<script", "<img", "src=", "url(", "@import"] { #expect(!html.contains(external), "external asset: \(external)") }
        for table in ["headline", "sample", "outcomes", "overlap", "effects", "pretrends", "bacon", "bootstrap", "subgroups"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/tables/\(table).csv"), "tables/\(table).csv")
            #expect(try Self.read("\(out)/tables/\(table).tex").contains("\\begin{tabular}"), "tables/\(table).tex")
            #expect(html.contains("id=\"table-\(table)\""), "table \(table) in the HTML")
        }
        let plots = try FileManager.default.contentsOfDirectory(atPath: "\(out)/plots").filter { $0.hasSuffix(".svg") }.sorted()
        #expect(plots.count == 24, "12 trend plots and 12 event-study plots (programme × outcome), got \(plots)")
        for plot in plots { #expect(html.contains("id=\"plot-\(plot.dropLast(4))\""), "plot \(plot) inline") }

        // Nothing in the results depends on where the data sit on this machine.
        #expect(!(try Self.read("\(out)/results.json")).contains(repositoryRoot.path))
        let results = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/results.json"))) as? [String: Any])
        let headline = try #require(results["headline"] as? [[String: Any]])
        #expect(headline.count == 12)
        let rows = html.components(separatedBy: "id=\"table-headline\"")[1].components(separatedBy: "</table>")[0].components(separatedBy: "<tr>").dropFirst(2)
        #expect(rows.count == headline.count)
        for (row, entry) in zip(rows, headline) {
            let cells = row.components(separatedBy: "</td>").map { $0.components(separatedBy: ">").last ?? "" }
            for (index, key) in [(3, "estimate"), (4, "conf_low"), (5, "conf_high")] {
                let value = try #require(entry[key] as? Double)
                // Four significant digits, as fixest's etable prints estimates.
                let shown = try #require(Double(cells[index]), "\(cells[index])")
                #expect(ReportReaderTests.significantDigits(cells[index]) == 4 && abs(shown - value) <= 0.0005 * abs(value),
                        "\(entry["programme"] ?? "") \(entry["outcome"] ?? "") \(key): \(cells[index]) against \(value)")
            }
        }
        // PUM's heterogeneity-robust headline on log(sales) is near the truth (0.198); TWFE is not.
        let pumSales = try #require(headline.first { ($0["programme"] as? String) == "PUM" && ($0["expression"] as? String) == "log(sales)" })
        #expect(pumSales["estimator"] as? String == "cs")
        #expect(abs((pumSales["estimate"] as? Double ?? 0) - 0.198) < 0.03)

        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/manifest.json"))) as? [String: Any])
        #expect((manifest["data"] as? [String: Any])?["sha256"] as? String == "cee1371204eeeb080a8011fe790eee2eace2ae54c3d4218ecabf735093bd3642")
        #expect(manifest["seed"] as? String == "20180601")
        #expect((manifest["spec"] as? String)?.contains("programmes:") == true)
        #expect(manifest["wall_seconds"] is Double)
    }

    @Test("the same spec gives byte-identical results with 1 and 2 threads")
    func deterministic() throws {
        let spec = try temporaryFile(Self.smallSpec(), name: "small.yaml")
        let first = try Self.outputDirectory(), second = try Self.outputDirectory()
        let one = try runQuipu(["report", "--spec", spec, "--out", first, "--threads", "1"])
        let two = try runQuipu(["report", "--spec", spec, "--out", second, "--threads", "2"])
        #expect(one.status == 0 && two.status == 0, "\(one.standardError) \(two.standardError)")
        for file in ["results.json", "report.html", "report.md", "tables/effects.csv"] {
            #expect(try Self.read("\(first)/\(file)") == Self.read("\(second)/\(file)"), "\(file) differs between 1 and 2 threads")
        }
        // A second run over an earlier report replaces it whole.
        let again = try runQuipu(["report", "--spec", spec, "--out", first, "--threads", "2"])
        #expect(again.status == 0)
        #expect(try Self.read("\(first)/results.json") == Self.read("\(second)/results.json"))
    }

    @Test("a bad spec names its line and key and writes nothing", arguments: [
        (ReportCommandTests.smallSpec(outcomes: "  - { column: salez, scale: log }"), "bad.yaml:11:", "outcomes[0].column: outcome 'salez' is not a column"),
        (ReportCommandTests.smallSpec().replacingOccurrences(of: "[cs, twfe]", with: "[cs, did2s]"), "bad.yaml:8:", "programmes[0].estimators[1]: unknown estimator 'did2s'"),
        (ReportCommandTests.smallSpec().replacingOccurrences(of: "[cs, twfe]", with: "[cs, ddd]"), "bad.yaml:8:", "programmes[0].estimators[1]: estimator 'ddd' (triple differences) needs a partition column"),
        (ReportCommandTests.smallSpec().replacingOccurrences(of: "cohort: pum_cohort", with: "cohort: [pum_cohort"), "bad.yaml:8:", "YAML syntax: while parsing a flow sequence (begun at line 7)"),
        (ReportCommandTests.smallSpec(outcomes: "  - { column: cbi_treated, scale: log }"), "outcomes[0].scale", "0/1"),
        (ReportCommandTests.smallSpec(outcomes: "  - { column: emp_permanent, scale: extensive }"), "outcomes[0].scale", "no margin to move"),
        (ReportCommandTests.smallSpec("trendz: mean"), "trendz", "did you mean 'trends'"),
    ])
    func badSpec(spec text: String, location: String, message: String) throws {
        let spec = try temporaryFile(text, name: "bad.yaml")
        let out = try Self.outputDirectory()
        let run = try runQuipu(["report", "--spec", spec, "--out", out])
        #expect(run.status == 1)
        #expect(run.standardError.contains("bad.yaml:"), "\(run.standardError)")
        #expect(run.standardError.contains(location), "\(run.standardError)")
        #expect(run.standardError.contains(message), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let parent = URL(fileURLWithPath: out).deletingLastPathComponent().path
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty, "no staging directory left behind")
    }
}
