/// Locale-free, platform-independent number formatting for the CSV and JSON outputs.
///
/// `String(format:)` and `Double.description` can differ between Foundation versions and
/// locales; rounding to a scaled integer and printing digits ourselves cannot.
enum FixedPoint {
    /// `value` with exactly `decimals` digits after the point, or "" when not finite or too large.
    static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "" }
        var factor = 1.0
        for _ in 0..<max(0, decimals) { factor *= 10 }
        let scaled = (value * factor).rounded(.toNearestOrAwayFromZero)
        guard abs(scaled) < 9.0e18 else { return "" }
        let integer = Int64(scaled)
        if decimals <= 0 { return String(integer) }
        let negative = integer < 0
        var digits = String(integer.magnitude)
        if digits.count <= decimals {
            digits = String(repeating: "0", count: decimals - digits.count + 1) + digits
        }
        let split = digits.index(digits.endIndex, offsetBy: -decimals)
        let text = digits[..<split] + "." + digits[split...]
        return negative ? "-" + text : String(text)
    }

    /// A rounded whole number for a non-negative USD amount or head count.
    static func wholeNumber(_ value: Double) -> Int64 {
        guard value.isFinite else { return 0 }
        let clamped = min(max(value, -9.0e18), 9.0e18)
        return Int64(clamped.rounded(.toNearestOrAwayFromZero))
    }
}
