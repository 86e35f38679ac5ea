import Foundation
import Testing
@testable import Reporting

/// Line charts render as well-formed SVG with one line per run of data, a legend naming every
/// series, and annotations where asked, for ordinary and degenerate data alike.
@Suite struct LineChartTests {
    static let years = (2000...2012).map(Double.init)

    /// A chart using every feature: gaps, dashes, markers, a reference line and error bars.
    static var sample: LineChart {
        var treated: [Double?] = years.map { 10 + 0.4 * ($0 - 2000) + ($0 >= 2006 ? 3 : 0) }
        treated[4] = nil
        return LineChart(
            title: "Employment by cohort", xLabel: "Year", yLabel: "Rate (%)",
            series: [
                .init(name: "Treated", x: years, y: treated),
                .init(name: "Control", x: years, y: years.map { 9 + 0.35 * ($0 - 2000) }, dashed: true, markers: false),
            ],
            markers: [.init(x: 2006, label: "Programme starts"), .init(x: 2007, label: "Second wave", color: "#CC79A7")],
            horizontalLines: [(y: 10, label: "Baseline")],
            errorBars: [(seriesIndex: 0, x: 2008, low: 14, high: 16), (seriesIndex: 7, x: 2009, low: 15, high: 17)])
    }

    @Test func sampleIsWellFormedSVGWithCompactNumbers() throws {
        let svg = try ParsedSVG(Self.sample.svg())
        #expect(svg.root.localName == "svg")
        #expect(svg.root.uri == "http://www.w3.org/2000/svg")
        #expect(svg.root.string("viewBox") == "0 0 720 440")
        #expect(nonCompactNumbers(in: svg).isEmpty, "\(nonCompactNumbers(in: svg))")
        let texts = svg.texts()
        for expected in ["Employment by cohort", "Year", "Rate (%)", "Programme starts", "Second wave", "Baseline"] {
            #expect(texts.contains(expected), "missing \(expected)")
        }
        let yLabel = try #require(svg.elements("text").first { $0.stringValue == "Rate (%)" })
        #expect(yLabel.string("transform")?.hasPrefix("rotate(-90 ") == true)
    }

    @Test func onePolylinePerContiguousSegment() throws {
        let ys: [Double?] = [1, 2, nil, 4, 5, .nan, 7, 8, 9, nil, nil, 12, .infinity]
        let chart = LineChart(series: [.init(name: "s", x: ys.indices.map(Double.init), y: ys)])
        let svg = try ParsedSVG(chart.svg())
        let series = try #require(svg.groups("series").first)
        let lines = svg.elements("polyline", in: series)
        // Runs: [1,2], [4,5], [7,8,9], [12]; the lone 12 is a dot, not a line.
        #expect(lines.map { $0.string("points")?.split(separator: " ").count } == [2, 2, 3])
        #expect(svg.elements("circle", in: series).count == 8)
    }

    @Test func isolatedPointsGetDotsEvenWithoutMarkers() throws {
        let chart = LineChart(series: [.init(name: "s", x: [1, 2, 3, 4, 5], y: [1, nil, 3, 4, nil], markers: false)])
        let svg = try ParsedSVG(chart.svg())
        #expect(svg.elements("polyline").count == 1)
        #expect(svg.elements("circle", in: svg.groups("series").first).count == 1)
    }

    @Test func legendEntriesAreTheSeriesNamesInOrderAndEscaped() throws {
        let names = ["Treated", "Never <treated> & \"others\"", "O'Brien's cohort", "Ünïcödé — 漢字"]
        let chart = LineChart(series: names.map { .init(name: $0, x: [1, 2], y: [1, 2]) })
        let output = chart.svg()
        let svg = try ParsedSVG(output)
        let entries = svg.groups("legend-entry")
        #expect(entries.map { svg.texts(in: $0) } == names.map { [$0] })
        #expect(!output.contains("<treated>"))
        // Each entry shows its series' colour, all distinct.
        let colours = entries.compactMap { svg.elements("line", in: $0).first?.string("stroke") }
        #expect(colours == Array(LineChartPalette.colors.prefix(4)))
    }

    @Test func legendSitsOutsideThePlotOnTheRight() throws {
        let chart = Self.sample
        let layout = LineChart.Layout(chart: chart)
        let svg = try ParsedSVG(chart.svg())
        let legend = try #require(svg.groups("legend").first)
        for text in svg.elements("text", in: legend) {
            #expect(try #require(text.number("x")) > layout.plotRight)
        }
        for line in svg.elements("line", in: legend) {
            #expect(try #require(line.number("x1")) > layout.plotRight)
        }
    }

