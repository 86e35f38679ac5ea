import Primitives

/// A standalone SVG image: a canvas size plus the elements drawn on it, in painting order.
///
/// `render()` always produces well-formed XML in the SVG namespace: text and attribute values are
/// escaped, numbers are written without exponents, and elements with non-finite coordinates are
/// skipped, so data that contains NaN or infinity cannot corrupt the file.
public struct SVGDocument: Sendable {
    /// Canvas width in pixels; also the view box width.
    public var width: Double
    /// Canvas height in pixels; also the view box height.
    public var height: Double
    /// An accessible title, written as the SVG `<title>` that viewers show as a tooltip.
    public var title: String?
    /// The fill painted behind everything, or nil for a transparent canvas.
    public var background: String? = "white"
    /// The default font for every text element.
    public var fontFamily = "Helvetica, Arial, sans-serif"
    /// The elements drawn so far, bottom first.
    public private(set) var elements: [SVGElement] = []

    /// An empty canvas of the given size; sizes that are negative or not finite become zero.
    public init(width: Double, height: Double) {
        self.width = width.isFinite ? max(0, width) : 0
        self.height = height.isFinite ? max(0, height) : 0
    }

    /// Draws `element` on top of everything added before it.
    public mutating func add(_ element: SVGElement) {
        elements.append(element)
    }

    /// Draws `elements` in order on top of everything added before them.
    public mutating func add(contentsOf elements: [SVGElement]) {
        self.elements.append(contentsOf: elements)
    }

    /// The document as SVG markup, starting with an XML declaration.
    public func render() -> String {
        // The properties are public and mutable, so they are re-sanitised here rather than trusted.
        let safeWidth = width.isFinite ? max(0, width) : 0
        let safeHeight = height.isFinite ? max(0, height) : 0
        let w = SVGMarkup.number(safeWidth) ?? "0"
        let h = SVGMarkup.number(safeHeight) ?? "0"
        var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        output += SVGMarkup.tag("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"), ("version", "1.1"),
            ("width", w), ("height", h), ("viewBox", "0 0 \(w) \(h)"),
            ("font-family", fontFamily),
        ], selfClosing: false) + "\n"
        if let title, !title.isEmpty {
            output += "  <title>" + MarkupText.xml(title) + "</title>\n"
        }
        if let background {
            SVGElement.rect(x: 0, y: 0, width: safeWidth, height: safeHeight, fill: background)
                .write(into: &output, depth: 1)
        }
        for element in elements {
            element.write(into: &output, depth: 1)
        }
        output += "</svg>\n"
        return output
    }
}
