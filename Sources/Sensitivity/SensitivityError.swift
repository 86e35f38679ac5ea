/// Why a sensitivity analysis cannot be computed; each case is one line for the user.
public enum SensitivityError: Error, Equatable, CustomStringConvertible {
    case shapeMismatch(estimates: Int, eventTimes: Int, covarianceRows: Int, covarianceColumns: Int)
    case noPrePeriods
    case noPostPeriods
    case targetLength(expected: Int, got: Int)
    case nonFiniteInput
    case negativeBound(Double)
    case emptyGrid
    /// A linear or quadratic program stopped at its iteration limit or found the problem infeasible.
    case optimizationFailed(String)
    /// The interval method does not exist for this restriction (e.g. the FLCI for relative magnitudes).
    case methodNotAvailable(method: String, restriction: String)

    public var description: String {
        switch self {
        case let .shapeMismatch(estimates, eventTimes, rows, columns):
            return "sensitivity: \(estimates) estimates, \(eventTimes) event times and a \(rows)×\(columns) covariance do not match"
        case .noPrePeriods:
            return "sensitivity: the event study has no pre-period estimate to bound the violation with"
        case .noPostPeriods:
            return "sensitivity: the event study has no post-period estimate"
        case let .targetLength(expected, got):
            return "sensitivity: the target has \(got) weights for \(expected) post-periods"
        case .nonFiniteInput:
            return "sensitivity: the event study's estimates or covariance are not finite"
        case let .negativeBound(value):
            return "sensitivity: the grid value \(value) is negative; M̄ and M must be ≥ 0"
        case .emptyGrid:
            return "sensitivity: the grid is empty"
        case let .optimizationFailed(reason):
            return "sensitivity: \(reason)"
        case let .methodNotAvailable(method, restriction):
            return "sensitivity: the \(method) interval is not available for \(restriction)"
        }
    }
}