    @Test func longLegendNamesAreShortenedToFitTheCanvas() throws {
        let name = String(repeating: "very long series name ", count: 10)
        let svg = try ParsedSVG(LineChart(series: [.init(name: name, x: [1, 2], y: [1, 2])]).svg())
        let shown = try #require(svg.texts(in: svg.groups("legend").first).first)
        #expect(shown.hasSuffix("\u{2026}") && shown.count < name.count)
        #expect(LineChart.textWidth(shown, size: LineChart.Metrics.tickSize) < 720 * LineChart.Metrics.legendShare)
    }

    @Test func axesCoverEveryDrawnValueWithNiceTicks() {
        let chart = Self.sample
        let layout = LineChart.Layout(chart: chart)
        let xs = chart.xValues, ys = chart.yValues
        #expect(layout.xAxis.lower <= xs.min() ?? 0 && layout.xAxis.upper >= xs.max() ?? 0)
        #expect(layout.yAxis.lower <= ys.min() ?? 0 && layout.yAxis.upper >= ys.max() ?? 0)
        #expect(ys.contains(17) && ys.contains(10), "error bar ends and reference lines count as data")
        #expect(LineChartAxisTests.isNice(layout.xAxis.step) && LineChartAxisTests.isNice(layout.yAxis.step))
        #expect(layout.xAxis.ticks.count >= 3 && layout.yAxis.ticks.count >= 3)
    }

    @Test func yearTickLabelsAreWholeNumbersWithoutSeparators() throws {
        let chart = LineChart(series: [.init(name: "s", x: [2004, 2005, 2006], y: [1, 2, 3])], width: 900)
        let svg = try ParsedSVG(chart.svg())
        let xLabels = svg.elements("text", in: svg.groups("axes").first)
            .filter { $0.string("text-anchor") == "middle" }.compactMap(\.stringValue)
        #expect(!xLabels.isEmpty)
        for label in xLabels {
            #expect(Int(label).map { (2003...2007).contains($0) } == true, "x label \(label)")
        }
    }

    @Test func markersAreDashedAndOverlappingLabelsAreStacked() throws {
        let chart = LineChart(series: [.init(name: "s", x: [2000, 2010], y: [0, 1])],
                              markers: [.init(x: 2005, label: "Cohort A starts"), .init(x: 2005.5, label: "Cohort B starts"),
                                        .init(x: 2009, label: "")])
        let svg = try ParsedSVG(chart.svg())
        let group = try #require(svg.groups("markers").first)
        let lines = svg.elements("line", in: group)
        #expect(lines.count == 3 && lines.allSatisfy { $0.string("stroke-dasharray") != nil })
        let labels = svg.elements("text", in: group)
        #expect(labels.compactMap(\.stringValue) == ["Cohort A starts", "Cohort B starts"])
        #expect(Set(labels.compactMap { $0.number("y") }).count == 2, "overlapping labels must be on different rows")
        let layout = LineChart.Layout(chart: chart)
        #expect(labels.allSatisfy { ($0.number("y") ?? .infinity) < layout.plotTop })
    }

    @Test func referenceLineSitsAtItsValue() throws {
        let chart = LineChart(series: [.init(name: "s", x: [0, 1, 2], y: [-2, 1, 3])], horizontalLines: [(y: 0, label: nil)])
        let layout = LineChart.Layout(chart: chart)
        let svg = try ParsedSVG(chart.svg())
        let line = try #require(svg.elements("line", in: svg.groups("reference-lines").first).first)
        #expect(abs((line.number("y1") ?? .nan) - layout.y(0)) < 0.01)
        #expect(line.number("x1") == (layout.plotLeft * 100).rounded() / 100)
    }

    @Test func errorBarsDrawAStemAndTwoCapsInTheSeriesColour() throws {
        let chart = Self.sample
        let svg = try ParsedSVG(chart.svg())
        let lines = svg.elements("line", in: svg.groups("error-bars").first)
        #expect(lines.count == 6)
        #expect(lines.prefix(3).allSatisfy { $0.string("stroke") == LineChartPalette.color(at: 0) })
        // The second bar names a series that does not exist, so it is drawn in neutral grey.
        #expect(lines.suffix(3).allSatisfy { $0.string("stroke") == LineChartPalette.neutral })
    }

