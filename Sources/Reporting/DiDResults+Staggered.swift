import DiD
import Foundation
import Primitives

/// The staggered-adoption parts of `quipu did`'s output: samples, ATT(g,t), aggregates, linear
/// combinations, bootstrap bands and pre-trend tests of every estimator, as JSON, text and CSV.
extension DiDResults {
    /// Whether `result`'s estimates are log ratios (`--effect proportional` applies to Callaway–Sant'Anna
    /// and imputation; TWFE's are its model's, and the extended TWFE tags its log-ratio rows itself).
    func proportional(_ result: StaggeredResult) -> Bool {
        effect == .proportional && (result.estimator == .callawaySantAnna || result.estimator == .imputation)
    }

    /// Whether all of `result`'s rows are in log points and carry their percentage change: TWFE's
    /// Poisson coefficients and the proportional effects (the extended TWFE's log-ratio rows say
    /// so through their own scale).
    func inLogPoints(_ result: StaggeredResult) -> Bool {
        (model == .poisson && result.estimator == .twfe) || proportional(result)
    }

    /// The JSON fields added by the staggered estimators.
    var staggeredJSON: [(String, JSONValue)] {
        var cells = [JSONValue](), cohortPeriods = [JSONValue](), aggregates = [JSONValue](), tests = [JSONValue]()
        var bootstrap = [JSONValue]()
        for result in staggered {
            let logPoints = inLogPoints(result)
            for row in result.rows(level: confidenceLevel) {
                switch row.estimate.kind {
                case .attGT: cells.append(row.cellRecord(estimator: result.estimator, logPoints: logPoints).json)
                case .cohortPeriod: cohortPeriods.append(row.cellRecord(estimator: result.estimator, logPoints: logPoints).json)
                default: aggregates.append(row.aggregateRecord(estimator: result.estimator, logPoints: logPoints).json)
                }
            }
            if let test = result.pretrend {
                tests.append(PretrendTestRecord(estimator: result.estimator.rawValue,
                                                test: WaldTestRecord(statistic: test.statistic, numeratorDegrees: test.numeratorDegrees,
                                                                     denominatorDegrees: test.denominatorDegrees, pValue: test.pValue,
                                                                     terms: result.estimator == .twfe ? pretrendTerms : nil),
                                                description: test.description, note: test.note,
                                                excluded: test.excluded.isEmpty ? nil : test.excluded.compactMap { label in
                                                    result.index(ofLabel: label).map { index in
                                                        let lead = result.estimates[index]
                                                        return .init(label: label, eventTime: lead.eventTime, treatedUnits: lead.treatedUnits, cohorts: lead.cohortCount)
                                                    }
                                                }).json)
            }
            if !result.uniformCriticalValues.isEmpty {
                bootstrap.append(.object([("estimator", .string(result.estimator.rawValue)), ("inference", .string(result.inference.description)),
                                          ("uniform_critical_values", .object(result.uniformCriticalValues.sorted { $0.key.rawValue < $1.key.rawValue }
                                              .map { ($0.key.rawValue, .finite($0.value)) }))]
                                         + quantileBandJSON(result)))
            }
        }
        return [
            ("estimators", .array(estimators.map { .string($0.rawValue) })),
            ("headline", headline.map { .string($0) } ?? .null),
            ("conf_level", .finite(confidenceLevel)),
            ("inference", .array(staggered.map { result in
                .object([("estimator", .string(result.estimator.rawValue)), ("method", .string(result.inference.description)),
                         ("nobs", .integer(result.observationCount)),
                         ("n_clusters", result.clusterCount.map { .integer($0) } ?? .null),
                         ("notes", .array(result.notes.map { .string($0.message) }))]
                        + (result.estimator == .twfe ? twfeRegressionJSON : []))
            })),
            ("sample", .array(samples.map { $0.sample.json(estimator: $0.estimator) })),
            ("att_gt", .array(cells)),
            ("cohort_period", .array(cohortPeriods)),
            ("aggregates", .array(aggregates)),
            ("covariances", covariancesJSON),
            ("combinations", .array(combinations.map { combination in
                let row = combination.row(level: confidenceLevel)
                let defined = combination.standardError.isFinite
                return .object([("estimator", .string(combination.estimator.rawValue)), ("expression", .string(combination.expression)),
                                ("weights", .object(combination.weights.map { ($0.label, .finite($0.weight)) })),
                                ("estimate", .finite(combination.estimate)), ("std_error", .finite(combination.standardError)),
                                ("p_value", defined ? .finite(row.pValue) : .null),
                                ("conf_low", defined ? .finite(row.low) : .null),
                                ("conf_high", defined ? .finite(row.high) : .null),
                                ("inference", .string(combination.inference.description))])
            })),
            ("bootstrap", .array(bootstrap)),
            ("pretrend_tests", .array(tests)),
            ("pretrend_power", pretrendPowerJSON),
            ("pretrend_warnings", .array(pretrendWarnings.map { .string($0.message) })),
        ]
    }

