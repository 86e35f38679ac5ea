/// A recursive-descent parser over the tokens of one formula.
///
/// Structural problems (unbalanced parentheses, extra `~` or `|`) are checked over the whole
/// token list first, so they are reported as such rather than as a confusing local error.
struct FormulaParser {
    let source: String
    let tokens: [Token]
    /// The current token's index; never past the final `.end` token.
    private(set) var index = 0
    /// Each expression's rank of first appearance. R orders the factors of an interaction this
    /// way, so `y ~ b + a:b` names the interaction `b:a`.
    var appearance: [Expression: Int] = [:]
    /// What the text is, for messages: "formula", or "subset" for a row filter.
    let subject: String
    /// Operators read so far in value expressions; bounded (`maximumOperators`) so that evaluating
    /// and printing the expression trees, which recurse, cannot exhaust the stack.
    var operatorCount = 0

    init(source: String, tokens: [Token], subject: String = "formula") {
        self.source = source
        self.tokens = tokens
        self.subject = subject
    }

    /// Parses `text` into a formula.
    static func parse(_ text: String) throws(FormulaError) -> ModelFormula {
        var parser = FormulaParser(source: text, tokens: try FormulaLexer.tokenize(text))
        return try parser.parseFormula()
    }

    // MARK: Cursor

    /// The token under the cursor.
    var current: Token {
        tokens[index]
    }

    /// The token `offset` places after the cursor, or the final `.end` token.
    func peek(_ offset: Int = 1) -> Token {
        tokens[min(index + offset, tokens.count - 1)]
    }

    /// Moves `count` tokens forward, stopping at the final `.end` token.
    mutating func advance(_ count: Int = 1) {
        index = min(index + count, tokens.count - 1)
    }

    /// Moves the cursor back to `saved`, an index read earlier, to try another reading.
    mutating func rewind(to saved: Int) {
        index = min(max(saved, 0), tokens.count - 1)
    }

    /// Parses `element, element, ...` up to the closing `)`, which it consumes, with the cursor after
    /// the `(`; `call` names the list in the message when something else follows an element.
    mutating func parseCommaSeparated<Element>(
        in call: String, _ element: (inout FormulaParser) throws(FormulaError) -> Element
    ) throws(FormulaError) -> [Element] {
        var elements: [Element] = []
        if current.kind != .rightParen {
            while true {
                elements.append(try element(&self))
                guard current.kind == .comma else { break }
                advance()
            }
        }
        guard current.kind == .rightParen else {
            throw failure(at: current.position, "expected ',' or ')' in \(call), found \(current.display)")
        }
        advance()
        return elements
    }

    /// An error at `position` of this formula.
    func failure(at position: Int, _ reason: String) -> FormulaError {
        FormulaError(formula: source, position: position, reason: reason, subject: subject)
    }

    /// Records `expression` as appearing now unless it appeared earlier.
    mutating func noteAppearance(of expression: Expression) {
        if appearance[expression] == nil {
            appearance[expression] = appearance.count
        }
    }

    // MARK: Formula

    private mutating func parseFormula() throws(FormulaError) -> ModelFormula {
        if current.kind == .end {
            throw failure(at: 0, "empty formula: expected something like 'y ~ x'")
        }
        try checkParentheses()
        try checkSeparators()
        if current.kind == .tilde {
            throw failure(at: current.position, "empty response: expected a variable or function call before '~'")
        }
        let response = try parseResponse()
        noteAppearance(of: response)
        if case .comparison = current.kind {
            throw failure(at: current.position, "a comparison in the response must be inside I(), as in I(y > 0) for an extensive-margin outcome")
        }
        guard current.kind == .tilde else {
            throw failure(
                at: current.position,
                "the response must be a single variable or function call; unexpected \(current.display) before '~'"
            )
        }
        advance()
        let (terms, hasIntercept) = try parseRightHandSide()
        var fixedEffects: [FixedEffect] = []
        if current.kind == .pipe {
            let pipe = current
            advance()
            fixedEffects = try parseFixedEffects(after: pipe)
        }
        guard current.kind == .end else {
            throw failure(at: current.position, unexpectedAfterTermsReason(current))
        }
        try checkOutcomeNotRegressor(response: response, terms: terms)
        return ModelFormula(
            response: response,
            terms: terms,
            hasIntercept: hasIntercept,
            fixedEffects: fixedEffects,
            source: source
        )
    }

    private mutating func parseResponse() throws(FormulaError) -> Expression {
        switch current.kind {
        case .name:
            if current.name == "i", peek().kind == .leftParen {
                throw failure(at: current.position, "i() cannot be the response")
            }
            return try parseExpression()
        case .number:
            throw failure(at: current.position, "the response must be a variable or function call, not a number")
        default:
            throw failure(at: current.position, "expected the response (a variable or function call), found \(current.display)")
        }
    }

