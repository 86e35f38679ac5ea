/// Escaping for the markup Quipu writes (HTML pages and tables, SVG plots): one definition of the
/// characters that would open a tag or an entity, or end a quoted attribute value.
///
/// HTML and XML differ in two places only, so they are one function with a dialect rather than two
/// copies: HTML 4 has no `&apos;` (hence `&#39;` there, `&apos;` in XML),
/// and XML forbids most control characters even when escaped, so the XML dialect drops them.
public enum MarkupText {
    /// The markup language the text goes into.
    public enum Dialect: Sendable {
        /// HTML content and single- or double-quoted attribute values.
        case html
        /// XML (SVG) character data and single- or double-quoted attribute values.
        case xml
    }

    /// `text` safe in HTML content and in single- or double-quoted attribute values.
    public static func html(_ text: String) -> String { escape(text, for: .html) }

    /// `text` safe in XML character data and in single- or double-quoted attributes.
    ///
    /// Control characters other than tab, newline and carriage return are dropped, because XML 1.0
    /// forbids them even when escaped and a single one would make the whole document unreadable.
    public static func xml(_ text: String) -> String { escape(text, for: .xml) }

    /// `text` with `&`, `<`, `>`, `"` and `'` written as entities for `dialect`.
    public static func escape(_ text: String, for dialect: Dialect) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += dialect == .html ? "&#39;" : "&apos;"
            default:
                if dialect == .xml && isForbiddenInXML(scalar) { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Control characters but tab, newline and carriage return, and U+FFFE and U+FFFF: not
    /// characters of XML 1.0 (surrogates cannot occur in a Swift String).
    private static func isForbiddenInXML(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        return value < 0x20 || value == 0xFFFE || value == 0xFFFF
    }
}
