import Foundation

/// Number formatting shared by the human-readable formats.
public enum NumberFormat {
    /// `value` with `digits` significant digits, as R prints summaries (no exponent unless needed).
    static func significant(_ value: Double, digits: Int = 6) -> String {
        guard value.isFinite else { return value.isNaN ? "NA" : (value > 0 ? "Inf" : "-Inf") }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e-4 && magnitude < 1e15 {
            let decimals = max(0, digits - 1 - Int(floor(log10(magnitude))))
            var text = String(format: "%.\(decimals)f", value)
            if text.contains(".") {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            return text
        }
        return String(format: "%.\(digits - 1)e", value)
    }

    /// A p-value as R prints it: tiny values as "< 2.2e-16".
    static func pValue(_ value: Double) -> String {
        guard value.isFinite else { return "NA" }
        if value < 2.2e-16 { return "< 2.2e-16" }
        return significant(value, digits: 6)
    }

    /// Significance stars, with R's codes.
    static func stars(_ p: Double) -> String {
        guard p.isFinite else { return "" }
        if p < 0.001 { return "***" }
        if p < 0.01 { return "**" }
        if p < 0.05 { return "*" }
        if p < 0.1 { return "." }
        return ""
    }

    /// A fixed number of decimals.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "NA" }
        return String(format: "%.\(decimals)f", value)
    }

    /// Pads on the left to `width`.
    static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// Pads on the right to `width`.
    static func rightPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
