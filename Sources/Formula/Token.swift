/// A lexical unit of a formula and the character offset where it starts.
struct Token: Equatable, Sendable {
    /// What the token is.
    enum Kind: Equatable, Sendable {
        /// A name; `quoted` when written between backticks, which exempts it from R's rules.
        case name(String, quoted: Bool)
        /// A numeric literal and its spelling, kept so messages can quote it.
        case number(Double, text: String)
        /// A string literal between `"` or `'`, unescaped.
        case string(String)
        case tilde, plus, minus, star, colon, caret, pipe
        case leftParen, rightParen, comma, equals
        /// `/`, arithmetic inside `I()` (the nesting operator elsewhere, which is not supported).
        case slash
        /// A comparison: `>`, `>=`, `<`, `<=`, `==`, `!=`.
        case comparison(ComparisonOperator)
        /// Row filters' logical operators: `!`, `&` (and `|`, which is `.pipe`).
        case bang, ampersand
        /// R's `%in%`, in row filters.
        case inOperator
        /// The end of the text; always the last token, so the parser can always look at one.
        case end
    }

    var kind: Kind
    var position: Int

    /// The token as quoted in error messages.
    var display: String {
        switch kind {
        case .name(let name, let quoted):
            return quoted ? "'`\(name)`'" : "'\(name)'"
        case .number(_, let text):
            return "'\(text)'"
        case .string(let text):
            return "the string \(ReferenceValue.quoted(text))"
        case .end:
            return "the end of the formula"
        default:
            return "'\(symbol)'"
        }
    }

    /// The spelling of a punctuation token.
    var symbol: String {
        switch kind {
        case .tilde: return "~"
        case .plus: return "+"
        case .minus: return "-"
        case .star: return "*"
        case .colon: return ":"
        case .caret: return "^"
        case .pipe: return "|"
        case .leftParen: return "("
        case .rightParen: return ")"
        case .comma: return ","
        case .equals: return "="
        case .slash: return "/"
        case .comparison(let operation): return operation.symbol
        case .bang: return "!"
        case .ampersand: return "&"
        case .inOperator: return "%in%"
        case .name(let name, _): return name
        case .number(_, let text): return text
        case .string(let text): return ReferenceValue.quoted(text)
        case .end: return ""
        }
    }

    /// The arithmetic operator a punctuation token spells (`+ - * / ^`), or nil.
    var arithmeticOperator: ArithmeticOperator? {
        switch kind {
        case .plus: return .add
        case .minus: return .subtract
        case .star: return .multiply
        case .slash: return .divide
        case .caret: return .power
        default: return nil
        }
    }

    /// The name carried by a name token, whether bare or in backticks.
    var name: String? {
        if case .name(let name, _) = kind { return name }
        return nil
    }

    /// The name carried by a bare (not backticked) name token; only bare names can be keywords
    /// such as `i` or `c`.
    var bareName: String? {
        if case .name(let name, false) = kind { return name }
        return nil
    }
}
