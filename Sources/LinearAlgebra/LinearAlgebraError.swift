/// An error reported by a LAPACK routine, or a shape that a routine cannot accept.
///
/// LAPACK signals failure through an `info` code: negative means argument `-info` was invalid (a bug
/// on our side, reported rather than trapped), positive carries a routine-specific meaning.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Argument number `argument` of `routine` had an illegal value.
    case illegalArgument(routine: String, argument: Int)
    /// The leading minor of the given order is not positive definite (`potrf`).
    case notPositiveDefinite(routine: String, order: Int)
    /// The triangular factor has an exactly zero diagonal element at the given position (`trtri`, `potri`).
    case singular(routine: String, position: Int)
    /// An eigenvalue computation failed to converge (`syevd`).
    case noConvergence(routine: String, info: Int)
    /// The operands' shapes do not fit together.
    case shapeMismatch(String)

    /// Maps a LAPACK `info` code to an error; `nil` when the call succeeded.
    static func check(_ info: Int32, routine: String) -> LinearAlgebraError? {
        if info == 0 { return nil }
        if info < 0 { return .illegalArgument(routine: routine, argument: Int(-info)) }
        switch routine {
        case "dpotrf": return .notPositiveDefinite(routine: routine, order: Int(info))
        case "dsyevd": return .noConvergence(routine: routine, info: Int(info))
        default: return .singular(routine: routine, position: Int(info))
        }
    }

    public var description: String {
        switch self {
        case let .illegalArgument(routine, argument):
            return "internal error: LAPACK \(routine) rejected argument \(argument)"
        case let .notPositiveDefinite(routine, order):
            return "matrix is not positive definite (LAPACK \(routine): leading minor of order \(order))"
        case let .singular(routine, position):
            return "matrix is singular (LAPACK \(routine): zero pivot at \(position))"
        case let .noConvergence(routine, info):
            return "eigenvalue computation did not converge (LAPACK \(routine), info \(info))"
        case let .shapeMismatch(detail):
            return "internal error: shape mismatch: \(detail)"
        }
    }
}
