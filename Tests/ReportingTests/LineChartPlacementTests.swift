import Foundation
import Testing
@testable import Reporting

/// Labels and styles are placed so that the chart stays readable when it gets crowded.
@Suite struct LineChartPlacementTests {
    static let box = LineChart.Box(minX: 0, minY: 0, maxX: 10, maxY: 10)

    @Test(arguments: [
        ((-5.0, 5.0), (15.0, 5.0), true),    // straight through
        ((2.0, 2.0), (3.0, 3.0), true),      // wholly inside
        ((-5.0, -5.0), (-1.0, 20.0), false), // passes to the left
        ((-5.0, 6.0), (6.0, -5.0), true),    // clips a corner
        ((-5.0, 2.0), (2.0, -5.0), false),   // misses the corner
        ((5.0, 5.0), (5.0, 5.0), true),      // a point inside
        ((11.0, 5.0), (11.0, 5.0), false),   // a point outside
    ])
    func segmentBoxIntersection(a: (Double, Double), b: (Double, Double), hits: Bool) {
        #expect(LineChart.segment(a, b, hits: Self.box) == hits)
        #expect(LineChart.segment(b, a, hits: Self.box) == hits)
    }

    @Test func referenceLabelMovesAwayFromData() throws {
        // The series ends right where the conventional right-hand label would go.
        let chart = LineChart(series: [.init(name: "s", x: [0, 1, 2, 3], y: [-100, -250, -75, -1])],
                              horizontalLines: [(y: 0, label: "zero")], width: 480, height: 300)
        let svg = try ParsedSVG(chart.svg())
        let label = try #require(svg.elements("text", in: svg.groups("reference-lines").first).first)
        let layout = LineChart.Layout(chart: chart)
        #expect(label.string("text-anchor") == nil, "expected the left-hand, start-anchored spot")
        #expect(abs((label.number("x") ?? 0) - (layout.plotLeft + 4)) < 0.01)
    }

    @Test func referenceLabelStaysRightWhenThereIsRoom() throws {
        let chart = LineChart(series: [.init(name: "s", x: [0, 1, 2], y: [5, 6, 7])], horizontalLines: [(y: 0, label: "zero")])
        let svg = try ParsedSVG(chart.svg())
        let label = try #require(svg.elements("text", in: svg.groups("reference-lines").first).first)
        #expect(label.string("text-anchor") == "end")
        let layout = LineChart.Layout(chart: chart)
        #expect((label.number("y") ?? 0) < layout.y(0), "above the line")
    }

    @Test func seriesBeyondThePaletteAreDashed() {
        let chart = LineChart(series: (0..<17).map { .init(name: "s\($0)", x: [0, 1], y: [0, 1]) })
        let layout = LineChart.Layout(chart: chart)
        #expect(layout.dashed == (0..<17).map { ($0 / 8) % 2 == 1 })
        #expect(layout.colors[0] == layout.colors[8] && layout.colors[8] == layout.colors[16])
    }

    @Test func explicitColoursAreNotDashedByWrapping() {
        let chart = LineChart(series: (0..<9).map { .init(name: "s\($0)", x: [0, 1], y: [0, 1], color: "#000") })
        #expect(LineChart.Layout(chart: chart).dashed.allSatisfy { !$0 })
    }

    @Test func legendTightensToFitManySeries() throws {
        let chart = LineChart(series: (0..<20).map { .init(name: "s\($0)", x: [0, 1], y: [0, 1]) }, height: 300)
        let layout = LineChart.Layout(chart: chart)
        #expect(layout.legendRowHeight < LineChart.Metrics.legendRowHeight)
        let svg = try ParsedSVG(chart.svg())
        let lastEntry = try #require(svg.groups("legend-entry").last)
        #expect(try #require(svg.elements("text", in: lastEntry).first?.number("y")) <= 300)
    }

    @Test func markerLabelsNearTheEdgeAreNudgedOntoTheCanvas() throws {
        let chart = LineChart(series: [.init(name: "s", x: [0, 10], y: [0, 1])],
                              markers: [.init(x: 10, label: "A rather long label at the very end")])
        let svg = try ParsedSVG(chart.svg())
        let label = try #require(svg.elements("text", in: svg.groups("markers").first).first)
        let half = LineChart.textWidth(label.stringValue ?? "", size: LineChart.Metrics.smallSize) / 2
        #expect(try #require(label.number("x")) + half <= 720)
    }
}