    /// Why `token`, found where the right-hand side (or the fixed effects) should have ended,
    /// does not belong there.
    func unexpectedAfterTermsReason(_ token: Token) -> String {
        switch token.kind {
        case .caret:
            return "'^' is only allowed among fixed effects (after '|'), where it combines variables; write I(x^2) for a power"
        case .slash:
            return "the nesting operator '/' is not supported (write I(x / z) to divide)"
        case .comparison(let operation):
            return "a comparison ('\(operation.symbol)') must be inside I(), as in I(x \(operation.symbol) 0)"
        case .inOperator:
            return "'%in%' is only allowed in row filters (--subset)"
        case .name, .number, .string, .leftParen:
            return "unexpected \(token.display): terms must be separated by '+'"
        default:
            return "unexpected \(token.display)"
        }
    }

    /// Refuses a regressor that reads the outcome's column (`y ~ y`, `y ~ log(y)`, `log(y) ~ y`,
    /// `y ~ x:y`): the outcome explains itself by construction, and the fit would report a perfect
    /// coefficient with p = 0. A fixed effect on the outcome's column is left to the estimator,
    /// which reports an outcome fully explained by its fixed effects.
    private func checkOutcomeNotRegressor(response: Expression, terms: [Term]) throws(FormulaError) {
        let outcomeColumns = response.variables
        guard let term = terms.first(where: { !$0.variables.isDisjoint(with: outcomeColumns) }) else { return }
        let column = term.variables.intersection(outcomeColumns).sorted().first ?? response.name
        // Point at the column's first mention after '~' (a name not called as a function).
        let tilde = tokens.firstIndex { $0.kind == .tilde } ?? 0
        var position = tokens[tilde].position
        for offset in (tilde + 1)..<tokens.count where tokens[offset].name == column {
            let isCall = offset + 1 < tokens.count && tokens[offset + 1].kind == .leftParen
            if !isCall {
                position = tokens[offset].position
                break
            }
        }
        let shown = Expression.displayName(of: column)
        throw failure(at: position, "the outcome's column '\(shown)' is also a regressor (in '\(term.name)'): a regression of the outcome on itself, or on a function of it, fits it by construction; remove that term")
    }

    // MARK: Structure checks

    /// The deepest nesting of parentheses accepted; the parser recurses once per level, and a
    /// bound keeps hostile input from exhausting the stack.
    static let maximumNesting = 64

    /// Reports the first `)` without a `(`, the innermost `(` never closed, or a `(` nested
    /// too deeply.
    private func checkParentheses() throws(FormulaError) {
        var open: [Int] = []
        for token in tokens {
            switch token.kind {
            case .leftParen:
                open.append(token.position)
                if open.count > FormulaParser.maximumNesting {
                    throw failure(at: token.position, "parentheses are nested more than \(FormulaParser.maximumNesting) levels deep")
                }
            case .rightParen:
                if open.popLast() == nil {
                    throw failure(at: token.position, "unbalanced parentheses: this ')' has no matching '('")
                }
            default:
                break
            }
        }
        if let unclosed = open.last {
            throw failure(at: unclosed, "unbalanced parentheses: this '(' is never closed")
        }
    }

    /// Requires exactly one `~` and at most one `|`, recognising fixest's unsupported
    /// instrumental-variable part (`| endogenous ~ instruments`).
    private mutating func checkSeparators() throws(FormulaError) {
        let tildes = tokens.filter { $0.kind == .tilde }
        let pipes = tokens.filter { $0.kind == .pipe }
        guard let firstTilde = tildes.first else {
            throw failure(at: missingTildePosition(), "missing '~' between the response and the regressors, as in 'y ~ x'")
        }
        if tildes.count > 1 {
            let secondTilde = tildes[1]
            if let pipe = pipes.last(where: { $0.position > firstTilde.position && $0.position < secondTilde.position }) {
                throw failure(
                    at: pipe.position,
                    "instrumental-variable syntax ('| endogenous ~ instruments') is not supported"
                )
            }
            throw failure(at: secondTilde.position, "a formula has only one '~'")
        }
        if pipes.count > 1 {
            throw failure(
                at: pipes[1].position,
                "more than one '|': only one fixed-effects part is allowed (instrumental-variable syntax is not supported)"
            )
        }
    }

    /// Where a `~` would go: after the leading expression when one parses, else the start.
    private mutating func missingTildePosition() -> Int {
        let saved = index
        defer { index = saved }
        do {
            _ = try parseExpression()
            return current.position
        } catch {
            return 0
        }
    }
}
