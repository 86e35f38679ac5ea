/// How operators nest when an expression is printed, so names read back to the same expression.
extension Expression {
    /// Unary minus binds tighter than `*` but looser than `^`, as in R (`-x^2` is `-(x^2)`).
    static let negationPrecedence = 13

    /// How tightly the expression's outermost operator binds; atoms and calls bind tightest.
    var precedence: Int {
        switch self {
        case .arithmetic(let operation, _, _): return operation.precedence
        case .comparison: return ComparisonOperator.precedence
        case .negation: return Expression.negationPrecedence
        case .number(let value) where value < 0: return Expression.negationPrecedence
        default: return Int.max
        }
    }

    /// The name as an operand of an operator of `parent` precedence, parenthesised when it binds
    /// more loosely, or equally on the side where the operator does not associate.
    func operandName(under parent: Int, rightSide needsStrictness: Bool) -> String {
        let own = precedence
        let wrap = own < parent || (own == parent && needsStrictness)
        return wrap ? "(\(name))" : name
    }

    /// A number as R's `deparse` writes it: integers without a decimal point, others with up to
    /// 15 significant digits.
    static func numberText(_ value: Double) -> String {
        if value == value.rounded(), Swift.abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
