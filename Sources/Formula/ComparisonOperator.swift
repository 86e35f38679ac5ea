/// A comparison of R (`>`, `>=`, `<`, `<=`, `==`, `!=`): 1 where it holds and 0 where it does not
/// inside `I()`, a condition in a row filter.
public enum ComparisonOperator: String, CaseIterable, Sendable {
    case greater = ">"
    case greaterOrEqual = ">="
    case less = "<"
    case lessOrEqual = "<="
    case equal = "=="
    case notEqual = "!="

    /// The operator as written.
    public var symbol: String { rawValue }

    /// Comparisons bind more loosely than arithmetic, as in R: `x + 1 > 2` is `(x + 1) > 2`.
    public static let precedence = 9

    /// Whether the comparison holds for two numbers (neither NaN: callers handle missing values).
    public func holds(_ left: Double, _ right: Double) -> Bool {
        switch self {
        case .greater: return left > right
        case .greaterOrEqual: return left >= right
        case .less: return left < right
        case .lessOrEqual: return left <= right
        case .equal: return left == right
        case .notEqual: return left != right
        }
    }

    /// Whether the operator tests equality only (`==`, `!=`), the comparisons text supports.
    public var isEquality: Bool { self == .equal || self == .notEqual }
}
