/// Parsing of expressions: variables, calls to the known functions and `I()`.
extension FormulaParser {
    /// Functions fixest users commonly write that this parser does not support, with the
    /// reason shown instead of a bare "unknown function".
    private static let unsupportedFunctions: [String: String] = [
        "c": severalModels("c"),
        "sw": severalModels("sw"),
        "sw0": severalModels("sw0"),
        "csw": severalModels("csw"),
        "csw0": severalModels("csw0"),
        "mvsw": "mvsw() is not supported; use sw(), csw(), sw0() or csw0()",
        "factor": "factor() is not supported; use i(f) for factor indicators",
        "as.factor": "as.factor() is not supported; use i(f) for factor indicators",
        "l": "lag operators such as l() are not supported",
        "f": "lead operators such as f() are not supported",
        "d": "difference operators such as d() are not supported",
    ]

    /// Why a stepwise function is refused where only one model can be meant (a --subset, did's
    /// --outcome): said in the user's terms, not the library's.
    private static func severalModels(_ function: String) -> String {
        "\(function)() stands for several models, which only the --formula of feols and fepois expands "
            + "(one model per alternative, as fixest's stepwise functions); here give a single expression"
    }

    /// The list of accepted functions quoted in messages.
    static var knownFunctionList: String {
        Expression.knownFunctions.map { "\($0)()" }.joined(separator: ", ")
    }

    /// Parses a variable, a known function call such as `log(abs(x))` or `log(x + 1)`, or `I()`
    /// around arithmetic and comparisons (`I(x^2)`, `I(y > 0)`).
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
        let isIdentity = token.bareName == "I"
        if !isIdentity { try checkFunctionName(token) }
        advance(2)
        if current.kind == .rightParen {
            let example = isIdentity ? "I(x^2)" : "\(name)(x)"
            throw failure(at: current.position, "\(name)() needs an argument, as in \(example)")
        }
        let argument = try parseValueExpression(in: name)
        switch current.kind {
        case .rightParen:
            advance()
            return isIdentity ? .identity(argument) : .function(name: name, argument: argument)
        case .comma:
            throw failure(at: current.position, "\(name)() takes a single argument")
        case .colon:
            throw failure(at: current.position, "':' inside \(name)() is not supported; write the product as x * z")
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
            "\(reason); known functions are \(FormulaParser.knownFunctionList), I() for arithmetic such as I(x^2), and i() for factor indicators"
        )
    }
}
