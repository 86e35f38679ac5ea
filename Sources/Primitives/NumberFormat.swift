import Foundation

/// Number formatting shared by every module's human-readable output: one definition of each
/// format, so that a number reads the same in a table, a warning and a report. The two short
/// forms follow C's `%.3g` and `%.4g` and are named after them, because the commands that use
/// them print different digits and their outputs must stay as they are.
public enum NumberFormat {
    /// `value` with `digits` significant digits, as R prints summaries (no exponent unless needed).
    public static func significant(_ value: Double, digits: Int = 6) -> String {
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
    public static func pValue(_ value: Double) -> String {
        guard value.isFinite else { return "NA" }
        if value < 2.2e-16 { return "< 2.2e-16" }
        return significant(value, digits: 6)
    }

    /// Significance stars, with R's codes.
    public static func stars(_ p: Double) -> String {
        guard p.isFinite else { return "" }
        if p < 0.001 { return "***" }
        if p < 0.01 { return "**" }
        if p < 0.05 { return "*" }
        if p < 0.1 { return "." }
        return ""
    }

    /// A fixed number of decimals.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "NA" }
        return String(format: "%.\(decimals)f", value)
    }

    /// Pads on the left to `width`.
    public static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// Pads on the right to `width`.
    public static func rightPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Three significant digits as `%.3g` (values below 1e-4 with two, `%.2g`), "NA" when not
    /// finite: the numbers in the command line's warnings.
    public static func short3g(_ value: Double) -> String {
        guard value.isFinite else { return "NA" }
        if value == 0 { return "0" }
        if abs(value) < 1e-4 { return String(format: "%.2g", value) }
        return String(format: "%.3g", value)
    }

    /// Four significant digits as `%.4g`, with "-0" shown as "0" and "NA" when not finite: the
    /// numbers in the difference-in-differences notes.
    public static func short4g(_ value: Double) -> String {
        guard value.isFinite else { return "NA" }
        let text = String(format: "%.4g", value)
        return text == "-0" ? "0" : text
    }

    /// A confidence level as a percentage: 0.95 → "95%", 0.975 → "97.5%".
    public static func percent(_ level: Double) -> String {
        short3g(level * 100) + "%"
    }

    /// A byte count as people read it: "240 GB", "88.0 GB", "512 bytes".
    public static func bytes(_ bytes: Double) -> String {
        let units: [(Double, String)] = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")]
        for (size, unit) in units where bytes >= size {
            let value = bytes / size
            return (value >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value)) + " " + unit
        }
        return String(format: "%.0f", bytes) + " bytes"
    }
}
