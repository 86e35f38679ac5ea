import Primitives

extension SVGElement {
    /// Appends this element's markup, indented `depth` levels, one tag per line; writes nothing
    /// when a required number is not finite.
    func write(into output: inout String, depth: Int) {
        let indent = String(repeating: "  ", count: depth)
        switch self {
        case let .line(x1, y1, x2, y2, stroke, width, dash):
            guard let x1 = SVGMarkup.number(x1), let y1 = SVGMarkup.number(y1),
                  let x2 = SVGMarkup.number(x2), let y2 = SVGMarkup.number(y2) else { return }
            output += indent + SVGMarkup.tag("line", [
                ("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2),
                ("stroke", stroke), ("stroke-width", SVGMarkup.number(width)),
                ("stroke-dasharray", SVGMarkup.dashArray(dash)),
            ], selfClosing: true) + "\n"

        case let .polyline(points, stroke, width, dash):
            let coordinates = points.compactMap { point -> String? in
                guard let x = SVGMarkup.number(point.0), let y = SVGMarkup.number(point.1) else { return nil }
                return x + "," + y
            }
            guard !coordinates.isEmpty else { return }
            output += indent + SVGMarkup.tag("polyline", [
                ("points", coordinates.joined(separator: " ")), ("fill", "none"),
                ("stroke", stroke), ("stroke-width", SVGMarkup.number(width)),
                ("stroke-dasharray", SVGMarkup.dashArray(dash)),
                // Round joins keep sharp turns in noisy series from spiking past the data point.
                ("stroke-linejoin", "round"),
            ], selfClosing: true) + "\n"

        case let .circle(cx, cy, r, fill, stroke, strokeWidth):
            guard r.isFinite, let cx = SVGMarkup.number(cx), let cy = SVGMarkup.number(cy),
                  let r = SVGMarkup.number(max(0, r)) else { return }
            output += indent + SVGMarkup.tag("circle", [
                ("cx", cx), ("cy", cy), ("r", r), ("fill", fill),
                ("stroke", stroke), ("stroke-width", stroke == nil ? nil : SVGMarkup.number(strokeWidth)),
            ], selfClosing: true) + "\n"

        case let .rect(x, y, width, height, fill, stroke, strokeWidth):
            // SVG forbids negative sizes, so they are clamped rather than left to each renderer.
            guard width.isFinite, height.isFinite, let x = SVGMarkup.number(x), let y = SVGMarkup.number(y),
                  let width = SVGMarkup.number(max(0, width)), let height = SVGMarkup.number(max(0, height)) else { return }
            output += indent + SVGMarkup.tag("rect", [
                ("x", x), ("y", y), ("width", width), ("height", height),
                ("fill", fill ?? "none"), ("stroke", stroke),
                ("stroke-width", stroke == nil ? nil : SVGMarkup.number(strokeWidth)),
            ], selfClosing: true) + "\n"

        case let .text(x, y, content, size, anchor, rotate, weight, fill):
            guard let xText = SVGMarkup.number(x), let yText = SVGMarkup.number(y) else { return }
            var transform: String?
            if let rotate, let angle = SVGMarkup.number(rotate), angle != "0" {
                transform = "rotate(\(angle) \(xText) \(yText))"
            }
            output += indent + SVGMarkup.tag("text", [
                ("x", xText), ("y", yText), ("font-size", SVGMarkup.number(size)),
                ("text-anchor", anchor == .start ? nil : anchor.rawValue),
                ("font-weight", weight == .normal ? nil : weight.rawValue),
                ("fill", fill), ("transform", transform),
            ], selfClosing: false) + MarkupText.xml(content) + "</text>\n"

        case let .group(children, transform, className):
            output += indent + SVGMarkup.tag("g", [("class", className), ("transform", transform)], selfClosing: false) + "\n"
            for child in children {
                child.write(into: &output, depth: depth + 1)
            }
            output += indent + "</g>\n"
        }
    }
}
