import Foundation

/// Short numbers for warnings (the bootstrap's, `BootstrapDiagnostics`).
enum NumberFormatting {
    /// Three significant digits, without an exponent for the values warnings show.
    static func short(_ value: Double) -> String {
        guard value.isFinite else { return "NA" }
        if value == 0 { return "0" }
        if abs(value) < 1e-4 { return String(format: "%.2g", value) }
        return String(format: "%.3g", value)
    }

    /// A confidence level as a percentage: 0.95 → "95%", 0.975 → "97.5%".
    static func percent(_ level: Double) -> String {
        short(level * 100) + "%"
    }
}
