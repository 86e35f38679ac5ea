extension LineChart {
    /// The chart as an `SVGDocument`, for callers that want to add their own annotations.
    ///
    /// Layers are drawn back to front: gridlines, reference lines and markers, error bars, series,
    /// then axes, text and legend, so that nothing hides the data and text stays legible.
    /// Groups carry a `class` ("grid", "series", "legend", ...) for styling and testing.
    public func document() -> SVGDocument {
        let layout = Layout(chart: self)
        var document = SVGDocument(width: layout.width, height: layout.height)
        document.title = title.isEmpty ? nil : title
        document.add(gridGroup(layout))
        document.add(referenceGroup(layout))
        document.add(markerGroup(layout))
        document.add(errorBarGroup(layout))
        document.add(contentsOf: series.indices.map { seriesGroup($0, layout: layout) })
        document.add(axesGroup(layout))
        if let legend = legendGroup(layout) { document.add(legend) }
        document.add(contentsOf: labelElements(layout))
        if series.allSatisfy({ $0.segments.isEmpty }) {
            // An empty frame could be mistaken for a rendering fault; say why it is empty.
            document.add(.text(x: (layout.plotLeft + layout.plotRight) / 2, y: (layout.plotTop + layout.plotBottom) / 2,
                               content: "No data", size: Metrics.axisLabelSize, anchor: .middle, fill: LineChartPalette.axis))
        }
        return document
    }

    /// Light gridlines at every tick, behind everything else.
    func gridGroup(_ layout: Layout) -> SVGElement {
        let horizontal = layout.yAxis.ticks.map { tick in
            SVGElement.line(x1: layout.plotLeft, y1: layout.y(tick), x2: layout.plotRight, y2: layout.y(tick),
                            stroke: LineChartPalette.grid)
        }
        let vertical = layout.xAxis.ticks.map { tick in
            SVGElement.line(x1: layout.x(tick), y1: layout.plotTop, x2: layout.x(tick), y2: layout.plotBottom,
                            stroke: LineChartPalette.grid)
        }
        return .group(horizontal + vertical, className: "grid")
    }

    /// Horizontal reference lines with their labels, each label beside the line where it hides
    /// the least data.
    func referenceGroup(_ layout: Layout) -> SVGElement {
        var elements: [SVGElement] = []
        let obstacles = horizontalLines.contains { $0.label?.isEmpty == false } ? pixelRuns(layout) : []
        for line in horizontalLines where Self.isPlottable(line.y) {
            let y = layout.y(line.y)
            elements.append(.line(x1: layout.plotLeft, y1: y, x2: layout.plotRight, y2: y,
                                  stroke: LineChartPalette.neutral, width: 1))
            if let label = line.label, !label.isEmpty {
                let spot = Self.referenceLabelPlacement(label, lineY: y, layout: layout, obstacles: obstacles)
                elements.append(.text(x: spot.x, y: spot.y, content: label, size: Metrics.smallSize,
                                      anchor: spot.anchor, fill: LineChartPalette.neutral))
            }
        }
        return .group(elements, className: "reference-lines")
    }

    /// Dashed vertical markers across the plot, labelled in stacked rows above it.
    func markerGroup(_ layout: Layout) -> SVGElement {
        var elements: [SVGElement] = []
        for (index, marker) in markers.enumerated() where Self.isPlottable(marker.x) {
            let color = marker.color ?? LineChartPalette.neutral
            let x = layout.x(marker.x)
            elements.append(.line(x1: x, y1: layout.plotTop, x2: x, y2: layout.plotBottom,
                                  stroke: color, width: 1.2, dash: [5, 4]))
            if layout.markerLabels.indices.contains(index), let placement = layout.markerLabels[index] {
                let y = layout.plotTop - 6 - Double(placement.row) * Metrics.markerRowHeight
                elements.append(.text(x: placement.center, y: y, content: marker.label, size: Metrics.smallSize,
                                      anchor: .middle, fill: color))
            }
        }
        return .group(elements, className: "markers")
    }

    /// Vertical error bars with short caps, in their series' colour.
    func errorBarGroup(_ layout: Layout) -> SVGElement {
        var elements: [SVGElement] = []
        for bar in errorBars where Self.isPlottable(bar.x) && Self.isPlottable(bar.low) && Self.isPlottable(bar.high) {
            let color = layout.colors.indices.contains(bar.seriesIndex) ? layout.colors[bar.seriesIndex] : LineChartPalette.neutral
            let x = layout.x(bar.x)
            let low = layout.y(min(bar.low, bar.high))
            let high = layout.y(max(bar.low, bar.high))
            let cap = 4.0
            elements.append(.line(x1: x, y1: low, x2: x, y2: high, stroke: color, width: 1.4))
            elements.append(.line(x1: x - cap, y1: low, x2: x + cap, y2: low, stroke: color, width: 1.4))
            elements.append(.line(x1: x - cap, y1: high, x2: x + cap, y2: high, stroke: color, width: 1.4))
        }
        return .group(elements, className: "error-bars")
    }

    /// One series: a polyline per run of consecutive points, then the point markers on top.
    func seriesGroup(_ index: Int, layout: Layout) -> SVGElement {
        let series = series[index]
        let color = layout.colors[index]
        let dash: [Double]? = layout.dashed[index] ? [7, 4] : nil
        var lines: [SVGElement] = []
        var dots: [SVGElement] = []
        for segment in series.segments {
            let points = segment.map { (layout.x($0.x), layout.y($0.y)) }
            if points.count > 1 {
                lines.append(.polyline(points: points, stroke: color, width: 2, dash: dash))
            }
            // A lone point has no line to show it, so it always gets a dot.
            if series.markers || points.count == 1 {
                dots += points.map { .circle(cx: $0.0, cy: $0.1, r: 3.2, fill: color, stroke: "white", strokeWidth: 1) }
            }
        }
        return .group(lines + dots, className: "series")
    }

    /// The left and bottom axis lines with tick marks and tick labels.
    func axesGroup(_ layout: Layout) -> SVGElement {
        var elements: [SVGElement] = [
            .line(x1: layout.plotLeft, y1: layout.plotBottom, x2: layout.plotRight, y2: layout.plotBottom,
                  stroke: LineChartPalette.axis),
            .line(x1: layout.plotLeft, y1: layout.plotTop, x2: layout.plotLeft, y2: layout.plotBottom,
                  stroke: LineChartPalette.axis),
        ]
        for (tick, label) in zip(layout.xAxis.ticks, layout.xAxis.labels) {
            let x = layout.x(tick)
            elements.append(.line(x1: x, y1: layout.plotBottom, x2: x, y2: layout.plotBottom + Metrics.tickLength,
                                  stroke: LineChartPalette.axis))
            elements.append(.text(x: x, y: layout.plotBottom + Metrics.tickLength + Metrics.tickSize + 2, content: label,
                                  size: Metrics.tickSize, anchor: .middle, fill: LineChartPalette.tickText))
        }
        for (tick, label) in zip(layout.yAxis.ticks, layout.yAxis.labels) {
            let y = layout.y(tick)
            elements.append(.line(x1: layout.plotLeft - Metrics.tickLength, y1: y, x2: layout.plotLeft, y2: y,
                                  stroke: LineChartPalette.axis))
            // Baselines sit about a third of the font size below the tick so digits centre on it.
            elements.append(.text(x: layout.plotLeft - Metrics.tickLength - 4, y: y + Metrics.tickSize * 0.35,
                                  content: label, size: Metrics.tickSize, anchor: .end, fill: LineChartPalette.tickText))
        }
        return .group(elements, className: "axes")
    }

    /// The legend in the right margin, one entry per series: a line sample, a dot if the series
    /// has markers, and the name. Nil when there are no series.
    func legendGroup(_ layout: Layout) -> SVGElement? {
        guard let left = layout.legendLeft, !series.isEmpty else { return nil }
        var entries: [SVGElement] = []
        for (index, series) in series.enumerated() {
            let y = layout.plotTop + 8 + Double(index) * layout.legendRowHeight
            let color = layout.colors[index]
            var parts: [SVGElement] = [
                .line(x1: left, y1: y, x2: left + Metrics.legendSwatch, y2: y, stroke: color, width: 2,
                      dash: layout.dashed[index] ? [7, 4] : nil),
            ]
            if series.markers {
                parts.append(.circle(cx: left + Metrics.legendSwatch / 2, cy: y, r: 3.2, fill: color,
                                     stroke: "white", strokeWidth: 1))
            }
            parts.append(.text(x: left + Metrics.legendSwatch + 8, y: y + Metrics.tickSize * 0.35,
                               content: layout.legendNames[index], size: Metrics.tickSize, fill: LineChartPalette.text))
            entries.append(.group(parts, className: "legend-entry"))
        }
        return .group(entries, className: "legend")
    }

    /// The title (top left) and the axis labels (centred on their axes, the y label rotated).
    func labelElements(_ layout: Layout) -> [SVGElement] {
        var elements: [SVGElement] = []
        if !title.isEmpty {
            elements.append(.text(x: Metrics.margin, y: Metrics.margin + Metrics.titleSize, content: title,
                                  size: Metrics.titleSize, weight: .bold, fill: LineChartPalette.text))
        }
        if !xLabel.isEmpty {
            elements.append(.text(x: (layout.plotLeft + layout.plotRight) / 2, y: layout.height - Metrics.margin - (caption.isEmpty ? 0 : 18),
                                  content: xLabel, size: Metrics.axisLabelSize, anchor: .middle, fill: LineChartPalette.text))
        }
        if !caption.isEmpty {
            elements.append(.text(x: Metrics.margin, y: layout.height - Metrics.margin + 4, content: caption,
                                  size: Metrics.tickSize - 1, fill: LineChartPalette.text))
        }
        if !yLabel.isEmpty {
            // Rotated a quarter turn anticlockwise the glyphs grow leftwards from the baseline,
            // so the baseline sits one font size in from the margin.
            let x = Metrics.margin + Metrics.axisLabelSize
            let y = (layout.plotTop + layout.plotBottom) / 2
            elements.append(.text(x: x, y: y, content: yLabel, size: Metrics.axisLabelSize, anchor: .middle,
                                  rotate: -90, fill: LineChartPalette.text))
        }
        return elements
    }

    /// Every series run and error bar in pixel coordinates, for keeping labels off the data.
    func pixelRuns(_ layout: Layout) -> [[(Double, Double)]] {
        let runs = series.flatMap { $0.segments.map { $0.map { (layout.x($0.x), layout.y($0.y)) } } }
        let bars = errorBars.filter { Self.isPlottable($0.x) && Self.isPlottable($0.low) && Self.isPlottable($0.high) }
            .map { [(layout.x($0.x), layout.y($0.low)), (layout.x($0.x), layout.y($0.high))] }
        return runs + bars
    }

    /// Whether `value` can be placed on an axis (finite and not absurdly large).
    static func isPlottable(_ value: Double) -> Bool {
        value.isFinite && abs(value) <= LineChartAxis.plottableMagnitude
    }
}
