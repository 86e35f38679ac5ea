import DiD
import Primitives
import Sensitivity

/// Text, JSON and SVG of `quipu did --sensitivity`.
extension EventStudySensitivity {
    /// The bound's symbol: M̄ for relative magnitudes, M for smoothness.
    static func symbol(_ restriction: SensitivityRestriction) -> String {
        restriction == .relativeMagnitudes ? "M̄" : "M"
    }

    static func title(_ restriction: SensitivityRestriction) -> String {
        restriction == .relativeMagnitudes ? "relative magnitudes Δ^RM(M̄)" : "smoothness Δ^SD(M)"
    }

    /// One plain sentence on the breakdown value of `curve`.
    public static func breakdownSentence(_ curve: SensitivityCurve) -> String {
        let original = curve.original
        let bounds = curve.intervals.map(\.bound)
        let smallest = bounds.min() ?? 0, largest = bounds.max() ?? 0
        let relative = curve.restriction == .relativeMagnitudes
        let symbol = symbol(curve.restriction)
        guard let breakdown = curve.breakdown else {
            if !original.excludesZero {
                return "The original interval already includes zero, so there is no breakdown value: the effect is not distinguishable from zero even under exact parallel trends."
            }
            let least = smallest == 0 ? (relative ? "M̄ = 0 (no violation after support)" : "M = 0 (the pre-trend extrapolated as a straight line)")
                                      : "\(symbol) = \(NumberFormat.short4g(smallest))"
            return "Even at \(least) the robust interval includes zero, although the original one excludes it: the effect is distinguishable from zero only if parallel trends hold exactly."
        }
        let value = NumberFormat.short4g(breakdown)
        if breakdown == smallest, let next = bounds.filter({ $0 > breakdown }).min() {
            let at = breakdown == 0 ? (relative ? "exact parallel trends after support (M̄ = 0)" : "a pre-trend that continues as a straight line (M = 0)")
                                    : "\(symbol) = \(value)"
            return "Breakdown \(symbol) = \(value): only \(at) keeps the effect distinguishable from zero; at \(symbol) = \(NumberFormat.short4g(next)), the grid's next value, the interval includes zero."
        }
        let atEdge = breakdown >= largest ? " (the grid's largest value: widen the grid to find where it breaks down)" : ""
        if relative {
            return "Breakdown M̄ = \(value)\(atEdge): the effect stays distinguishable from zero as long as the violations of parallel trends after support are at most \(value) times the largest one seen before support."
        }
        return "Breakdown M = \(value)\(atEdge): the effect stays distinguishable from zero as long as the differential trend's slope changes by at most \(value) (in the outcome's units) from one period to the next."
    }

