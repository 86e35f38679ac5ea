import DiD
import Primitives

/// Each event study's pre-test power against a linear trend (Roth 2022; DiDAnalysis.pretrendPower)
/// as JSON (`pretrend_power`, always) and text (`--pretest-power`).
extension DiDResults {
    /// The JSON `pretrend_power`.
    var pretrendPowerJSON: JSONValue {
        .array(pretrendPowers.map(\.record.json))
    }

    /// The text block: per estimator, the slopes detected with 50% and 80% power and their bias.
    public var pretrendPowerText: String {
        guard !pretrendPowers.isEmpty else { return "No event study with pre-period coefficients: no pre-test power to report.\n" }
        var lines = ["", "Pre-test power against a linear trend (Roth 2022; Wald χ² pre-test, as diff-diff's PreTrendsPower):"]
        for entry in pretrendPowers {
            let power = entry.power
            let level = NumberFormat.significant(power.alpha * 100, digits: 3)
            let detected = power.detected.map { "\(NumberFormat.significant($0.slope, digits: 4)) with \(Int(($0.power * 100).rounded()))% power" }
                .joined(separator: ", ")
            let bias = power.detected.map { NumberFormat.significant($0.bias, digits: 4) }.joined(separator: " / ")
            let base = entry.yearOnYear ? "year-on-year pre-period coefficients" : "pre-period coefficients relative to \(entry.referencePeriod)"
            lines.append("  \(entry.estimator.displayName): χ²(\(power.degreesOfFreedom)) at \(level)% on \(entry.preEventTimes.count) \(base); "
                         + "a trend of slope \(detected) per period; it would bias \(entry.targetDescription) by \(bias)")
            if let note = power.note { lines.append("  Note: \(note)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension EventStudyPretrendPower {
    /// The JSON record (`did`'s `pretrend_power`, the report's `trust.pretest_power`).
    public var record: PretrendPowerRecord {
        PretrendPowerRecord(estimator: estimator.rawValue, alpha: power.alpha, degreesOfFreedom: power.degreesOfFreedom,
                            criticalValue: power.criticalValue, referencePeriod: referencePeriod, preEventTimes: preEventTimes,
                            yearOnYear: yearOnYear, target: targetDescription, targetEventTimes: targetEventTimes,
                            detected: power.detected.map { .init(power: $0.power, slope: $0.slope, bias: $0.bias) },
                            note: power.note)
    }
}