    @Test func customColourAndDashAreUsed() throws {
        let chart = LineChart(series: [.init(name: "s", x: [0, 1], y: [0, 1], color: "#123456", dashed: true)])
        let line = try #require(ParsedSVG(chart.svg()).elements("polyline").first)
        #expect(line.string("stroke") == "#123456")
        #expect(line.string("stroke-dasharray") != nil)
    }

    struct EdgeCase: CustomTestStringConvertible, Sendable {
        let label: String
        let chart: LineChart
        var testDescription: String { label }
    }

    static let edgeCases: [EdgeCase] = [
        EdgeCase(label: "no series", chart: LineChart(title: "Empty")),
        EdgeCase(label: "single point", chart: LineChart(series: [.init(name: "one", x: [2004], y: [3.5])])),
        EdgeCase(label: "all-equal y", chart: LineChart(series: [.init(name: "flat", x: [1, 2, 3], y: [5, 5, 5])])),
        EdgeCase(label: "all zero", chart: LineChart(series: [.init(name: "zero", x: [1, 2, 3], y: [0, 0, 0])])),
        EdgeCase(label: "negative values", chart: LineChart(series: [.init(name: "neg", x: [-3, -2, -1], y: [-100, -250, -75])])),
        EdgeCase(label: "nil-only series", chart: LineChart(series: [.init(name: "none", x: [1, 2], y: [nil, nil])])),
        EdgeCase(label: "NaN and infinities", chart: LineChart(
            series: [.init(name: "bad", points: [(x: .nan, y: 1), (x: 1, y: .nan), (x: 2, y: .infinity), (x: 3, y: 4), (x: 4, y: 5)])],
            markers: [.init(x: .nan, label: "nowhere")], horizontalLines: [(y: .infinity, label: "never")],
            errorBars: [(seriesIndex: 0, x: 3, low: .nan, high: 5), (seriesIndex: -1, x: .infinity, low: 1, high: 2)])),
        EdgeCase(label: "huge values", chart: LineChart(series: [.init(name: "big", x: [1, 2], y: [1e305, -1e305]),
                                                                 .init(name: "ok", x: [1, 2], y: [4_000_000, 6_500_000])])),
        EdgeCase(label: "huge values with a tiny spread", chart: LineChart(
            series: [.init(name: "s", x: [1e20, 1e20 + 1e5], y: [1e20, 1e20 + 65536])])),
        EdgeCase(label: "tiny canvas", chart: LineChart(title: "T", xLabel: "x", yLabel: "y",
                                                        series: [.init(name: "s", x: [1, 2], y: [1, 2])], width: 10, height: 10)),
        EdgeCase(label: "invalid canvas", chart: LineChart(series: [.init(name: "s", x: [1, 2], y: [1, 2])], width: .nan, height: -1)),
        EdgeCase(label: "empty arrays", chart: LineChart(series: [.init(name: "", points: [])])),
        EdgeCase(label: "more series than colours", chart: LineChart(
            series: (0..<11).map { .init(name: "s\($0)", x: [0, 1], y: [Double($0), Double($0) + 1]) })),
        EdgeCase(label: "markers only", chart: LineChart(markers: [.init(x: 2000, label: "A"), .init(x: 2000, label: "B")])),
    ]

    @Test(arguments: edgeCases)
    func edgeCasesRenderWellFormed(edge: EdgeCase) throws {
        let output = edge.chart.svg()
        let svg = try ParsedSVG(output)
        #expect(svg.root.localName == "svg")
        #expect(nonCompactNumbers(in: svg).isEmpty, "\(nonCompactNumbers(in: svg))")
        #expect(!output.contains("NaN") && !output.lowercased().contains("inf"))
        #expect(svg.groups("legend-entry").count == edge.chart.series.count)
        #expect(svg.groups("series").count == edge.chart.series.count)
    }

    @Test func emptyChartSaysSo() throws {
        #expect(try ParsedSVG(LineChart().svg()).texts().contains("No data"))
        #expect(try ParsedSVG(LineChart(series: [.init(name: "n", x: [1], y: [nil])]).svg()).texts().contains("No data"))
        #expect(try !ParsedSVG(Self.sample.svg()).texts().contains("No data"))
    }

    @Test func textStaysOnTheCanvas() throws {
        let svg = try ParsedSVG(Self.sample.svg())
        for text in svg.elements("text") {
            let x = try #require(text.number("x")), y = try #require(text.number("y"))
            #expect((0...720).contains(x) && (0...440).contains(y), "\(text.stringValue ?? "") at \(x), \(y)")
        }
    }
}
