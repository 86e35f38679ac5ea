/// One drawable SVG primitive, or a group of them, described by value.
///
/// Coordinates are in user units (pixels for `SVGDocument`'s default view box). Any required
/// number that is NaN or infinite makes `render` skip the element instead of writing invalid SVG;
/// polylines skip just the offending points. Colours are any SVG paint ("#0072B2", "none", ...).
public enum SVGElement: Sendable {
    /// A straight segment from (`x1`, `y1`) to (`x2`, `y2`); `dash` gives `stroke-dasharray` lengths.
    case line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: [Double]? = nil)

    /// An open path through `points` in order, unfilled.
    case polyline(points: [(Double, Double)], stroke: String, width: Double = 1, dash: [Double]? = nil)

    /// A circle centred on (`cx`, `cy`); a nil `stroke` draws no outline.
    case circle(cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil, strokeWidth: Double = 1)

    /// An axis-aligned rectangle with its top-left corner at (`x`, `y`); nil paints are "none".
    case rect(x: Double, y: Double, width: Double, height: Double, fill: String?, stroke: String? = nil, strokeWidth: Double = 1)

    /// A single line of text whose baseline starts, centres or ends at (`x`, `y`) per `anchor`,
    /// turned `rotate` degrees (clockwise, SVG convention) about that point.
    case text(x: Double, y: Double, content: String, size: Double = 12, anchor: TextAnchor = .start,
              rotate: Double? = nil, weight: FontWeight = .normal, fill: String = "#222222")

    /// Children drawn together, optionally under an SVG `transform` and tagged with a `class`
    /// so that styles and tests can find them.
    case group([SVGElement], transform: String? = nil, className: String? = nil)

    /// Where a text's anchor point sits along its baseline.
    public enum TextAnchor: String, Sendable {
        case start, middle, end
    }

    /// The stroke weight of a text's glyphs.
    public enum FontWeight: String, Sendable {
        case normal, bold
    }
}
