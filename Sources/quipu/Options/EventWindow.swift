import ArgumentParser
import Foundation

/// `--window LOW:HIGH`: the relative periods an event study keeps, LOW < HIGH (its end points bin
/// the periods beyond).
struct EventWindow: OptionValue, Equatable {
    let periods: ClosedRange<Int>

    static func parsing(_ text: String) throws -> EventWindow {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let low = parts[0], let high = parts[1], low < high else {
            throw ValidationError("must be LOW:HIGH with LOW < HIGH, e.g. -5:5")
        }
        return EventWindow(periods: low...high)
    }
}
