/// A data column or a transformation of one, such as `x`, `log(y)`, `log(abs(x))` or `I(x^2)`.
public indirect enum Expression: Equatable, Hashable, Sendable {
    /// A column of the data, named exactly as in the data (without backticks).
    case variable(String)
    /// A known function applied to an expression.
    case function(name: String, argument: Expression)
    /// A numeric literal, as in `I(x^2)` or `log(x + 1)`.
    case number(Double)
    /// Unary minus: `-x`.
    case negation(Expression)
    /// Arithmetic on two expressions: `x * z`, `x^2`.
    case arithmetic(ArithmeticOperator, Expression, Expression)
    /// A comparison, 1 where it holds and 0 where it does not: `y > 0`.
    case comparison(ComparisonOperator, Expression, Expression)
    /// R's `I()`, which protects arithmetic from the formula's own reading of `+`, `*`, `^`; it
    /// changes only the name (`I(x^2)`), not the values.
    case identity(Expression)

    /// The functions a formula may apply to a variable, in the order they are listed in messages.
    public static let knownFunctions: [String] = ["abs", "asinh", "exp", "log", "log1p", "sqrt"]

    /// The name fixest prints for this expression: `x1`, `log(x3)`, `log(abs(x))`, `I(x^2)`.
    ///
    /// Names that R cannot read bare are wrapped in backticks (`` `my var` ``), which is how R's
    /// `deparse` and therefore fixest's coefficient names show them. Operators are spaced as
    /// `deparse` spaces them (`x + 1`, `y > 0`, but `x^2`), with parentheses only where
    /// precedence needs them.
    public var name: String {
        switch self {
        case .variable(let variable):
            return Expression.displayName(of: variable)
        case .function(let function, let argument):
            return "\(function)(\(argument.name))"
        case .number(let value):
            return Expression.numberText(value)
        case .negation(let operand):
            return "-" + operand.operandName(under: Expression.negationPrecedence, rightSide: true)
        case .arithmetic(let operation, let left, let right):
            let leftText = left.operandName(under: operation.precedence, rightSide: operation == .power)
            let rightText = right.operandName(under: operation.precedence, rightSide: operation != .power)
            return operation == .power ? "\(leftText)^\(rightText)" : "\(leftText) \(operation.symbol) \(rightText)"
        case .comparison(let operation, let left, let right):
            let leftText = left.operandName(under: ComparisonOperator.precedence, rightSide: false)
            let rightText = right.operandName(under: ComparisonOperator.precedence, rightSide: true)
            return "\(leftText) \(operation.symbol) \(rightText)"
        case .identity(let inner):
            return "I(\(inner.name))"
        }
    }

    /// The data columns the expression reads.
    public var variables: Set<String> {
        switch self {
        case .variable(let variable):
            return [variable]
        case .function(_, let argument), .negation(let argument), .identity(let argument):
            return argument.variables
        case .number:
            return []
        case .arithmetic(_, let left, let right), .comparison(_, let left, let right):
            return left.variables.union(right.variables)
        }
    }

    /// `name` as R would print it: bare when syntactic, otherwise between backticks.
    public static func displayName(of name: String) -> String {
        isSyntacticName(name) ? name : "`\(name)`"
    }

    /// Whether R accepts `name` without backticks: letters, digits, `.` and `_`, starting with a
    /// letter or with a `.` not followed by a digit, and not a reserved word.
    public static func isSyntacticName(_ name: String) -> Bool {
        guard let first = name.first, !reservedWords.contains(name) else { return false }
        guard first.isLetter || first == "." else { return false }
        if first == ".", let second = name.dropFirst().first, second.isASCIIDigit { return false }
        return name.allSatisfy(\.isNameCharacter)
    }

    /// Words R reserves for its own syntax; as bare names they would not denote a column.
    static let reservedWords: Set<String> = [
        "if", "else", "repeat", "while", "function", "for", "next", "break", "in",
        "TRUE", "FALSE", "NULL", "Inf", "NaN", "NA",
        "NA_integer_", "NA_real_", "NA_character_", "NA_complex_", "...",
    ]
}

extension Character {
    /// Whether the character is one of the ASCII digits `0`–`9`.
    var isASCIIDigit: Bool {
        guard let value = asciiValue else { return false }
        return value >= 48 && value <= 57
    }

    /// Whether the character may continue an R name.
    var isNameCharacter: Bool {
        isLetter || isASCIIDigit || self == "." || self == "_"
    }
}
