import DiD
import Reporting

extension EvaluationResults {
    /// A plot of the report: its file name stem (plots/NAME.svg), caption and SVG.
    public struct Plot: Sendable {
        public var name: String
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

    static let estimatorColors: [StaggeredEstimator: String] = [.callawaySantAnna: "#0072B2", .sunAbraham: "#009E73", .imputation: "#CC79A7", .twfe: "#D55E00"]

    /// The event-time profiles of every estimator of one programme × outcome on one chart.
    func eventStudyPlot(programme: String, outcome: String) -> Plot? {
        let chosen = profiles.filter { $0.programme == programme && $0.outcome == outcome }
        guard !chosen.isEmpty else { return nil }
        let step = chosen.count > 1 ? 0.36 / Double(chosen.count - 1) : 0
        var series = [LineChart.Series]()
        var bars = [(seriesIndex: Int, x: Double, low: Double, high: Double)]()
        for (index, profile) in chosen.enumerated() {
            let offset = chosen.count > 1 ? -0.18 + step * Double(index) : 0
            let staggered = spec.programmes.first { $0.name == programme }.map { hasManyCohorts($0) } ?? false
            series.append(LineChart.Series(name: profile.estimator.displayName + (profile.estimator == .twfe && staggered ? " (biased if effects vary)" : ""),
                                           points: profile.points.map { (x: Double($0.eventTime) + offset, y: Optional($0.estimate)) },
                                           color: Self.estimatorColors[profile.estimator], dashed: profile.estimator == .twfe, markers: true))
            for point in profile.points where point.low.isFinite && point.high.isFinite {
                bars.append((seriesIndex: index, x: Double(point.eventTime) + offset, low: point.low, high: point.high))
            }
        }
        var chart = LineChart(title: "\(programme): \(outcome) by years since support started", xLabel: "Years relative to the start of support (−1 is the reference)",
                              yLabel: "Effect (\(level) CI)", series: series,
                              markers: [LineChart.VerticalMarker(x: -0.5, label: "support starts")],
                              horizontalLines: [(y: 0, label: nil)], errorBars: bars, width: 860, height: 460)
        chart.caption = "End points of the TWFE event study bin the years beyond the window."
        return Plot(name: "event-study-\(Self.slug(programme))-\(Self.slug(outcome))",
                    caption: "Event-study profiles of \(programme) on \(outcome): \(chosen.map(\.estimator.displayName).joined(separator: ", "))",
                    svg: chart.svg(), section: "event-study")
    }

    /// Every plot, in report order: raw trends, then event studies.
    public var plots: [Plot] {
        var result = trends.map { trend -> Plot in
            var chart = trend.trends.chart(source: spec.data)
            chart.title = "\(trend.programme): \(chart.title)"
            chart.width = 860
            chart.height = 420
            if let note = trend.trends.droppedNote { chart.caption = note }
            return Plot(name: "trends-\(Self.slug(trend.programme))-\(Self.slug(trend.column))",
                        caption: "Raw \(spec.trendStatistic) of \(trend.column), \(unitsNoun) in \(trend.programme) against \(unitsNoun) never in it",
                        svg: chart.svg(), section: "trends")
        }
        for programme in spec.programmes {
            for outcome in spec.outcomes {
                if let plot = eventStudyPlot(programme: programme.name, outcome: outcome.title) { result.append(plot) }
            }
        }
        return result
    }
}
