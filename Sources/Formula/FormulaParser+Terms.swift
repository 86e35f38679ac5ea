/// Parsing of the right-hand side: sums, `-` removals, `:` and `*` interactions, groups and the
/// intercept markers `0` and `1`.
///
/// Precedence follows R: `:` binds tighter than `*`, which binds tighter than `+` and `-`.
extension FormulaParser {
    /// One item of the top-level sum.
    private enum Item {
        /// `1` (true) or `0` (false).
        case intercept(Bool)
        case terms([Term])
    }

    /// Parses the terms between `~` and `|` (or the end), applying `+` and `-` in order.
    mutating func parseRightHandSide() throws(FormulaError) -> (terms: [Term], hasIntercept: Bool) {
        if current.kind == .end || current.kind == .pipe {
            throw failure(
                at: current.position,
                "empty right-hand side: expected a term after '~' (write 'y ~ 1' for an intercept-only model)"
            )
        }
        var list = TermList()
        // R accepts a leading sign, as in `y ~ -1 + x`.
        var operation: Token?
        if current.kind == .plus || current.kind == .minus {
            operation = current
            advance()
        }
        while true {
            let removing = operation?.kind == .minus
            switch try parseItem(after: operation) {
            case .intercept(let keep):
                // `- 1` drops the intercept and `- 0` restores it.
                list.hasIntercept = removing ? !keep : keep
            case .terms(let terms):
                if removing {
                    list.remove(terms)
                } else {
                    list.add(terms)
                }
            }
            guard current.kind == .plus || current.kind == .minus else { break }
            operation = current
            advance()
        }
        return (list.terms, list.hasIntercept)
    }

    private mutating func parseItem(after operation: Token?) throws(FormulaError) -> Item {
        guard case .number(let value, let text) = current.kind else {
            return .terms(try parseCrossing(after: operation))
        }
        let number = current
        guard value == 0 || value == 1 else {
            throw failure(at: number.position, numberReason(text))
        }
        advance()
        if current.kind == .colon || current.kind == .star {
            throw failure(at: number.position, interceptInInteractionReason(text))
        }
        return .intercept(value == 1)
    }

    /// Parses `a * b * ...`, each `*` expanding to `a + b + a:b`.
    private mutating func parseCrossing(after operation: Token?) throws(FormulaError) -> [Term] {
        var result = try parseInteraction(after: operation)
        while current.kind == .star {
            let star = current
            advance()
            let right = try parseInteraction(after: star)
            let product = try interact(result, right, at: star)
            result = TermList.unique(result + right + product)
            if result.count > FormulaParser.maximumExpansion {
                throw failure(at: star.position, expansionReason)
            }
        }
        return result
    }

    /// Parses `a : b : ...`.
    private mutating func parseInteraction(after operation: Token?) throws(FormulaError) -> [Term] {
        var result = try parsePrimary(after: operation)
        while current.kind == .colon {
            let colon = current
            advance()
            let right = try parsePrimary(after: colon)
            result = try interact(result, right, at: colon)
        }
        return result
    }

    /// Parses a variable, a function call, an `i()` term or a parenthesised sum.
    private mutating func parsePrimary(after operation: Token?) throws(FormulaError) -> [Term] {
        let token = current
        switch token.kind {
        case .name:
            if token.name == "i", peek().kind == .leftParen {
                return [.indicator(try parseIndicator())]
            }
            let expression = try parseExpression()
            noteAppearance(of: expression)
            return [.product([expression])]
        case .leftParen:
            return try parseGroup()
        case .number(let value, let text):
            let reason = value == 0 || value == 1 ? interceptInInteractionReason(text) : numberReason(text)
            throw failure(at: token.position, reason)
        case .string:
            throw failure(at: token.position, "strings are only allowed as ref values of i()")
        default:
            if let operation {
                throw failure(at: token.position, "expected a term after '\(operation.symbol)'")
            }
            throw failure(at: token.position, "expected a term, found \(token.display)")
        }
    }

    /// Parses `( term + term ... )`, usable as one side of `:` or `*`, as in `(a + b):c`.
    private mutating func parseGroup() throws(FormulaError) -> [Term] {
        let open = current
        advance()
        var result = try parseCrossing(after: open)
        while current.kind == .plus {
            let plus = current
            advance()
            result = TermList.unique(result + (try parseCrossing(after: plus)))
        }
        switch current.kind {
        case .rightParen:
            advance()
            return result
        case .minus:
            throw failure(at: current.position, "'-' is not supported inside parentheses; remove terms outside them")
        default:
            throw failure(at: current.position, unexpectedAfterTermsReason(current))
        }
    }

    /// Every product of a term of `left` with a term of `right`, each expression once and in
    /// order of first appearance, without repetitions.
    private func interact(_ left: [Term], _ right: [Term], at operation: Token) throws(FormulaError) -> [Term] {
        // Repeated `*` grows the term count exponentially; refuse before building the product.
        if left.count * right.count > FormulaParser.maximumExpansion {
            throw failure(at: operation.position, expansionReason)
        }
        var result: [Term] = []
        for leftTerm in left {
            for rightTerm in right {
                guard let leftFactors = leftTerm.expressions, let rightFactors = rightTerm.expressions else {
                    throw failure(
                        at: operation.position,
                        "i() cannot be combined with '\(operation.symbol)'; write i(factor, variable) to interact a factor with a variable"
                    )
                }
                var factors: [Expression] = []
                for factor in leftFactors + rightFactors where !factors.contains(factor) {
                    factors.append(factor)
                }
                // Every factor was noted when parsed, so the fallback never applies.
                factors.sort { (appearance[$0] ?? .max) < (appearance[$1] ?? .max) }
                let term = Term.product(factors)
                if !result.contains(term) {
                    result.append(term)
                }
            }
        }
        return result
    }

    /// The most terms one `*` or `:` may produce; far beyond any estimable model, low enough
    /// to keep the quadratic deduplication instant.
    static let maximumExpansion = 1024

    private var expansionReason: String {
        "this interaction expands to more than \(FormulaParser.maximumExpansion) terms"
    }

    private func numberReason(_ text: String) -> String {
        "numbers other than 0 and 1 are not allowed as terms (found '\(text)'; 0 and 1 control the intercept)"
    }

    private func interceptInInteractionReason(_ text: String) -> String {
        "'\(text)' controls the intercept and must stand alone, as in 'y ~ 0 + x'"
    }
}
