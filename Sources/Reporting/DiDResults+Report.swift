import DiD
import Foundation
import Primitives

/// Text, Markdown, LaTeX and JSON renderings of `quipu did`, and its event-study plot.
extension DiDResults {
    /// The JSON document: the run's header (outcome, panel, the header's covariance and
    /// observations, cohorts, the event study's reference period and window), then every
    /// estimator's effect set in one shape (`staggeredJSON`; TWFE's 2x2, regression covariance
    /// and Goodman-Bacon decomposition are fields of its `inference` entry), then the notes.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("command", .string("did")),
            ("model", .string(model.rawValue)),
            ("dependent", .string(outcome)),
            ("unit", .string(unit)),
            ("time", .string(time)),
            ("nobs", .integer(observationCount)),
            ("vcov", .string(covariance.description)),
            ("n_clusters", clusterCount.map { .integer($0) } ?? .null),
            ("cohorts", .array(cohortSizes.map { CohortSizeRecord(cohort: $0.cohort, units: $0.units).json })),
        ]
        // The robust estimators' scale, when not levels (their rows then carry percent fields).
        if effect == .proportional { pairs.insert(("effect", .string(effect.rawValue)), at: 2) }
        if let referencePeriod { pairs.append(("reference_period", .integer(referencePeriod))) }
        if let window { pairs.append(("window", .array([.integer(window.lowerBound), .integer(window.upperBound)]))) }
        pairs += staggeredJSON
        if let switchingTreatment { pairs.append(("switching_treatment", switchingTreatment.json)) }
        pairs.append(("notes", .array(notes.map { .string($0.noteText) })))
        return JSONValue.object(pairs).addingSubset(subset).versioned()
    }

    /// What only TWFE's regressions report, as fields of its `inference` entry: the regression
    /// covariance, the 2x2 comparison (null without one) and the Goodman-Bacon decomposition
    /// (with `--decompose`).
    var twfeRegressionJSON: [(String, JSONValue)] {
        // The header states the regression covariance whenever TWFE ran (DiDAnalysis.run).
        var pairs: [(String, JSONValue)] = [("vcov", .string(covariance.description))]
        let twoByTwo = estimates.first { $0.estimand == "2x2" }.map { row in
            TwoByTwoRecord(coefficient: CoefficientRecord(term: row.term, inference: InferenceRecord(
                               estimate: row.estimate, standardError: row.standardError, statistic: row.statistic, pValue: row.pValue,
                               confidenceLow: row.confidenceLow, confidenceHigh: row.confidenceHigh)),
                           percentChange: model == .poisson ? PercentChangeRecord(logPoints: row.estimate, low: row.confidenceLow, high: row.confidenceHigh) : nil,
                           differenceOfMeans: differenceOfMeans)
        }
        pairs.append(("two_by_two", twoByTwo?.json ?? .null))
        if let bacon { pairs.append(("bacon", bacon.json)) }
        return pairs
    }

    /// A plain-text report.
    public var text: String {
        var lines = ["Difference-in-differences, Dep. Var.: \(outcome)",
                     "Panel: \(unit) × \(time); observations: \(observationCount); standard errors: \(covariance)"
                         + (covariance.statesClusterCount ? "" : clusterCount.map { " (\($0) clusters)" } ?? ""),
                     "Cohorts: " + cohortSizes.map { "\($0.cohort.map(String.init) ?? "never treated"): \($0.units)" }.joined(separator: ", ")]
        if let subset { lines.insert(subset.line, at: 1) }
        if model == .poisson && estimators.contains(.twfe) {
            lines.append("Model: Poisson pseudo-maximum likelihood (as fepois): estimates in log points, z tests; % change = 100·(exp(b) − 1)")
        } else if model == .poisson {
            lines.append("Model: Poisson pseudo-maximum likelihood (as fepois): effects in the outcome's units (average effects on the treated); log-ratio rows are log(E[Y1] / E[Y0]) over the treated cells, % change = 100·(exp(b) − 1)")
        }
        lines += staggeredTextLines
        if !estimates.isEmpty && staggered.contains(where: { $0.estimator != .twfe }) {
            lines.append("")
            lines.append("== TWFE" + (estimators.first == .twfe ? "" : " (for comparison: biased when effects differ across cohorts or grow over time)") + " ==")
            if let sample = samples.first(where: { $0.estimator == .twfe })?.sample { lines.append(sample.summaryLine) }
        }
        let poisson = model == .poisson
        // Clustered Poisson estimates are tested with t(G − 1) like every clustered estimate (FewClusters).
        let normal = poisson && clusterCount == nil
        var header = ["estimand", "event time", "Estimate", "Std. Error", normal ? "z value" : "t value", normal ? "Pr(>|z|)" : "Pr(>|t|)",
                      "95% low", "95% high", "treated units", "cohorts"]
        if poisson { header += ["% change", "% 95% low", "% 95% high"] }
        var rows = [header]
        for row in estimates {
            var cells = [row.estimand, row.eventTime.map(String.init) ?? "", NumberFormat.significant(row.estimate),
                         NumberFormat.significant(row.standardError), NumberFormat.significant(row.statistic),
                         NumberFormat.pValue(row.pValue) + " " + NumberFormat.stars(row.pValue),
                         NumberFormat.significant(row.confidenceLow), NumberFormat.significant(row.confidenceHigh),
                         row.treatedUnits.map(String.init) ?? "", row.cohortCount.map(String.init) ?? ""]
            if poisson {
                let percent = PercentChangeRecord(logPoints: row.estimate, low: row.confidenceLow, high: row.confidenceHigh)
                cells += [percent.change, percent.low, percent.high].map { NumberFormat.significant($0, digits: 4) }
            }
            rows.append(cells)
        }
        if !estimates.isEmpty {
            lines.append("")
            lines.append(contentsOf: TextGrid.lines(rows, markdown: false))
        }
        if let differenceOfMeans {
            lines.append("")
            lines.append("2x2 as a difference of the four means: \(NumberFormat.significant(differenceOfMeans, digits: 10))")
        }
        if let referencePeriod { lines.append("Event study: reference period \(referencePeriod)" + (window.map { ", window \($0.lowerBound):\($0.upperBound) (end points bin the periods beyond)" } ?? "")) }
        if let test = pretrendTest {
            lines.append("Pre-trend test (all pre-period coefficients = 0): F(\(test.numeratorDegrees), \(NumberFormat.significant(test.denominatorDegrees ?? .nan))) = "
                         + "\(NumberFormat.significant(test.statistic, digits: 5)), p = \(NumberFormat.pValue(test.pValue))")
        }
        if let bacon {
            lines.append("")
            lines.append(contentsOf: bacon.textLines)
        }
        if estimators == [.twfe], let sample = samples.first?.sample {
            lines.append(sample.summaryLine)
            lines.append(contentsOf: sample.dropLines)
        }
        for warning in pretrendWarnings { lines.append("Warning: \(warning.message)") }
        for note in notes { lines.append("Note: \(note.noteText)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Markdown report.
    public var markdown: String {
        var lines = ["| estimand | event time | estimate | std. error | p-value | 95% CI |", "|:--|--:|--:|--:|--:|:--:|"]
        for row in estimates {
            lines.append("| \(row.estimand) | \(row.eventTime.map(String.init) ?? "") | \(NumberFormat.significant(row.estimate)) | "
                         + "\(NumberFormat.significant(row.standardError)) | \(NumberFormat.pValue(row.pValue)) | "
                         + "[\(NumberFormat.significant(row.confidenceLow)), \(NumberFormat.significant(row.confidenceHigh))] |")
        }
        if estimates.isEmpty { lines = [] }
        lines += staggeredMarkdownLines
        lines.append("")
        if let subset { lines.append("Sample: \(subset.line).") }
        lines.append("Outcome `\(outcome)`; \(observationCount) observations; standard errors \(covariance).")
        if model == .poisson && estimators.contains(.twfe) {
            lines.append("Poisson pseudo-maximum likelihood: estimates in log points (z tests); as % changes, 100·(exp(b) − 1): "
                         + estimates.map { "\($0.estimand)\($0.eventTime.map { " \($0)" } ?? "") \(NumberFormat.significant(PercentChangeRecord(logPoints: $0.estimate, low: .nan, high: .nan).change, digits: 4))%" }.joined(separator: ", ") + ".")
        }
        if let test = pretrendTest {
            lines.append("Pre-trend test: F(\(test.numeratorDegrees), \(NumberFormat.significant(test.denominatorDegrees ?? .nan))) = \(NumberFormat.significant(test.statistic, digits: 5)), p = \(NumberFormat.pValue(test.pValue)).")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A LaTeX tabular of the estimates.
    public var latex: String {
        var lines = ["\\begin{tabular}{llcc}", "\\toprule", "Estimand & Event time & Estimate & Std. error \\\\", "\\midrule"]
        for row in estimates {
            lines.append("\(CoefficientTable.latexEscape(row.estimand)) & \(row.eventTime.map(String.init) ?? "") & "
                         + "\(NumberFormat.significant(row.estimate, digits: 4)) & (\(NumberFormat.significant(row.standardError, digits: 4))) \\\\")
        }
        lines += staggeredLatexRows
        lines.append("\\bottomrule")
        if let test = pretrendTest {
            lines.append("\\multicolumn{4}{l}{\\footnotesize Pre-trend F(\(test.numeratorDegrees), \(NumberFormat.significant(test.denominatorDegrees ?? .nan))) = \(NumberFormat.significant(test.statistic, digits: 4)), p = \(NumberFormat.pValue(test.pValue))} \\\\")
        }
        lines.append("\\end{tabular}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The event-study plot: estimates with 95% intervals by event time, a zero line, the
    /// reference period marked, pre and post periods drawn as separate series.
    public func eventStudyChart() -> LineChart {
        let study = estimates.filter { $0.estimand == "event_study" }.sorted { ($0.eventTime ?? 0) < ($1.eventTime ?? 0) }
        let reference = referencePeriod ?? -1
        let pre = study.filter { ($0.eventTime ?? 0) < 0 }.map { (x: Double($0.eventTime ?? 0), y: Optional($0.estimate)) }
            + [(x: Double(reference), y: Optional(0.0))]
        let post = study.filter { ($0.eventTime ?? 0) >= 0 }.map { (x: Double($0.eventTime ?? 0), y: Optional($0.estimate)) }
        let series = [LineChart.Series(name: "Before support", points: pre.sorted { $0.x < $1.x }, color: "#56B4E9", dashed: true, markers: true),
                      LineChart.Series(name: "After support", points: post, color: "#D55E00", dashed: false, markers: true)]
        var bars = [(seriesIndex: Int, x: Double, low: Double, high: Double)]()
        for row in study {
            bars.append((seriesIndex: (row.eventTime ?? 0) < 0 ? 0 : 1, x: Double(row.eventTime ?? 0), low: row.confidenceLow, high: row.confidenceHigh))
        }
        return LineChart(title: "Event study: \(outcome)", xLabel: "Periods relative to the start of support",
                         yLabel: "Effect on \(outcome) (95% CI)", series: series,
                         markers: [LineChart.VerticalMarker(x: Double(reference), label: "reference \(reference)")],
                         horizontalLines: [(y: 0, label: nil)], errorBars: bars)
    }
}
