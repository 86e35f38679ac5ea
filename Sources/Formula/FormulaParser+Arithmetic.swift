/// Parsing of value expressions, the arguments of functions and `I()`: arithmetic, comparisons,
/// numbers and parentheses, with R's precedence (`^` over unary minus over `*` `/` over `+` `-`
/// over comparisons).
extension FormulaParser {
    /// The most operators one text may hold; far beyond what a person writes, and low enough for
    /// the recursive evaluation and printing of the trees.
    static let maximumOperators = 1_000

    /// Parses an expression that may compare two sums: `x^2`, `y > 0`, `log(x + 1)`.
    /// `context` names the enclosing call for messages (`I`, `log`), or is empty.
    mutating func parseValueExpression(in context: String) throws(FormulaError) -> Expression {
        let left = try parseSum(in: context)
        guard case .comparison(let operation) = current.kind else { return left }
        let comparison = current
        try countOperator(at: comparison)
        advance()
        let right = try parseSum(in: context)
        if case .comparison = current.kind {
            throw failure(at: current.position, "comparisons cannot be chained (R reads a < b < c as (a < b) < c); compare one pair at a time")
        }
        return .comparison(operation, left, right)
    }

    /// Parses `a + b - c`, left to right, each operand a product.
    mutating func parseSum(in context: String) throws(FormulaError) -> Expression {
        try parseLeftAssociative(precedence: ArithmeticOperator.add.precedence, in: context)
    }

    /// Parses a left-to-right chain of the binary operators that bind with `precedence`: `+ -`,
    /// whose operands are chains of `* /`, whose operands are signed powers. The levels are
    /// `ArithmeticOperator.precedence`'s, so R's binding order is written once.
    private mutating func parseLeftAssociative(precedence: Int, in context: String) throws(FormulaError) -> Expression {
        var result = try parseOperand(tighterThan: precedence, in: context)
        while let operation = current.arithmeticOperator, operation.precedence == precedence {
            try countOperator(at: current)
            advance()
            result = .arithmetic(operation, result, try parseOperand(tighterThan: precedence, in: context))
        }
        return result
    }

    /// An operand of a chain at `precedence`: a product inside a sum, a signed power inside a product.
    private mutating func parseOperand(tighterThan precedence: Int, in context: String) throws(FormulaError) -> Expression {
        let product = ArithmeticOperator.multiply.precedence
        return precedence < product
            ? try parseLeftAssociative(precedence: product, in: context)
            : try parseSigned(in: context)
    }

    /// Parses a power with any leading signs: `-x^2` is `-(x^2)`, and `+x` is `x`.
    private mutating func parseSigned(in context: String) throws(FormulaError) -> Expression {
        var negations = 0
        while current.kind == .minus || current.kind == .plus {
            try countOperator(at: current)
            if current.kind == .minus { negations += 1 }
            advance()
        }
        var result = try parsePower(in: context)
        // `-2` stays a negation of the literal, so that printing and parsing again give the same tree.
        for _ in 0..<negations { result = .negation(result) }
        return result
    }

    /// Parses `a ^ b`, which associates to the right (`2^3^2` is `2^9`) and takes a signed exponent.
    private mutating func parsePower(in context: String) throws(FormulaError) -> Expression {
        let base = try parseOperand(in: context)
        guard current.kind == .caret else { return base }
        try countOperator(at: current)
        advance()
        return .arithmetic(.power, base, try parseSigned(in: context))
    }

    /// Parses a number, a variable, a call, or a parenthesised value expression.
    private mutating func parseOperand(in context: String) throws(FormulaError) -> Expression {
        let token = current
        switch token.kind {
        case .number(let value, _):
            advance()
            return .number(value)
        case .name:
            if token.bareName == "i", peek().kind == .leftParen {
                throw failure(at: token.position, "i() can only be used as a term of the right-hand side, not inside a function")
            }
            return try parseExpression()
        case .leftParen:
            advance()
            let inner = try parseValueExpression(in: context)
            guard current.kind == .rightParen else {
                throw failure(at: current.position, "expected ')' to close the '(' at position \(token.position), found \(current.display)")
            }
            advance()
            return inner
        case .string(let text):
            throw failure(at: token.position, "text (\(ReferenceValue.quoted(text))) cannot be used in arithmetic")
        case .end, .rightParen, .comma:
            let found = token.kind == .end && subject != "formula" ? "the end of the \(subject)" : token.display
            throw failure(at: token.position, "expected a value\(context.isEmpty ? "" : " in \(context)()"), found \(found)")
        default:
            throw failure(at: token.position, "unexpected \(token.display)\(context.isEmpty ? "" : " in \(context)()")")
        }
    }

    /// Counts one operator, refusing texts with more than `maximumOperators`.
    mutating func countOperator(at token: Token) throws(FormulaError) {
        operatorCount += 1
        if operatorCount > FormulaParser.maximumOperators {
            throw failure(at: token.position, "more than \(FormulaParser.maximumOperators) operators: the expression is too long")
        }
    }
}
