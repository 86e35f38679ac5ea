import Foundation
import DiD

/// What a sensitivity analysis bounds (`--sensitivity-target`): the effect on impact (event time
/// 0, HonestDiD's default l = e_1), the average of the post periods (l = 1/T), or a `--combine`
/// expression over post-period event times (`e0 + e1`, `(e0 + e1 + e2)/3`).
public enum SensitivityTarget: Sendable, Equatable {
    case impact
    case average
    case expression(CombinationExpression)

    /// Parses `impact`, `average`, or an expression; a malformed expression throws its syntax error.
    public init(parsing text: String) throws(CombinationExpression.SyntaxError) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "impact": self = .impact
        case "average": self = .average
        default: self = .expression(try CombinationExpression(parsing: text))
        }
    }

    /// How outputs name the target.
    public var label: String {
        switch self {
        case .impact: return "on impact (e0)"
        case .average: return "average of the post periods"
        case .expression(let expression): return expression.text
        }
    }

    /// The weights over `postEventTimes`, or an error naming an event time the event study does
    /// not have (or a pre-period, which no target may weight).
    func weights(postEventTimes: [Int], estimator: StaggeredEstimator) throws(SensitivityInputError) -> [Double] {
        let count = postEventTimes.count
        switch self {
        case .impact:
            guard let first = postEventTimes.first, first == 0 else {
                throw SensitivityInputError("--sensitivity-target impact: \(estimator.displayName)'s event study has no estimate at event time 0")
            }
            return [1] + Array(repeating: 0, count: count - 1)
        case .average:
            return Array(repeating: 1 / Double(count), count: count)
        case .expression(let expression):
            var weights = [Double](repeating: 0, count: count)
            for term in expression.terms {
                let label = term.label.hasPrefix("lr_") ? String(term.label.dropFirst(3)) : term.label
                guard label.hasPrefix("e"), let time = Int(label.dropFirst()) else {
                    throw SensitivityInputError("--sensitivity-target '\(expression.text)': '\(term.label)' is not an event time; write e0, e1, … (post periods)")
                }
                guard let index = postEventTimes.firstIndex(of: time) else {
                    let available = postEventTimes.map { "e\($0)" }.joined(separator: ", ")
                    throw SensitivityInputError("--sensitivity-target '\(expression.text)': \(estimator.displayName)'s event study has no post-period event time \(time); available: \(available)")
                }
                weights[index] += term.weight
            }
            return weights
        }
    }
}

/// A sensitivity request the data cannot answer (a target naming a missing event time): one line,
/// exit 1.
public struct SensitivityInputError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
