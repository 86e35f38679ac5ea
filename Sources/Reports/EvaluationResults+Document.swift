import DiD
import Primitives
import Reporting
import Foundation

extension EvaluationResults {
    /// "1 outcome", "6 outcomes".
    static func count(_ value: Int, _ noun: String) -> String { "\(value) \(noun)\(value == 1 ? "" : "s")" }

    /// The report: sections in the order an evaluator reads them, with what each diagnostic flags.
    public var document: ReportDocument {
        var blocks = [ReportDocument.Block]()
        let plots = self.plots
        let programmeList = spec.programmes.map { "\($0.label) (\($0.name), cohort column `\($0.cohort)`)" }.joined(separator: "; ")
        blocks.append(.paragraph("This report evaluates \(programmeList) on \(Self.count(Set(spec.outcomes.map(\.column)).count, "outcome")) (\(Self.count(spec.outcomes.count, "outcome-scale pair"))), from the panel `\(spec.data)` (\(NumberFormat.grouped(sample.units)) \(unitsNoun), \(NumberFormat.grouped(sample.rows)) \(observationsNoun)). Every number comes from `quipu report --spec \(URL(fileURLWithPath: spec.path).lastPathComponent)`; `manifest.json` records the data's SHA-256, the seed and the Quipu version that reproduce it."))
        blocks.append(.heading("Headline effects", id: "headline"))
        blocks.append(.table(headlineTable))
        let biased = effects.filter { effect in
            effect.headline && effect.estimator == .twfe && spec.programmes.first { $0.name == effect.programme }.map { hasManyCohorts($0) } == true
        }
        if !biased.isEmpty {
            blocks.append(.paragraph("**Caution:** " + biased.map { "\($0.programme) × \($0.outcome)" }.joined(separator: ", ") + " rest on TWFE although support starts in many different years: with effects that differ by start year and grow with time, TWFE compares later-supported \(unitsNoun) with already-supported ones and is biased (see the Goodman-Bacon diagnostic). Read them beside the heterogeneity-robust estimates of the same programme on the log scale."))
        }
        if let percent = poissonHeadlineText { blocks.append(.paragraph(percent)) }
        blocks.append(.paragraph("Effects are read on each outcome's scale: " + Set(spec.outcomes.map(\.scale)).sorted { $0.rawValue < $1.rawValue }.map { "**\($0.rawValue)**: \(Self.reading($0))" }.joined(separator: "; ") + "."))

        blocks.append(.heading("Sample and attrition", id: "sample"))
        var sampleText = "The panel holds \(NumberFormat.grouped(sample.rowsRead)) rows"
        if let filter = sample.filter { sampleText += "; the spec's filter `\(filter)` keeps \(NumberFormat.grouped(sample.rows))" }
        sampleText += ". \(NumberFormat.grouped(sample.units)) \(unitsNoun) are observed over \(sample.periods.count) periods; \(sample.entries) enter after the first period and \(sample.exits) leave before the last. \(spec.unitNoun.manyCapitalized) that leave are not replaced: if leaving depends on support or on how a \(spec.unitNoun.one) fares, the estimates describe the \(unitsNoun) that stayed."
        blocks.append(.paragraph(sampleText))
        blocks.append(.table(sampleTable))
        blocks.append(.table(outcomeTable))

        blocks.append(.heading("Who was supported, and who they are compared with", id: "overlap"))
        let programmeSentences = spec.programmes.map { programme -> String in
            return "\(programme.name): \(unitsNoun) in the programme from the period in `\(programme.cohort)`, compared with \(unitsNoun) never in it (\(programme.control == .never ? "never-supported" : "not-yet-supported") controls for Callaway–Sant'Anna)\(programme.filter.map { ", on rows where `\($0)`" } ?? "")."
        }
        blocks.append(.bullets(programmeSentences))
        if !overlaps.isEmpty { blocks.append(.table(overlapTable)) }

        blocks.append(.heading("Raw trends", id: "trends"))
        blocks.append(.paragraph("The \(spec.trendStatistic) of each outcome by \(spec.periodNoun) for supported and never-supported \(unitsNoun), before any model, on the rows each programme's estimates use and on the scale each outcome is estimated on: the log for log outcomes (drawn where the outcome is positive, as the estimates keep it; a mean of logs is not dominated by a few very large \(unitsNoun)), the share above zero for the extensive margin, the outcome itself otherwise\(spec.trendStatistic == "mean" ? " (a mean in levels follows the largest \(unitsNoun); `trends: median` in the spec draws medians)" : ""). Lines that already diverge before support starts warn that the comparison \(unitsNoun) may not show what the supported \(unitsNoun) would have done without support."))
        blocks += plots.filter { $0.section == "trends" }.map { .plot($0) }

        blocks.append(.heading("Effects by programme, outcome and estimator", id: "effects"))
        blocks.append(.table(effectsTable))
        blocks.append(.bullets(estimatorNotes))

        blocks.append(.heading("Event-study profiles", id: "event-study"))
        blocks.append(.paragraph("Effects by \(spec.periodNoun)s since support started, from every estimator on one chart. Points left of the dashed line are placebo effects before support: they should be near zero. Effects that grow to the right are effects that build up with time."))
        if let mixed = mixedReferencesText { blocks.append(.paragraph(mixed)) }
        blocks += plots.filter { $0.section == "event-study" }.map { .plot($0) }

        blocks.append(.heading("Pre-trend tests", id: "pretrends"))
        blocks.append(.table(pretrendTable))
        blocks.append(.bullets([
            "A small p-value (below 0.05) says effects before support differ from zero: supported \(unitsNoun) were already growing differently (selection on growth, or anticipation). The estimates then mix the programme with that difference.",
            "A large p-value is not proof of parallel trends: with tens of supported \(unitsNoun) the test has little power, and estimates chosen because a pre-test passed are biased in their own way (Roth 2022).",
            "Tests differ across estimators: TWFE tests its event-study leads against the year before support; Sun–Abraham its interaction-weighted leads; the imputation test (Borusyak–Jaravel–Spiess) fits leads on untreated rows only.",
        ]))

        // One section, one part per question: how far trends may bend (breakdown values), what the
        // pre-test could see (its power), how many tests the headlines are (adjusted p-values), and
        // what the design could detect (MDE).
        blocks.append(.heading("How far to trust this", id: "trust"))
        blocks += breakdownBlocks
        blocks += trustPretestPowerBlocks
        blocks += trustMultiplicityBlocks
        if !designPower.isEmpty {
            blocks.append(.paragraph("**Detectable effects.** The smallest effect each headline's design could detect (Burlig, Preonas & Woerman 2020; errors calibrated from the panel after \(spec.unitNoun.one) and \(spec.periodNoun) effects, serial correlation included; `quipu power` answers the same for a planned evaluation):"))
            blocks.append(.bullets(designPowerSentences))
        }

        blocks.append(.heading("Goodman-Bacon diagnostic", id: "bacon"))
        if bacon.contains(where: { $0.decomposition != nil }) {
            blocks.append(.table(baconTable))
            let forbidden = bacon.compactMap { entry in entry.decomposition.map { (entry, $0.forbiddenWeight) } }
            if let worst = forbidden.max(by: { $0.1 < $1.1 }) {
                blocks.append(.paragraph("TWFE averages every 2x2 comparison of the panel. The share of its weight on later-supported \(unitsNoun) compared with already-supported ones is up to \(Int((worst.1 * 100).rounded()))% (\(worst.0.programme), \(worst.0.outcome)). Those comparisons subtract the growing effects of the earlier \(unitsNoun), so with effects that build up over time TWFE understates the effect; Callaway–Sant'Anna, Sun–Abraham, imputation and the extended TWFE never make them. The decomposition needs a balanced panel, so it covers only \(unitsNoun) observed with the outcome in every period."))
            }
        }
        let skipped = bacon.filter { $0.decomposition == nil }
        if !skipped.isEmpty {
            blocks.append(.bullets(skipped.map { "\($0.programme) × \($0.outcome): no decomposition: \($0.failure ?? "")" }))
        }

        blocks.append(.heading("Bootstrap", id: "bootstrap"))
        if bootstrap.isEmpty {
            blocks.append(.paragraph("The spec asks for no bootstrap; intervals are analytic."))
        } else {
            blocks.append(.table(bootstrapTable))
            blocks.append(.paragraph("The multiplier bootstrap redraws each \(spec.unitNoun.one)'s influence on the estimate; a bootstrap standard error close to the analytic one says the analytic interval is not flattered by few clusters. The sup-t critical value (above 1.96) is what the event-time intervals need to cover the whole profile with \(level) probability at once."))
        }

        if !subgroups.isEmpty {
            blocks.append(.heading("Subgroup effects", id: "subgroups"))
            blocks.append(.table(subgroupTable))
        }

        blocks.append(.heading("Notes and reproducibility", id: "notes"))
        var items = notes
        items.append("Tables are also in `tables/` as CSV (full precision) and LaTeX, plots in `plots/` as SVG, and every number in `results.json` (with each estimator's full `quipu did` output under `runs`).")
        items.append("`manifest.json` holds the spec, the data file's SHA-256, the seed, the threads and the Quipu version and commit: rerunning the spec on the same data gives the same `results.json`, byte for byte, with any number of threads.")
        blocks.append(.bullets(items))
        return ReportDocument(title: spec.title, blocks: blocks)
    }

