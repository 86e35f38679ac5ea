/// Parsing of row filters (`--subset`): conditions joined by `|`, `&` and `!` over comparisons of
/// formula expressions and quoted texts, `%in% c(...)` and `is.na()`.
extension FormulaParser {
    /// Parses `text` as a row filter; errors read "subset error at position N".
    static func parseFilter(_ text: String) throws(FormulaError) -> RowFilter {
        let subject = "subset"
        var parser = FormulaParser(source: text, tokens: try FormulaLexer.tokenize(text, subject: subject), subject: subject)
        if parser.current.kind == .end {
            throw parser.failure(at: 0, "empty filter: expected a condition such as 'year >= 2005'")
        }
        try parser.checkFilterParentheses()
        let condition = try parser.parseDisjunction()
        guard parser.current.kind == .end else {
            throw parser.failure(at: parser.current.position, parser.unexpectedInFilterReason(parser.current))
        }
        return RowFilter(condition: condition, source: text)
    }

    /// Parses `a | b | ...`.
    private mutating func parseDisjunction() throws(FormulaError) -> RowFilterCondition {
        try parseLogicalChain(of: .pipe, combine: RowFilterCondition.or) { parser throws(FormulaError) in
            try parser.parseConjunction()
        }
    }

    /// Parses `a & b & ...`.
    private mutating func parseConjunction() throws(FormulaError) -> RowFilterCondition {
        try parseLogicalChain(of: .ampersand, combine: RowFilterCondition.and) { parser throws(FormulaError) in
            try parser.parseNegation()
        }
    }

    /// Parses `operand op operand op ...` for the row-wise `|` or `&`, left to right. R's doubled
    /// operators (`||`, `&&`) compare single values, so they are refused with the row-wise spelling.
    private mutating func parseLogicalChain(
        of operation: Token.Kind,
        combine: (RowFilterCondition, RowFilterCondition) -> RowFilterCondition,
        operand: (inout FormulaParser) throws(FormulaError) -> RowFilterCondition
    ) throws(FormulaError) -> RowFilterCondition {
        var result = try operand(&self)
        while current.kind == operation {
            let symbol = current.symbol
            try countOperator(at: current)
            advance()
            if current.kind == operation {
                throw failure(at: current.position, "'\(symbol)\(symbol)' compares single values in R; use a single '\(symbol)' to combine conditions row by row")
            }
            result = combine(result, try operand(&self))
        }
        return result
    }

    /// Parses `!condition` or a single condition.
    private mutating func parseNegation() throws(FormulaError) -> RowFilterCondition {
        if current.kind == .bang {
            try countOperator(at: current)
            advance()
            return .not(try parseNegation())
        }
        return try parseRelation()
    }

    /// Parses a comparison, `%in%`, `is.na()` or a parenthesised condition.
    private mutating func parseRelation() throws(FormulaError) -> RowFilterCondition {
        if current.kind == .leftParen {
            // `(` opens either a condition, `(a | b) & c`, or a value, `(x + 1) > 2`: try the
            // condition first and fall back to the value, reporting the error that got further.
            let start = index, savedCount = operatorCount
            do {
                advance()
                let inner = try parseDisjunction()
                if current.kind == .rightParen {
                    advance()
                    if !continuesValue(current.kind) { return inner }
                }
            } catch {
                rewind(to: start)
                operatorCount = savedCount
                do {
                    return try parseComparison()
                } catch let second {
                    throw second.position >= error.position ? second : error
                }
            }
            rewind(to: start)
            operatorCount = savedCount
        }
        if current.bareName == "is.na", peek().kind == .leftParen {
            let call = current
            advance(2)
            let operand = try parseFilterOperand()
            guard current.kind == .rightParen else {
                throw failure(at: current.position, "expected ')' to close is.na( at position \(call.position), found \(shown(current))")
            }
            advance()
            return .isMissing(operand)
        }
        return try parseComparison()
    }

    /// Whether a token after `(...)` shows the parentheses held a value, not a condition.
    private func continuesValue(_ kind: Token.Kind) -> Bool {
        switch kind {
        case .comparison, .inOperator, .plus, .minus, .star, .slash, .caret: return true
        default: return false
        }
    }

