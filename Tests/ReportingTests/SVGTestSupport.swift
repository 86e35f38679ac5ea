import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG string parsed as XML, with the queries the tests need.
///
/// Parsing with a real XML parser (rather than matching substrings) is what proves the output is
/// well-formed: an unescaped `<` or `&` anywhere makes `init` throw.
struct ParsedSVG {
    let root: XMLElement

    struct NotSVG: Error {}

    init(_ text: String) throws {
        let document = try XMLDocument(xmlString: text, options: [])
        guard let root = document.rootElement() else { throw NotSVG() }
        self.root = root
    }

    /// Every element below `element` (default: the root), in document order.
    func descendants(of element: XMLElement? = nil) -> [XMLElement] {
        let children = (element ?? root).children?.compactMap { $0 as? XMLElement } ?? []
        return children.flatMap { [$0] + descendants(of: $0) }
    }

    /// Elements named `name` (local name, ignoring any prefix) below `element`.
    func elements(_ name: String, in element: XMLElement? = nil) -> [XMLElement] {
        descendants(of: element).filter { ($0.localName ?? $0.name) == name }
    }

    /// `<g>` elements whose `class` attribute is `className`.
    func groups(_ className: String) -> [XMLElement] {
        elements("g").filter { $0.string("class") == className }
    }

    /// The text content of every `<text>` below `element`.
    func texts(in element: XMLElement? = nil) -> [String] {
        elements("text", in: element).map { $0.stringValue ?? "" }
    }
}

extension XMLElement {
    /// The value of attribute `name`, if present.
    ///
    /// Looked up by scanning `attributes` because swift-corelibs-foundation's `attribute(forName:)`
    /// returns nil for unprefixed attributes of an element in a default namespace.
    func string(_ name: String) -> String? {
        attributes?.first { ($0.localName ?? $0.name) == name }?.stringValue
    }

    /// The value of attribute `name` as a number, if present and numeric.
    func number(_ name: String) -> Double? {
        string(name).flatMap(Double.init)
    }
}

/// Attributes that hold a single number wherever they appear in our SVG.
let numericAttributes = ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height",
                         "font-size", "stroke-width"]

/// Whether `text` is a plain decimal: optional minus, digits, at most two decimals. Rules out
/// "1e-05", "nan", "inf" and long binary-fraction tails alike.
func isCompactNumber(_ text: Substring) -> Bool {
    var rest = text
    if rest.first == "-" { rest = rest.dropFirst() }
    let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCII),
          whole.allSatisfy(\.isNumber) else { return false }
    guard parts.count == 2 else { return true }
    let fraction = parts[1]
    return (1...2).contains(fraction.count) && fraction.allSatisfy(\.isASCII) && fraction.allSatisfy(\.isNumber)
}

/// The numbers in every numeric attribute and polyline of `svg` that are not compact decimals.
func nonCompactNumbers(in svg: ParsedSVG) -> [String] {
    var bad: [String] = []
    for element in svg.descendants() {
        for name in numericAttributes {
            if let value = element.string(name), !isCompactNumber(Substring(value)) { bad.append("\(name)=\(value)") }
        }
        if let points = element.string("points") {
            for coordinate in points.split(whereSeparator: { $0 == " " || $0 == "," }) where !isCompactNumber(coordinate) {
                bad.append("points: \(coordinate)")
            }
        }
    }
    return bad
}