    /// The text block: per restriction the curve table, the original interval and the breakdown.
    public func text() -> String {
        var lines = ["Sensitivity to violations of parallel trends (Rambachan & Roth 2023): \(estimator.displayName)"]
        lines.append("  Target: \(problem.targetLabel); pre-periods e\(preEventTimes.first ?? 0)..e\(preEventTimes.last ?? 0), post-periods e\(postEventTimes.first ?? 0)..e\(postEventTimes.last ?? 0) (reference period omitted)")
        for warning in warnings { lines.append("  Warning: \(warning)") }
        for outcome in curves {
            let symbol = Self.symbol(outcome.restriction)
            guard let curve = outcome.curve else {
                lines.append("  \(Self.title(outcome.restriction).capitalizedFirst): not computed: \(outcome.failure ?? "")")
                continue
            }
            lines.append("  \(Self.title(outcome.restriction).capitalizedFirst), \(curve.method.rawValue), \(NumberFormat.percent(curve.level)) intervals:")
            let header = NumberFormat.leftPad(symbol, 12) + NumberFormat.leftPad("conf.low", 12) + NumberFormat.leftPad("conf.high", 12)
            lines.append("  " + header)
            let row = { (name: String, interval: SensitivityInterval) -> String in
                "  " + NumberFormat.leftPad(name, 12) + NumberFormat.leftPad(NumberFormat.significant(interval.lower, digits: 5), 12)
                    + NumberFormat.leftPad(NumberFormat.significant(interval.upper, digits: 5), 12) + (interval.excludesZero ? "  *" : "")
            }
            lines.append(row("original", curve.original))
            for interval in curve.intervals { lines.append(row(NumberFormat.significant(interval.bound, digits: 4), interval)) }
            lines.append("  (* excludes zero; original: the interval under exact parallel trends)")
            lines.append("  " + Self.breakdownSentence(curve))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The JSON records, one per restriction.
    public var records: [SensitivityRecord] {
        let weights = zip(postEventTimes, problem.targetWeights).map { (eventTime: $0, weight: $1) }
        return curves.map { outcome in
            let method = outcome.curve?.method.rawValue ?? (outcome.restriction == .smoothness ? "FLCI" : "")
            guard let curve = outcome.curve else {
                return SensitivityRecord(estimator: estimator.rawValue, restriction: outcome.restriction.rawValue, method: method,
                                         target: problem.targetLabel, targetWeights: weights, preEventTimes: preEventTimes,
                                         postEventTimes: postEventTimes, confidenceLevel: level, original: nil, intervals: [],
                                         breakdown: nil, error: outcome.failure ?? "")
            }
            let convert = { (interval: SensitivityInterval) in
                SensitivityRecord.Interval(bound: interval.bound, low: interval.lower.isFinite ? interval.lower : nil,
                                           high: interval.upper.isFinite ? interval.upper : nil)
            }
            return SensitivityRecord(estimator: estimator.rawValue, restriction: outcome.restriction.rawValue, method: method,
                                     target: problem.targetLabel, targetWeights: weights, preEventTimes: preEventTimes,
                                     postEventTimes: postEventTimes, confidenceLevel: curve.level, original: convert(curve.original),
                                     intervals: curve.intervals.map(convert), breakdown: curve.breakdown)
        }
    }

    /// One chart per computed curve: the robust interval at each bound (bars), their midpoints,
    /// and the original interval drawn left of the grid; the line y = 0.
    public var charts: [LineChart] {
        curves.compactMap { outcome -> LineChart? in
            guard let curve = outcome.curve, !curve.intervals.isEmpty else { return nil }
            let symbol = Self.symbol(curve.restriction)
            let bounds = curve.intervals.map(\.bound)
            let span = (bounds.max() ?? 0) - (bounds.min() ?? 0)
            let step = bounds.count > 1 ? span / Double(bounds.count - 1) : 1
            let originalX = (bounds.min() ?? 0) - max(step, 1e-12)
            var chart = LineChart(title: "\(estimator.displayName): \(Self.title(curve.restriction)), \(problem.targetLabel)",
                                  xLabel: symbol, yLabel: "\(NumberFormat.percent(curve.level)) interval",
                                  series: [LineChart.Series(name: "robust interval (\(curve.method.rawValue))",
                                                            x: bounds, y: curve.intervals.map { ($0.lower + $0.upper) / 2 }, markers: true),
                                           LineChart.Series(name: "original (parallel trends), left", x: [originalX],
                                                            y: [(curve.original.lower + curve.original.upper) / 2])],
                                  horizontalLines: [(y: 0, label: nil)])
            chart.errorBars = curve.intervals.map { (seriesIndex: 0, x: $0.bound, low: $0.lower, high: $0.upper) }
                + [(seriesIndex: 1, x: originalX, low: curve.original.lower, high: curve.original.upper)]
            if let breakdown = curve.breakdown {
                chart.markers = [LineChart.VerticalMarker(x: breakdown, label: "breakdown \(symbol) = \(NumberFormat.short4g(breakdown))")]
            }
            return chart
        }
    }

    /// The charts of `analyses` stacked into one SVG; nil when there is none.
    public static func svg(_ analyses: [EventStudySensitivity]) -> String? {
        let charts = analyses.flatMap(\.charts)
        guard let first = charts.first else { return nil }
        var document = SVGDocument(width: first.width, height: charts.reduce(0) { $0 + $1.height })
        document.title = "Sensitivity to violations of parallel trends"
        var offset = 0.0
        for chart in charts {
            let panel = chart.document()
            document.add(.group(panel.elements, transform: "translate(0,\(NumberFormat.fixed(offset, decimals: 0)))"))
            offset += chart.height
        }
        return document.render()
    }
}

extension String {
    /// The string with its first letter in upper case.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

extension DiDResults {
    /// The JSON document with the sensitivity curves (`sensitivity`, one SensitivityRecord per
    /// estimator and restriction) before the notes.
    public func json(sensitivity analyses: [EventStudySensitivity]) -> JSONValue {
        let document = json
        guard case .object(var pairs) = document else { return document }
        let records = JSONValue.array(analyses.flatMap(\.records).map(\.json))
        pairs.insert(("sensitivity", records), at: pairs.firstIndex { $0.0 == "notes" } ?? pairs.count)
        return .object(pairs)
    }
}