    /// Parses `value op value` or `value %in% c(...)`.
    private mutating func parseComparison() throws(FormulaError) -> RowFilterCondition {
        let left = try parseFilterOperand()
        switch current.kind {
        case .comparison(let operation):
            try countOperator(at: current)
            advance()
            let right = try parseFilterOperand()
            if case .comparison = current.kind {
                throw failure(at: current.position, "comparisons cannot be chained; join them with '&', as in 'a < b & b < c'")
            }
            return .comparison(operation, left, right)
        case .inOperator:
            let operatorToken = current
            advance()
            return .membership(left, try parseMembershipList(after: operatorToken))
        case .equals:
            throw failure(at: current.position, "'=' assigns in R; write '==' to compare")
        default:
            let value = left.description
            throw failure(at: current.position, "expected a comparison after '\(value)' (such as \(value) == 1, \(value) > 0 or \(value) %in% c(...)), found \(shown(current))")
        }
    }

    /// Parses a quoted text or a formula expression.
    private mutating func parseFilterOperand() throws(FormulaError) -> RowFilterCondition.Operand {
        if case .string(let text) = current.kind {
            advance()
            return .text(text)
        }
        switch current.kind {
        case .name, .number, .leftParen, .minus, .plus:
            return .expression(try parseSum(in: ""))
        default:
            throw failure(at: current.position, "expected a column, a number or a quoted text, found \(shown(current))")
        }
    }

    /// Parses `c(v1, v2, ...)` after `%in%`: numbers (with a sign) or quoted texts, not both.
    private mutating func parseMembershipList(after operatorToken: Token) throws(FormulaError) -> [ReferenceValue] {
        guard current.bareName == "c", peek().kind == .leftParen else {
            if case .string(let text) = current.kind {
                advance()
                return [.text(text)]
            }
            if case .number(let value, _) = current.kind {
                advance()
                return [.number(value)]
            }
            throw failure(at: current.position, "expected a list after %in%, as in c('small', 'medium') or c(2004, 2006)")
        }
        let open = peek()
        advance(2)
        var values = [ReferenceValue]()
        var firstKind: (isText: Bool, position: Int)? = nil
        while current.kind != .rightParen {
            let token = current
            var sign = 1.0
            if current.kind == .minus || current.kind == .plus {
                sign = current.kind == .minus ? -1 : 1
                advance()
            }
            let value: ReferenceValue
            switch current.kind {
            case .number(let number, _): value = .number(sign * number)
            case .string(let text) where token.position == current.position: value = .text(text)  // no sign before a text
            default:
                throw failure(at: current.position, "c() after %in% takes numbers or quoted texts, found \(shown(current))")
            }
            let isText: Bool = { if case .text = value { return true }; return false }()
            if let firstKind, firstKind.isText != isText {
                throw failure(at: token.position, "c() mixes texts and numbers: give texts for a text column ('small') and numbers for a numeric one (2004), not both")
            }
            if firstKind == nil { firstKind = (isText, token.position) }
            values.append(value)
            advance()
            guard current.kind == .comma else { break }
            advance()
        }
        guard current.kind == .rightParen else {
            throw failure(at: current.position, "expected ',' or ')' in the c( at position \(open.position), found \(shown(current))")
        }
        if values.isEmpty {
            throw failure(at: current.position, "c() after %in% needs at least one value")
        }
        advance()
        return values
    }

    /// `token` as quoted in a filter's messages, where "the end of the formula" would mislead.
    func shown(_ token: Token) -> String {
        token.kind == .end ? "the end of the filter" : token.display
    }

    /// Why `token`, found where the filter should have ended, does not belong there.
    private func unexpectedInFilterReason(_ token: Token) -> String {
        switch token.kind {
        case .rightParen: return "unbalanced parentheses: this ')' has no matching '('"
        case .tilde: return "a filter is a condition, not a formula"
        case .comma: return "conditions are joined with '&' or '|', not ','"
        default: return "unexpected \(shown(token)): join conditions with '&' or '|'"
        }
    }

    /// Reports unbalanced or too deeply nested parentheses before anything else.
    private func checkFilterParentheses() throws(FormulaError) {
        var open: [Int] = []
        for token in tokens {
            if token.kind == .leftParen {
                open.append(token.position)
                if open.count > FormulaParser.maximumNesting {
                    throw failure(at: token.position, "parentheses are nested more than \(FormulaParser.maximumNesting) levels deep")
                }
            } else if token.kind == .rightParen, open.popLast() == nil {
                throw failure(at: token.position, "unbalanced parentheses: this ')' has no matching '('")
            }
        }
        if let unclosed = open.last {
            throw failure(at: unclosed, "unbalanced parentheses: this '(' is never closed")
        }
    }
}
