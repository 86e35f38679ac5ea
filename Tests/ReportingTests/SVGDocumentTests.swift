import Foundation
import Testing
@testable import Reporting

/// The SVG writer produces well-formed, namespaced XML whatever text and numbers it is given.
@Suite struct SVGDocumentTests {
    @Test func emptyDocumentIsAnSVGRootWithNamespaceAndViewBox() throws {
        let svg = try ParsedSVG(SVGDocument(width: 320, height: 200.5).render())
        #expect(svg.root.localName == "svg")
        #expect(svg.root.uri == "http://www.w3.org/2000/svg")
        #expect(svg.root.string("viewBox") == "0 0 320 200.5")
        #expect(svg.root.number("width") == 320)
        #expect(svg.root.number("height") == 200.5)
    }

    @Test func everyElementKindRenders() throws {
        var document = SVGDocument(width: 100, height: 100)
        document.title = "Demo"
        document.add(.line(x1: 0, y1: 0, x2: 10, y2: 10, stroke: "black", width: 1.5, dash: [4, 2]))
        document.add(.polyline(points: [(0, 0), (5, 5), (10, 0)], stroke: "red", width: 2, dash: nil))
        document.add(.circle(cx: 5, cy: 5, r: 2, fill: "blue", stroke: "white", strokeWidth: 1))
        document.add(.rect(x: 1, y: 2, width: 3, height: 4, fill: nil, stroke: "gray"))
        document.add(.text(x: 50, y: 50, content: "Label", size: 12, anchor: .middle, rotate: -90, weight: .bold, fill: "#333"))
        document.add(.group([.circle(cx: 1, cy: 1, r: 1, fill: "red")], transform: "translate(10 10)", className: "inner"))
        let svg = try ParsedSVG(document.render())

        #expect(svg.elements("title").first?.stringValue == "Demo")
        let line = try #require(svg.elements("line").first)
        #expect(line.string("stroke-dasharray") == "4 2")
        #expect(svg.elements("polyline").first?.string("points") == "0,0 5,5 10,0")
        #expect(svg.elements("polyline").first?.string("fill") == "none")
        // The background rectangle comes first, then ours with "none" for its missing fill.
        #expect(svg.elements("rect").map { $0.string("fill") } == ["white", "none"])
        let text = try #require(svg.elements("text").first)
        #expect(text.stringValue == "Label")
        #expect(text.string("text-anchor") == "middle")
        #expect(text.string("font-weight") == "bold")
        #expect(text.string("transform") == "rotate(-90 50 50)")
        let group = try #require(svg.groups("inner").first)
        #expect(group.string("transform") == "translate(10 10)")
        #expect(svg.elements("circle", in: group).count == 1)
    }

    @Test func textAndAttributesAreEscaped() throws {
        let nasty = "A < B & \"C\" > 'D' ]]> <!-- x -->"
        var document = SVGDocument(width: 10, height: 10)
        document.title = nasty
        document.add(.text(x: 1, y: 1, content: nasty))
        document.add(.group([], transform: nil, className: nasty))
        let output = document.render()
        let svg = try ParsedSVG(output)
        #expect(svg.elements("title").first?.stringValue == nasty)
        #expect(svg.texts() == [nasty])
        #expect(svg.elements("g").first?.string("class") == nasty)
        #expect(!output.contains("A < B"))
    }

    @Test func controlCharactersAreDroppedSoTheXMLStaysValid() throws {
        var document = SVGDocument(width: 10, height: 10)
        document.add(.text(x: 1, y: 1, content: "bell\u{07}null\u{00}tab\tend"))
        let svg = try ParsedSVG(document.render())
        #expect(svg.texts() == ["bellnulltab\tend"])
    }

    @Test func nonFiniteNumbersSkipElementsOrPoints() throws {
        var document = SVGDocument(width: 10, height: 10)
        document.add(.line(x1: .nan, y1: 0, x2: 1, y2: 1, stroke: "black"))
        document.add(.circle(cx: 1, cy: .infinity, r: 1, fill: "red"))
        document.add(.text(x: .nan, y: 1, content: "gone"))
        document.add(.rect(x: 0, y: 0, width: -.infinity, height: 1, fill: "red"))
        document.add(.polyline(points: [(0, 0), (.nan, 1), (2, .infinity), (3, 3)], stroke: "blue"))
        document.add(.polyline(points: [(.nan, .nan)], stroke: "blue"))
        document.add(.line(x1: 0, y1: 0, x2: 1, y2: 1, stroke: "black", width: .nan, dash: [.nan, -1]))
        let output = document.render()
        let svg = try ParsedSVG(output)
        #expect(svg.elements("line").count == 1)
        #expect(svg.elements("line").first?.string("stroke-width") == nil)
        #expect(svg.elements("line").first?.string("stroke-dasharray") == nil)
        #expect(svg.elements("circle").isEmpty)
        #expect(svg.elements("text").isEmpty)
        #expect(svg.elements("rect").count == 1)  // only the background
        #expect(svg.elements("polyline").map { $0.string("points") } == ["0,0 3,3"])
        #expect(!output.lowercased().contains("nan"))
        #expect(!output.lowercased().contains("inf"))
    }

    @Test(arguments: [
        (0.00001, "0"), (-0.001, "0"), (1.0, "1"), (2.5, "2.5"), (1.0 / 3, "0.33"), (-12.345, "-12.35"),
        (1e20, "100000000000000000000"), (123456.789, "123456.79"),
    ])
    func numbersAreCompactDecimals(value: Double, expected: String) {
        #expect(SVGMarkup.number(value) == expected)
    }

    @Test func invalidCanvasSizesBecomeZero() throws {
        var document = SVGDocument(width: .nan, height: -5)
        #expect(try ParsedSVG(document.render()).root.string("viewBox") == "0 0 0 0")
        document.width = .infinity
        #expect(try ParsedSVG(document.render()).root.string("width") == "0")
    }

    @Test func transparentBackgroundOmitsTheRectangle() throws {
        var document = SVGDocument(width: 10, height: 10)
        document.background = nil
        #expect(try ParsedSVG(document.render()).elements("rect").isEmpty)
    }
}
