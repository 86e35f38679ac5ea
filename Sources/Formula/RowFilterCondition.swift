/// A row filter's condition: comparisons of values combined with `&`, `|` and `!`.
public indirect enum RowFilterCondition: Equatable, Sendable {
    /// One side of a comparison: an expression of columns, or a quoted text.
    public enum Operand: Equatable, Sendable {
        case expression(Expression)
        case text(String)

        /// The operand as written: `size_class`, `'small'`.
        public var description: String {
            switch self {
            case .expression(let expression): return expression.operandName(under: ComparisonOperator.precedence + 1, rightSide: true)
            case .text(let text):
                // Single quotes, as filters are usually written inside a shell's double quotes.
                return "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
            }
        }
    }

    /// `left op right`; missing (NA) when either side is missing.
    case comparison(ComparisonOperator, Operand, Operand)
    /// `value %in% c(...)`: never missing, as in R (a missing value is in no list).
    case membership(Operand, [ReferenceValue])
    /// `is.na(value)`: never missing.
    case isMissing(Operand)
    /// `!condition`.
    case not(RowFilterCondition)
    /// `left & right`, with R's three-valued logic (`FALSE & NA` is `FALSE`).
    case and(RowFilterCondition, RowFilterCondition)
    /// `left | right` (`TRUE | NA` is `TRUE`).
    case or(RowFilterCondition, RowFilterCondition)

    /// The data columns the condition reads.
    public var variables: Set<String> {
        switch self {
        case .comparison(_, let left, let right): return left.variables.union(right.variables)
        case .membership(let operand, _), .isMissing(let operand): return operand.variables
        case .not(let inner): return inner.variables
        case .and(let left, let right), .or(let left, let right): return left.variables.union(right.variables)
        }
    }

    /// The condition as text, with parentheses where `&` sits under `!` or `|` under `&`.
    public var description: String {
        switch self {
        case .comparison(let operation, let left, let right):
            return "\(left.description) \(operation.symbol) \(right.description)"
        case .membership(let operand, let values):
            return "\(operand.description) %in% c(" + values.map(\.name).joined(separator: ", ") + ")"
        case .isMissing(let operand):
            return "is.na(\(operand.description))"
        case .not(let inner):
            return "!" + inner.wrapped(unless: { if case .not = $0 { return true }; return $0.isAtom })
        case .and(let left, let right):
            return left.wrapped(unless: { !$0.isOr }) + " & " + right.wrapped(unless: { !$0.isOr && !$0.isAnd })
        case .or(let left, let right):
            return left.description + " | " + right.wrapped(unless: { !$0.isOr })
        }
    }

    private var isAtom: Bool {
        switch self {
        case .not, .and, .or: return false
        default: return true
        }
    }

    private var isAnd: Bool { if case .and = self { return true }; return false }
    private var isOr: Bool { if case .or = self { return true }; return false }

    private func wrapped(unless bare: (RowFilterCondition) -> Bool) -> String {
        bare(self) ? description : "(\(description))"
    }
}

extension RowFilterCondition.Operand {
    /// The data columns the operand reads.
    public var variables: Set<String> {
        if case .expression(let expression) = self { return expression.variables }
        return []
    }
}
