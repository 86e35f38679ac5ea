import Foundation

extension LineChartAxis {
    /// Tick labels with just enough decimals to tell neighbours apart.
    ///
    /// Millions and billions are shortened to "2.5M" and "4B"; five-digit and six-digit values get
    /// thousands separators, while four-digit values do not, so years read "2004", not "2,004".
    /// Negative values use a true minus sign, which lines up with the digits' width.
    static func labels(for ticks: [Double], step: Double) -> [String] {
        let largest = ticks.map(abs).max() ?? 0
        if largest >= 1e15 {
            // Past a thousand trillion, suffixes stop helping; scientific notation is clearer.
            return ticks.map { $0 == 0 ? "0" : signed(String(format: "%.3g", abs($0)), negative: $0 < 0) }
        }
        let (divisor, suffix): (Double, String) =
            largest >= 1e9 ? (1e9, "B") : largest >= 1e6 ? (1e6, "M") : (1, "")
        let scaledStep = step / divisor
        let decimals = scaledStep > 0 && scaledStep.isFinite
            ? min(12, max(0, Int(-(log10(scaledStep) + 1e-9).rounded(.down))))
            : 0
        let grouped = suffix.isEmpty && largest >= 10_000
        return ticks.map { value in
            var text = String(format: "%.\(decimals)f", abs(value) / divisor)
            if grouped { text = groupThousands(text) }
            // Zero never takes a sign or a suffix ("0.0M" reads oddly), but keeps its decimals
            // when unscaled so that it lines up with "0.5" and "1.0".
            if text.allSatisfy({ $0 == "0" || $0 == "." }) { return suffix.isEmpty ? text : "0" }
            return signed(text + suffix, negative: value < 0)
        }
    }

    /// `text` with a leading minus sign (U+2212) when `negative`.
    private static func signed(_ text: String, negative: Bool) -> String {
        negative ? "\u{2212}" + text : text
    }

    /// `digits` (unsigned, optionally with a decimal part) with commas between groups of three.
    private static func groupThousands(_ digits: String) -> String {
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = Array(parts.first ?? "")
        var grouped = ""
        for (index, character) in whole.enumerated() {
            if index > 0 && (whole.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return parts.count > 1 ? grouped + "." + parts[1] : grouped
    }
}
