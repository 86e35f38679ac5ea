import DiD
import Primitives
import Reporting

extension EvaluationResults {
    /// A plot of the report: its file name stem (plots/NAME.svg), caption and SVG.
    public struct Plot: Sendable {
        public var name: String
        /// A short title (the image's alternative text).
        public var title: String
        public var caption: String
        public var svg: String
        /// Which report section shows it: "trends" or "event-study".
        public var section: String
    }

    static func slug(_ text: String) -> String {
        var out = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber { out.append(character) } else if out.last != "-" { out.append("-") }
        }
        return out.trimmingCharacters(in: ["-"])
    }

    static let estimatorColors = DiDResults.estimatorColors

    /// What an estimator's pre-period points are measured against, as the report runs it. TWFE
    /// and Sun–Abraham omit −1 (zero by construction); Callaway–Sant'Anna runs with R did's
    /// default varying base, so each pre-period point compares a period with the one before it
    /// (a year-on-year change, not a path relative to −1); the imputation leads come from
    /// Borusyak–Jaravel–Spiess's test regression, relative to the earlier untreated periods.
    /// Overlaying them on one axis invites reading the pre-period shapes as comparable, which
    /// they are not (Roth 2024, "Interpreting event-studies from recent difference-in-differences
    /// methods").
    func reference(_ estimator: StaggeredEstimator) -> (short: String, sentence: String) {
        switch estimator {
        case .twfe: return ("vs −1", "TWFE's are relative to −1 (zero by construction)")
        case .sunAbraham: return ("vs −1", "Sun–Abraham's are relative to −1 (zero by construction)")
        case .callawaySantAnna:
            return ("\(spec.periodNoun) on \(spec.periodNoun)", "Callaway–Sant'Anna's compare each \(spec.periodNoun) with the one before (varying base period, as R's did by default): \(spec.periodNoun)-on-\(spec.periodNoun) changes, not a path relative to −1")
        case .imputation, .twoStage: return ("vs earlier untreated \(spec.periodNoun)s", "the imputation leads (Borusyak–Jaravel–Spiess) are relative to the untreated \(spec.periodNoun)s before them, not to −1")
        case .tripleDifferences:
            return ("\(spec.periodNoun) on \(spec.periodNoun)", "the triple differences' compare each \(spec.periodNoun) with the one before (varying base period): \(spec.periodNoun)-on-\(spec.periodNoun) changes, not a path relative to −1")
        case .etwfe: return ("vs g − 1", "the extended TWFE's leads (never-treated controls) are relative to each cohort's last period before support (g − 1)")
        case .changesInChanges, .quantileDiD, .panelQTT:
            return ("\(spec.periodNoun) on \(spec.periodNoun)", "the distributional estimators' leads compare each \(spec.periodNoun) with the one before (varying base period)")
        case .dcdh: return ("vs F − 1", "de Chaisemartin–D'Haultfœuille's placebos are relative to each unit's last period before its first treatment change (F − 1)")
        }
    }

    /// The line that says the overlaid estimators' pre-period points rest on different bases,
    /// or nil when they share one.
    func mixedReferences(_ estimators: [StaggeredEstimator]) -> String? {
        var groups = [(short: String, names: [String])]()
        for estimator in estimators {
            let short = reference(estimator).short
            if let index = groups.firstIndex(where: { $0.short == short }) { groups[index].names.append(estimator.displayName) } else { groups.append((short, [estimator.displayName])) }
        }
        guard groups.count > 1 else { return nil }
        return "Pre-period bases differ: " + groups.map { "\($0.names.joined(separator: ", ")) \($0.short)" }.joined(separator: "; ") + "."
    }

    /// The paragraph that explains the bases of the estimators whose profiles share a chart with
    /// another base, or nil when every chart has one base.
    var mixedReferencesText: String? {
        var mixed = [StaggeredEstimator]()
        for programme in spec.programmes {
            for outcome in spec.outcomes {
                let estimators = profiles.filter { $0.programme == programme.name && $0.outcome == outcome.title }.map(\.estimator)
                if mixedReferences(estimators) != nil { mixed += estimators.filter { !mixed.contains($0) } }
            }
        }
        guard !mixed.isEmpty else { return nil }
        return "The pre-period points are not on one base: " + mixed.map { reference($0).sentence }.joined(separator: "; ") + ". A chart that overlays different bases says so under its axis; read each estimator's pre-period points against zero, not against each other."
    }

    /// The event-time profiles of every estimator of one programme × outcome on one chart.
    func eventStudyPlot(programme: String, outcome: String) -> Plot? {
        let chosen = profiles.filter { $0.programme == programme && $0.outcome == outcome }
        guard !chosen.isEmpty else { return nil }
        let step = chosen.count > 1 ? 0.36 / Double(chosen.count - 1) : 0
        let mixed = mixedReferences(chosen.map(\.estimator))
        var series = [LineChart.Series]()
        var bars = [(seriesIndex: Int, x: Double, low: Double, high: Double)]()
        for (index, profile) in chosen.enumerated() {
            let offset = chosen.count > 1 ? -0.18 + step * Double(index) : 0
            let staggered = spec.programmes.first { $0.name == programme }.map { hasManyCohorts($0) } ?? false
            let name = profile.estimator.displayName + (profile.estimator == .twfe && staggered ? " (biased if effects vary)" : "")
            series.append(LineChart.Series(name: name,
                                           points: profile.points.map { (x: Double($0.eventTime) + offset, y: Optional($0.estimate)) },
                                           color: Self.estimatorColors[profile.estimator], dashed: profile.estimator == .twfe, markers: true))
            for point in profile.points where point.low.isFinite && point.high.isFinite {
                bars.append((seriesIndex: index, x: Double(point.eventTime) + offset, low: point.low, high: point.high))
            }
        }
        let periods = spec.periodNoun.prefix(1).uppercased() + spec.periodNoun.dropFirst() + "s"
        let bases = Set(chosen.map { reference($0.estimator).short })
        let base = bases.count > 1 ? " (pre-period bases differ: see below)"
            : bases.first == reference(.twfe).short ? " (−1 is the reference)" : " (pre-period points: \(bases.first ?? ""))"
        var chart = LineChart(title: "\(programme): \(outcome) by \(spec.periodNoun)s since support started", xLabel: "\(periods) relative to the start of support" + base,
                              yLabel: "Effect (\(level) CI)", series: series,
                              markers: [LineChart.VerticalMarker(x: -0.5, label: "support starts")],
                              horizontalLines: [(y: 0, label: nil)], errorBars: bars, width: 860, height: 460)
        chart.caption = mixed ?? "End points of the TWFE event study bin the \(spec.periodNoun)s beyond the window."
        return Plot(name: "event-study-\(Self.slug(programme))-\(Self.slug(outcome))", title: "\(programme): event study of \(outcome)",
                    caption: "Event-study profiles of \(programme) on \(outcome): \(chosen.map(\.estimator.displayName).joined(separator: ", "))." + (mixed.map { " " + $0 } ?? "")
                        + (chosen.contains { $0.estimator == .twfe } ? " End points of the TWFE event study bin the \(spec.periodNoun)s beyond the window." : ""),
                    svg: chart.svg(), section: "event-study")
    }

    /// What a trend chart draws, in words: "mean of log sales (USD)", "share of firms with
    /// exports to the EU (USD) above zero".
    func trendQuantity(_ trend: Trend) -> String {
        let statistic = trend.trends.statistic.rawValue
        switch trend.scale {
        case .log: return "\(statistic) of log \(trend.label)"
        case .level, .poisson: return "\(statistic) of \(trend.label)"
        case .extensive: return "share of \(unitsNoun) with \(trend.label) above zero"
        }
    }

    /// The raw trends of one outcome for one programme's supported and never-supported units.
    func trendPlot(_ trend: Trend) -> Plot {
        var chart = trend.trends.chart(source: spec.data)
        let quantity = trendQuantity(trend)
        chart.title = "\(trend.programme): \(quantity), by support status"
        chart.yLabel = quantity.prefix(1).uppercased() + quantity.dropFirst()
        chart.xLabel = spec.periodNoun.prefix(1).uppercased() + spec.periodNoun.dropFirst()
        chart.width = 860
        chart.height = 420
        if trend.scale == .log, trend.trends.missingRows > 0 {
            // The log makes zeros missing: say so rather than call them missing values.
            chart.caption = "\(trend.expression): \(NumberFormat.grouped(trend.trends.missingRows)) rows missing or not positive left out"
        } else if let note = trend.trends.droppedNote {
            chart.caption = note
        }
        let rows = spec.programmes.first { $0.name == trend.programme }?.filter.map { ", on the rows of its estimates (\($0))" } ?? ""
        return Plot(name: "trends-\(Self.slug(trend.programme))-\(trend.slug)", title: "\(trend.programme): raw \(quantity)",
                    caption: "Raw \(quantity) by \(spec.periodNoun): \(unitsNoun) in \(trend.programme) against \(unitsNoun) never in it\(rows).",
                    svg: chart.svg(), section: "trends")
    }

    /// Every plot, in report order: raw trends, then event studies.
    public var plots: [Plot] {
        var result = trends.map(trendPlot)
        for programme in spec.programmes {
            for outcome in spec.outcomes {
                if let plot = eventStudyPlot(programme: programme.name, outcome: outcome.title) { result.append(plot) }
            }
        }
        return result
    }
}
