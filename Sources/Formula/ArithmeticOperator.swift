import Foundation

/// A binary arithmetic operator of R, as written inside `I()` or a function's argument.
public enum ArithmeticOperator: String, CaseIterable, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case power = "^"

    /// The operator as written.
    public var symbol: String { rawValue }

    /// R's binding strength: `^` binds tighter than `*` and `/`, which bind tighter than `+` and
    /// `-`. Comparisons (`ComparisonOperator.precedence`) and unary minus fit between these.
    public var precedence: Int {
        switch self {
        case .add, .subtract: return 10
        case .multiply, .divide: return 11
        case .power: return 14
        }
    }

    /// Applies the operator to one pair of values, with IEEE semantics (R's for doubles).
    public func apply(_ left: Double, _ right: Double) -> Double {
        switch self {
        case .add: return left + right
        case .subtract: return left - right
        case .multiply: return left * right
        case .divide: return left / right
        case .power: return Self.power(left, right)
        }
    }

    /// `left ^ right` as R computes it (C's `pow`: `x^0` and `1^y` are 1, a negative base with a
    /// non-integer exponent is NaN). A square is a product, so `I(x^2)` equals `x * x` exactly.
    static func power(_ left: Double, _ right: Double) -> Double {
        right == 2 ? left * left : Foundation.pow(left, right)
    }
}
