import Foundation
import Testing

/// `quipu report` on a Poisson outcome of a staggered programme (issue 22, point 4): the spec's
/// `estimators` takes `etwfe`, whose log ratio of means is the headline (with its % change and
/// interval), and TWFE stays beside it as the benchmark with its caution.
@Suite("quipu report: Poisson outcomes headline the extended TWFE")
struct ReportPoissonHeadlineTests {
    static let programme = "  - { name: Grant, cohort: cohort, estimators: [cs, etwfe, twfe], window: [-3, 2] }"
    static let outcomes = "  - { column: sales, scale: poisson }\n  - { column: jobs, scale: level }"

    @Test("the extended TWFE's log ratio is the Poisson headline, equal to quipu did's lr_att; TWFE is the benchmark")
    func extendedTWFEHeadline() throws {
        let spec = try ReportPanelFixture.write(programme: Self.programme, outcomes: Self.outcomes)
        let (run, out) = try ReportReaderTests.run(spec)
        #expect(run.status == 0, "\(run.standardError)")
        let effects = try #require(try ReportReaderTests.results(out)["effects"] as? [[String: Any]])
        let poisson = effects.filter { $0["expression"] as? String == "sales" }
        #expect(poisson.map { $0["estimator"] as? String } == ["etwfe", "twfe"])
        let headline = try #require(poisson.first { $0["headline"] as? Bool == true })
        #expect(headline["estimator"] as? String == "etwfe")
        // The level outcome runs the programme's list as given.
        #expect(effects.filter { $0["expression"] as? String == "jobs" }.map { $0["estimator"] as? String } == ["cs", "etwfe", "twfe"])

        let data = URL(fileURLWithPath: spec).deletingLastPathComponent().appendingPathComponent("panel.csv").path
        let did = try runQuipu(["did", "--data", data, "--unit", "id", "--time", "year", "--cohort", "cohort", "--outcome", "sales",
                                "--model", "poisson", "--estimator", "etwfe", "--format", "json"])
        let lrAtt = try #require((did.json?["aggregates"] as? [[String: Any]])?.first { $0["label"] as? String == "lr_att" })
        let estimate = try #require(headline["estimate"] as? Double)
        #expect(abs(estimate - (try #require(lrAtt["estimate"] as? Double))) < 1e-12)
        #expect(abs((headline["conf_low"] as? Double ?? .nan) - (lrAtt["conf_low"] as? Double ?? 0)) < 1e-12)
        // Sales grow 5% (0.05 log points) with support, multiplicatively, up to ±0.01 of noise.
        #expect(abs(estimate - 0.05) < 0.01, "\(estimate)")

        let markdown = try ReportCommandTests.read("\(out)/report.md")
        let percent = { (value: Double) in (value >= 0 ? "+" : "−") + String(format: "%.1f", abs(expm1(value) * 100)) + "%" }
        let low = try #require(headline["conf_low"] as? Double), high = try #require(headline["conf_high"] as? Double)
        #expect(markdown.contains("Extended TWFE (Wooldridge): \(percent(estimate)) (95% CI \(percent(low)) to \(percent(high)))"), "\(markdown)")
        // TWFE stays beside it, flagged, and no caution says the headline rests on TWFE.
        let table = ReportPanelFixture.markdownTable(markdown, title: "Effects by programme")
        #expect(table.rows.contains { $0.contains("TWFE (biased if effects vary)") && $0.contains { $0.contains("Poisson") } })
        #expect(!markdown.contains("**Caution:**"))
    }

    @Test("a staggered programme without etwfe keeps TWFE on Poisson outcomes, with a note naming etwfe")
    func withoutExtendedTWFE() throws {
        // The level outcome brings the Goodman-Bacon diagnostic that marks the programme as staggered.
        let spec = try ReportPanelFixture.write(outcomes: Self.outcomes)
        let (run, out) = try ReportReaderTests.run(spec)
        #expect(run.status == 0, "\(run.standardError)")
        let results = try ReportReaderTests.results(out)
        let effects = try #require(results["effects"] as? [[String: Any]])
        #expect(effects.filter { $0["expression"] as? String == "sales" }.map { $0["estimator"] as? String } == ["twfe"])
        let notes = try #require(results["notes"] as? [String])
        #expect(notes.contains { $0.contains("add etwfe to the programme's estimators") }, "\(notes)")
        let markdown = try ReportCommandTests.read("\(out)/report.md")
        #expect(markdown.contains("**Caution:** Grant × sales"), "\(markdown)")
    }

    @Test("an unknown estimator's message lists etwfe")
    func unknownEstimatorNamesEtwfe() throws {
        let spec = try ReportPanelFixture.write(programme: "  - { name: Grant, cohort: cohort, estimators: [wooldridge] }")
        let (run, _) = try ReportReaderTests.run(spec)
        #expect(run.status != 0 && run.standardError.contains("unknown estimator 'wooldridge'") && run.standardError.contains("etwfe"), "\(run.standardError)")
    }
}
