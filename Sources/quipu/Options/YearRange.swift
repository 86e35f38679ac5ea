import ArgumentParser
import Simulation

/// `--years FIRST:LAST` of `quipu simulate peru`.
struct YearRange: OptionValue, Equatable {
    let years: ClosedRange<Int>

    static func parsing(_ text: String) throws -> YearRange {
        do { return YearRange(years: try PeruSimulationOptions.parseYears(text)) } catch { throw ValidationError(error.message) }
    }

    var defaultValueDescription: String { "\(years.lowerBound):\(years.upperBound)" }
}
