import Foundation

/// Number formats of tables (`quipu table`, the report's tables).
extension NumberFormat {
    /// `value` to `digits` significant digits keeping trailing zeros, so a column's decimals line
    /// up (fixest `etable`'s `digits`); magnitudes below 1e-4 or from 1e15 take an exponent.
    public static func tableDigits(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NA" : (value > 0 ? "Inf" : "-Inf") }
        if value == 0 { return String(format: "%.\(max(0, digits - 1))f", 0.0) }
        let magnitude = abs(value)
        guard magnitude >= 1e-4 && magnitude < 1e15 else { return String(format: "%.\(max(0, digits - 1))e", value) }
        let decimals = max(0, digits - 1 - Int(floor(log10(magnitude))))
        var text = String(format: "%.\(decimals)f", value)
        // Rounding can carry into a new digit (0.99996 to 1.0000): one decimal fewer then.
        if decimals > 0, let rounded = Double(text), abs(rounded) >= 10 * pow(10, floor(log10(magnitude))) {
            text = String(format: "%.\(decimals - 1)f", value)
        }
        return text == "-" + String(format: "%.\(decimals)f", 0.0) ? String(text.dropFirst()) : text
    }

    /// A count with thousands separators, as fixest prints observations: 2,500.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return (value < 0 ? "-" : "") + result
    }
}
