import Foundation
import Primitives

/// Low-level helpers that turn values into safe SVG/XML text: compact numbers and tags (escaping is
/// `MarkupText.xml`, shared with the HTML writers).
enum SVGMarkup {
    /// `value` with at most two decimals and no exponent, or nil when it is not finite.
    ///
    /// Two decimals are a hundredth of a user unit (a pixel, here), finer than any renderer shows,
    /// and keep the file short; `%f` never switches to exponent notation the way `description` does.
    static func number(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        var text = String(format: "%.2f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        // Rounding can leave "-0", which is legal but looks like a bug to anyone reading the file.
        return text == "-0" ? "0" : text
    }

    /// A `stroke-dasharray` value from the finite, non-negative lengths in `dash`, or nil if none remain.
    static func dashArray(_ dash: [Double]?) -> String? {
        guard let dash else { return nil }
        let parts = dash.filter { $0 >= 0 }.compactMap(number)
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// An opening or self-closing tag; attributes whose value is nil are left out.
    static func tag(_ name: String, _ attributes: [(String, String?)], selfClosing: Bool) -> String {
        var text = "<" + name
        for (key, value) in attributes {
            guard let value else { continue }
            text += " \(key)=\"\(MarkupText.xml(value))\""
        }
        return text + (selfClosing ? "/>" : ">")
    }
}