    /// Text sections of the staggered estimators (TWFE's table follows in the legacy layout).
    var staggeredTextLines: [String] {
        var lines = [String]()
        if let headline { lines += ["", "Note: " + headline] }
        for result in staggered where result.estimator != .twfe {
            lines.append("")
            let lead = result.estimator == estimators.first ? " (headline)" : ""
            lines.append("== \(result.estimator.displayName)\(lead) ==")
            if let sample = samples.first(where: { $0.estimator == result.estimator })?.sample {
                lines.append(sample.summaryLine)
                lines.append(contentsOf: sample.dropLines)
            }
            let reference = result.degreesOfFreedom.flatMap { $0.isFinite ? "t with \(NumberFormat.significant($0)) df" : nil } ?? "normal"
            lines.append("Inference: \(result.inference); tests and intervals: \(reference)")
            lines.append(contentsOf: result.textLines(level: confidenceLevel, proportional: proportional(result)))
            if let test = result.pretrend {
                let statistic = test.denominatorDegrees.map { "F(\(test.numeratorDegrees), \(NumberFormat.significant($0))) = " } ?? "χ²(\(test.numeratorDegrees)) = "
                if test.note != nil && test.statistic.isNaN {
                    lines.append("Pre-trend test, \(test.description): no statistic")
                } else {
                    lines.append("Pre-trend test, \(test.description): \(statistic)\(NumberFormat.significant(test.statistic, digits: 5)), p = \(NumberFormat.pValue(test.pValue))")
                }
                if let note = test.note { lines.append("Note: pre-trend test: \(note)") }
            }
            for (kind, value) in result.uniformCriticalValues.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                lines.append("Uniform \(Int((confidenceLevel * 100).rounded()))% band (\(kind.rawValue)): critical value \(NumberFormat.significant(value, digits: 4))")
            }
            lines += quantileBandLines(result)
            for note in result.notes { lines.append("Note: \(note.message)") }
        }
        if !combinations.isEmpty {
            lines.append("")
            lines.append("Linear combinations:")
            for combination in combinations {
                let row = combination.row(level: confidenceLevel)
                let error = combination.standardError
                let interval = error.isFinite
                    ? ", \(Int((confidenceLevel * 100).rounded()))% CI [\(NumberFormat.significant(row.low)), \(NumberFormat.significant(row.high))]"
                    : ""
                lines.append("  \(combination.estimator.displayName): \(combination.expression) = \(NumberFormat.significant(combination.estimate)) (SE \(NumberFormat.significant(error))\(interval); \(combination.inference))")
            }
        }
        return lines
    }

    /// CSV of ATT(g,t) cells, cohort × period coefficients, aggregates and event-study rows.
    public var csv: String {
        // The quantile column only when an estimator gave quantile effects (the others' CSV is unchanged).
        let quantiles = staggered.contains { $0.estimates.contains { $0.quantile != nil } }
        var lines = ["estimator,type,group,time,event_time,estimate,std_error,conf_low,conf_high,n_treated,n_control,n_cohorts" + (quantiles ? ",quantile" : "")]
        func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "NA" }
        for result in staggered {
            for row in result.rows(level: confidenceLevel) {
                let e = row.estimate
                var fields: [String] = [result.estimator.rawValue, e.kind.rawValue + (e.scale == .logRatio ? "_log_ratio" : "")]
                fields.append(e.group.map(String.init) ?? "")
                fields.append(e.time.map(String.init) ?? "")
                fields.append(e.eventTime.map(String.init) ?? "")
                fields += [number(e.estimate), number(row.standardError), number(row.low), number(row.high)]
                fields.append(String(e.treatedUnits))
                fields.append(e.controlUnits.map(String.init) ?? "")
                fields.append(String(e.cohortCount))
                if quantiles { fields.append(e.quantile.map { "\($0)" } ?? "mean") }
                lines.append(fields.joined(separator: ","))
            }
        }
        // The 2x2 comparison (ever against never treated, before against after) is no staggered
        // estimator's row, but the text and JSON show it, so the CSV must too.
        for row in estimates where row.estimand == "2x2" {
            let treated = cohortSizes.filter { $0.cohort != nil }.reduce(0) { $0 + $1.units }
            let control = cohortSizes.filter { $0.cohort == nil }.reduce(0) { $0 + $1.units }
            lines.append(["2x2", "simple", "", "", "", number(row.estimate), number(row.standardError), number(row.confidenceLow),
                          number(row.confidenceHigh), String(treated), String(control), String(cohortSizes.count - 1)].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension DiDResults {
    /// The event-time profiles of every estimator on one chart (markers offset so that the
    /// intervals do not overlap), with the sample in the caption; nil when no estimator has one.
    public func comparisonChart() -> LineChart? {
        // With Poisson every profile is drawn on the proportional scale: the extended TWFE's
        // log-ratio rows (lr_e*, not its level ATTs), Callaway–Sant'Anna's and imputation's
        // proportional effects, and TWFE's event-study log points.
        let poisson = model == .poisson
        let profiles = staggered.map { result in
            (result, result.rows(level: confidenceLevel).filter {
                $0.estimate.kind == .dynamic && !$0.estimate.isOverall && $0.estimate.estimate.isFinite && $0.estimate.scale == result.headlineScale
                    && $0.estimate.quantile == nil
            })
        }.filter { !$0.1.isEmpty }
        guard !profiles.isEmpty else { return nil }
        let colors = Self.estimatorColors
        let step = profiles.count > 1 ? 0.36 / Double(profiles.count - 1) : 0
        var series = [LineChart.Series]()
        var bars = [(seriesIndex: Int, x: Double, low: Double, high: Double)]()
        for (index, (result, rows)) in profiles.enumerated() {
            let offset = -0.18 + step * Double(index)
            let ordered = rows.sorted { ($0.estimate.eventTime ?? 0) < ($1.estimate.eventTime ?? 0) }
            series.append(LineChart.Series(name: result.estimator.displayName + (result.estimator == .twfe ? " (biased if effects vary)" : ""),
                                           points: ordered.map { (x: Double($0.estimate.eventTime ?? 0) + offset, y: Optional($0.estimate.estimate)) },
                                           color: colors[result.estimator], dashed: result.estimator == .twfe, markers: true))
            for row in ordered where row.low.isFinite {
                bars.append((seriesIndex: index, x: Double(row.estimate.eventTime ?? 0) + offset, low: row.low, high: row.high))
            }
        }
        var chart = LineChart(title: "Event-study profiles: \(outcome)", xLabel: "Periods relative to the start of support",
                              yLabel: (poisson ? "Proportional effect (log ratio of means; TWFE: log points) on " : effect == .proportional ? "Proportional effect (log ratio) on " : "Effect on ") + "\(outcome) (\(Int((confidenceLevel * 100).rounded()))% CI)", series: series,
                              markers: [LineChart.VerticalMarker(x: -0.5, label: "support starts")],
                              horizontalLines: [(y: 0, label: nil)], errorBars: bars, width: 860, height: 500)
        chart.caption = samples.map { "\($0.estimator.displayName): \($0.sample.rows) rows, \($0.sample.units) units" }.joined(separator: " · ")
        return chart
    }
}

extension DiDResults {
    /// Each estimator's colour in event-study charts (Okabe–Ito), shared with the report's charts.
    public static let estimatorColors: [StaggeredEstimator: String] = [.callawaySantAnna: "#0072B2", .sunAbraham: "#009E73", .imputation: "#CC79A7",
                                                                       .etwfe: "#E69F00", .twfe: "#D55E00", .dcdh: "#56B4E9"]

    /// The label of an aggregate in tables: "simple", "dynamic e = 2", "group 2006 average".
    static func tableLabel(_ estimate: StaggeredEstimate) -> String {
        estimate.scale == .logRatio ? levelTableLabel(estimate) + " (log ratio)" : levelTableLabel(estimate)
    }

    /// The label on the level scale.
    private static func levelTableLabel(_ estimate: StaggeredEstimate) -> String {
        switch estimate.kind {
        case .dynamic: return estimate.eventTime.map { "event time \($0)" } ?? "dynamic (average e ≥ 0)"
        case .group: return estimate.group.map { "cohort \($0)" } ?? "group (average)"
        case .calendar: return estimate.time.map { "period \($0)" } ?? "calendar (average)"
        default: return estimate.kind.rawValue
        }
    }

    /// Markdown rows of the staggered estimators' aggregates (TWFE's rows are in the legacy table).
    var staggeredMarkdownLines: [String] {
        var lines = [String]()
        for result in staggered where result.estimator != .twfe {
            let percent = proportional(result)
            lines += ["", "**\(result.estimator.displayName)**" + (result.estimator == estimators.first ? " (headline)" : "") + ": \(result.inference)", "",
                      "| aggregate | estimate | std. error | p-value | \(Int((confidenceLevel * 100).rounded()))% CI | treated units | cohorts |" + (percent ? " % change |" : ""),
                      "|:--|--:|--:|--:|:--:|--:|--:|" + (percent ? "--:|" : "")]
            for row in result.rows(level: confidenceLevel) where row.estimate.kind != .attGT && row.estimate.kind != .cohortPeriod {
                lines.append("| \(Self.tableLabel(row.estimate)) | \(NumberFormat.significant(row.estimate.estimate)) | \(NumberFormat.significant(row.standardError)) | "
                             + "\(NumberFormat.pValue(row.pValue)) | [\(NumberFormat.significant(row.low)), \(NumberFormat.significant(row.high))] | "
                             + "\(row.estimate.treatedUnits) | \(row.estimate.cohortCount) |"
                             + (percent ? " \(NumberFormat.significant(PercentChangeRecord(logPoints: row.estimate.estimate, low: .nan, high: .nan).change, digits: 4)) |" : ""))
            }
            if percent { lines += ["", "Estimates are log ratios log(E[Y1]/E[Y0]) (Chen & Roth 2024); % change = 100·(exp(b) − 1)."] }
            if let sample = samples.first(where: { $0.estimator == result.estimator })?.sample { lines += ["", sample.summaryLine] }
        }
        if let headline { lines += ["", headline] }
        return lines
    }

    /// LaTeX rows of the staggered estimators' aggregates.
    var staggeredLatexRows: [String] {
        var lines = [String]()
        for result in staggered where result.estimator != .twfe {
            lines.append("\\midrule")
            lines.append("\\multicolumn{4}{l}{\\textit{\(CoefficientTable.latexEscape(result.estimator.displayName))}} \\\\")
            for row in result.rows(level: confidenceLevel) where row.estimate.kind != .attGT && row.estimate.kind != .cohortPeriod {
                lines.append("\(CoefficientTable.latexEscape(Self.tableLabel(row.estimate))) & & \(NumberFormat.significant(row.estimate.estimate, digits: 4)) & "
                             + "(\(NumberFormat.significant(row.standardError, digits: 4))) \\\\")
            }
        }
        return lines
    }
}
