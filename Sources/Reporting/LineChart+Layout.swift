import Foundation

extension LineChart {
    /// Font sizes and distances, in pixels, shared by layout and drawing.
    enum Metrics {
        static let margin = 14.0
        static let titleSize = 16.0
        static let axisLabelSize = 13.0
        static let tickSize = 12.0
        static let smallSize = 11.0
        static let tickLength = 5.0
        /// Vertical distance between stacked marker labels.
        static let markerRowHeight = 14.0
        /// Vertical distance between legend entries.
        static let legendRowHeight = 20.0
        /// Width of the line sample drawn before each legend name.
        static let legendSwatch = 24.0
        /// The widest a legend may get, as a share of the canvas, before names are shortened.
        static let legendShare = 0.3
    }

    /// Where everything goes: the plot rectangle, both axes, marker label rows and the legend.
    ///
    /// Computed once per render. The pieces depend on each other (the y tick labels set the left
    /// margin, which sets the x axis, which places marker labels, whose rows set the top margin,
    /// which sets the y axis), so the layout is settled by a few rounds of refinement.
    struct Layout {
        var width: Double
        var height: Double
        var plotLeft = 0.0
        var plotTop = 0.0
        var plotRight = 1.0
        var plotBottom = 1.0
        var xAxis: LineChartAxis
        var yAxis: LineChartAxis
        /// For each vertical marker, the row (0 nearest the plot) and centre of its label, or nil
        /// when it has no label or its position is not finite.
        var markerLabels: [(row: Int, center: Double)?] = []
        /// Series colours, parallel to `chart.series`.
        var colors: [String]
        /// Whether each series is drawn dashed: as asked, or because the palette has wrapped
        /// round and the dash is all that tells it from the series that shares its colour.
        var dashed: [Bool]
        /// Vertical distance between legend entries, tightened when many series must fit.
        var legendRowHeight = Metrics.legendRowHeight
        /// Legend names, shortened with an ellipsis if needed, parallel to `chart.series`.
        var legendNames: [String]
        /// The left edge of the legend, or nil when there is nothing to list.
        var legendLeft: Double?

        init(chart: LineChart) {
            width = chart.width.isFinite ? max(0, chart.width) : 0
            height = chart.height.isFinite ? max(0, chart.height) : 0
            colors = chart.series.indices.map { chart.series[$0].color ?? LineChartPalette.color(at: $0) }
            dashed = chart.series.indices.map { index in
                let wrapped = chart.series[index].color == nil && (index / LineChartPalette.colors.count) % 2 == 1
                return chart.series[index].dashed || wrapped
            }

            let maxLegendText = max(60, width * Metrics.legendShare - Metrics.legendSwatch - 8)
            legendNames = chart.series.map { LineChart.shorten($0.name, toWidth: maxLegendText, size: Metrics.tickSize) }
            let legendTextWidth = legendNames.map { LineChart.textWidth($0, size: Metrics.tickSize) }.max()
            var right = width - Metrics.margin - 6
            if let legendTextWidth {
                let legendWidth = Metrics.legendSwatch + 8 + legendTextWidth
                right = width - Metrics.margin - legendWidth - 20
                legendLeft = right + 20
            }

            let xValues = chart.xValues
            let yValues = chart.yValues
            let xIntegers = !xValues.isEmpty && xValues.allSatisfy { $0 == $0.rounded() }
            let yIntegers = !yValues.isEmpty && yValues.allSatisfy { $0 == $0.rounded() }
            let baseTop = Metrics.margin + (chart.title.isEmpty ? 4 : 30)
            let bottom = height - (chart.xLabel.isEmpty ? 30 : 54) - (chart.caption.isEmpty ? 0 : 18)

            var top = baseTop
            var left = Metrics.margin
            xAxis = LineChartAxis(values: xValues, length: 1, spacing: 1, integers: xIntegers)
            yAxis = xAxis
            for _ in 0..<3 {
                yAxis = LineChartAxis(values: yValues, length: bottom - top, spacing: 48, integers: yIntegers)
                let tickWidth = yAxis.labels.map { LineChart.textWidth($0, size: Metrics.tickSize) }.max() ?? 0
                left = Metrics.margin + (chart.yLabel.isEmpty ? 0 : 22) + tickWidth + Metrics.tickLength + 6
                // A canvas too small for the margins still gets a (tiny) plot rather than an inverted one.
                let plotWidth = max(1, right - left)
                xAxis = LineChartAxis(values: xValues, length: plotWidth, spacing: 80, integers: xIntegers) {
                    LineChart.textWidth($0, size: Metrics.tickSize)
                }
                markerLabels = LineChart.placeMarkerLabels(chart.markers, axis: xAxis, left: left,
                                                           right: left + plotWidth, canvasWidth: width)
                let rows = markerLabels.compactMap { $0?.row }.max().map { $0 + 1 } ?? 0
                let newTop = baseTop + Double(rows) * Metrics.markerRowHeight + (rows > 0 ? 6 : 0)
                if newTop == top { break }
                top = newTop
            }
            plotLeft = left
            plotRight = max(left + 1, right)
            plotTop = top
            plotBottom = max(top + 1, bottom)
            if !chart.series.isEmpty {
                let available = height - plotTop - Metrics.margin
                legendRowHeight = max(14, min(Metrics.legendRowHeight, available / Double(chart.series.count)))
            }
        }

        /// The horizontal pixel position of data value `x`.
        func x(_ value: Double) -> Double {
            xAxis.position(value, from: plotLeft, to: plotRight)
        }

        /// The vertical pixel position of data value `y` (larger values higher up).
        func y(_ value: Double) -> Double {
            yAxis.position(value, from: plotBottom, to: plotTop)
        }
    }

    /// Every x value the axis must show: points (even those with missing y, so gaps stay in
    /// view), markers and error bars.
    var xValues: [Double] {
        let fromSeries = series.flatMap { $0.points.map(\.x) }
        return (fromSeries + markers.map(\.x) + errorBars.map(\.x)).filter { $0.isFinite }
    }

    /// Every y value the axis must show: points, reference lines and error bar ends.
    var yValues: [Double] {
        let fromSeries = series.flatMap { $0.points.compactMap { $0.x.isFinite ? $0.y : nil } }
        let fromBars = errorBars.filter { $0.x.isFinite }.flatMap { [$0.low, $0.high] }
        return (fromSeries + horizontalLines.map(\.y) + fromBars).filter { $0.isFinite }
    }

    /// An estimate of the drawn width of `text` in a sans-serif face at `size` pixels.
    ///
    /// SVG offers no text metrics without a renderer, so this uses an average advance of 0.58 em,
    /// slightly above Helvetica's digits (0.556 em) so that estimates err towards more room.
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(text.count) * size * 0.58
    }

    /// `text`, cut short with an ellipsis if it would be wider than `maxWidth`.
    static func shorten(_ text: String, toWidth maxWidth: Double, size: Double) -> String {
        guard textWidth(text, size: size) > maxWidth else { return text }
        let keep = max(1, Int(maxWidth / (size * 0.58)) - 1)
        return String(text.prefix(keep)) + "\u{2026}"
    }
}

extension LineChart.Series {
    /// The runs of consecutive plottable points; a nil or non-finite value ends a run.
    var segments: [[(x: Double, y: Double)]] {
        var runs: [[(x: Double, y: Double)]] = []
        var current: [(x: Double, y: Double)] = []
        for point in points {
            if let y = point.y, y.isFinite, point.x.isFinite,
               abs(y) <= LineChartAxis.plottableMagnitude, abs(point.x) <= LineChartAxis.plottableMagnitude {
                current.append((point.x, y))
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}
