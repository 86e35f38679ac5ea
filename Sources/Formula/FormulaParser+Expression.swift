/// Parsing of expressions: variables and calls to the known functions.
extension FormulaParser {
    /// Functions fixest users commonly write that this parser does not support, with the
    /// reason shown instead of a bare "unknown function".
    private static let unsupportedFunctions: [String: String] = [
        "I": "I() is not supported",
        "c": "multiple estimation with c() is not supported",
        "sw": "stepwise estimation with sw() is not supported",
        "sw0": "stepwise estimation with sw0() is not supported",
        "csw": "stepwise estimation with csw() is not supported",
        "csw0": "stepwise estimation with csw0() is not supported",
        "mvsw": "stepwise estimation with mvsw() is not supported",
        "factor": "factor() is not supported; use i(f) for factor indicators",
        "as.factor": "as.factor() is not supported; use i(f) for factor indicators",
        "l": "lag operators such as l() are not supported",
        "f": "lead operators such as f() are not supported",
        "d": "difference operators such as d() are not supported",
    ]

    /// The list of accepted functions quoted in messages.
    static var knownFunctionList: String {
        Expression.knownFunctions.map { "\($0)()" }.joined(separator: ", ")
    }

    /// Parses a variable or a known function call such as `log(abs(x))`.
    mutating func parseExpression() throws(FormulaError) -> Expression {
        let token = current
        guard let name = token.name else {
            throw failure(at: token.position, "expected a variable, found \(token.display)")
        }
        guard peek().kind == .leftParen else {
            try checkVariableName(name, quoted: token.bareName == nil, at: token.position)
            advance()
            return .variable(name)
        }
        try checkFunctionName(token)
        advance(2)
        if current.kind == .rightParen {
            throw failure(at: current.position, "\(name)() needs an argument, as in \(name)(x)")
        }
        let argument = try parseExpression()
        switch current.kind {
        case .rightParen:
            advance()
            return .function(name: name, argument: argument)
        case .comma:
            throw failure(at: current.position, "\(name)() takes a single argument")
        case .plus, .minus, .star, .colon, .caret:
            throw failure(
                at: current.position,
                "arithmetic inside \(name)() is not supported: the argument must be a variable or a function call (log1p(x) computes log(1 + x))"
            )
        default:
            throw failure(at: current.position, "expected ')' to close \(name)(, found \(current.display)")
        }
    }

    /// Rejects bare names that R would not read as a column: reserved words and the `.` macro.
    func checkVariableName(_ name: String, quoted: Bool, at position: Int) throws(FormulaError) {
        // Backticks make any name a column name.
        guard !quoted else { return }
        if name == "." {
            throw failure(at: position, "'.' (all other variables) is not supported; list the variables")
        }
        if Expression.reservedWords.contains(name) {
            throw failure(at: position, "'\(name)' is a reserved word in R; write `\(name)` to use it as a column name")
        }
    }

    /// Rejects calls to anything but the known functions, naming the ones accepted.
    private func checkFunctionName(_ token: Token) throws(FormulaError) {
        let name = token.name ?? ""
        if Expression.knownFunctions.contains(name) {
            return
        }
        if name == "i" {
            // Reached only where an indicator cannot stand: the term parser handles `i(` first.
            throw failure(at: token.position, "i() can only be used as a term of the right-hand side, not inside a function")
        }
        let reason = FormulaParser.unsupportedFunctions[name] ?? "unknown function '\(name)'"
        throw failure(
            at: token.position,
            "\(reason); known functions are \(FormulaParser.knownFunctionList) and i() for factor indicators"
        )
    }
}