    /// What each estimator in the report does, and when to trust it.
    /// The Poisson headlines as the % change in the mean with its interval (exp(b) − 1), beside
    /// the truth's when the spec names a truth file.
    var poissonHeadlineText: String? {
        let poisson = effects.filter { $0.headline && $0.scale == .poisson && $0.failure == nil && $0.estimate.isFinite }
        guard !poisson.isEmpty else { return nil }
        func percent(_ value: Double) -> String {
            let change = (exp(value) - 1) * 100
            return (change >= 0 ? "+" : "−") + NumberFormat.fixed(abs(change), decimals: 1) + "%"
        }
        let items = poisson.map { effect in
            "\(effect.programme) × \(effect.outcome) — \(effect.estimator.displayName): \(percent(effect.estimate)) (\(level) CI \(percent(effect.low)) to \(percent(effect.high))"
                + (effect.truth.map { "; true \(percent($0))" } ?? "") + ")"
        }
        return "Poisson headlines as the % change in the mean outcome, zeros included (100·(exp(b) − 1)): " + items.joined(separator: "; ") + "."
    }

    var estimatorNotes: [String] {
        let used = Set(effects.map(\.estimator))
        var notes = [String]()
        if used.contains(.callawaySantAnna) { notes.append("**Callaway–Sant'Anna** compares each cohort with never-supported \(unitsNoun) period by period (doubly robust 2x2 comparisons) and averages the effects: robust to effects that differ by start year and grow with time.") }
        if used.contains(.sunAbraham) { notes.append("**Sun–Abraham** estimates cohort × years-since-support effects in one regression and averages them: the same robustness as Callaway–Sant'Anna, through a regression.") }
        if used.contains(.imputation) { notes.append("**Imputation** (Borusyak–Jaravel–Spiess) fits \(spec.unitNoun.one) and period effects on unsupported \(observationsNoun) only and imputes what supported \(unitsNoun) would have done: efficient when trends are parallel.") }
        if used.contains(.etwfe) { notes.append("**Extended TWFE** (Wooldridge 2021, 2023) interacts support with every cohort × period, so each cell has its own effect and no supported \(spec.unitNoun.one) serves as a control: robust to effects that differ by start year and grow with time. On Poisson outcomes it is a Poisson regression, and its effect is the log ratio of the supported \(unitsNoun)' mean outcome to their counterfactual mean over the supported cells (zeros included), the scale of the truth file's log ratio of means.") }
        if used.contains(.twfe) { notes.append("**TWFE** regresses the outcome on a support dummy with \(spec.unitNoun.one) and period effects. With one start year it is the usual difference-in-differences; with staggered starts and growing effects it is biased (see the Goodman-Bacon diagnostic), and is shown as a benchmark.") }
        if spec.outcomes.contains(where: { $0.scale == .poisson }) { notes.append("**Poisson** outcomes keep \(observationsNoun) with a zero outcome (a log outcome drops them) and estimate the proportional change in the mean; they run the extended TWFE where the programme lists etwfe, and TWFE as the benchmark.") }
        if spec.outcomes.contains(where: { $0.scale == .extensive }) { notes.append("The **extensive margin** I(y > 0) is a linear probability model: the change in the share of \(unitsNoun) with a positive value.") }
        return notes
    }
}
