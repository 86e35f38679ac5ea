/// Parsing of fixest's `i(factor_var, var, ref)` terms.
///
/// Arguments are matched as R matches them: named ones first, then positional ones fill the
/// remaining parameters in order, so `i(ref = 1, f)` and `i(f, ref = 1)` are the same term.
extension FormulaParser {
    /// The parameters of `i()` this parser understands, in positional order.
    private enum Parameter: String, CaseIterable {
        case factor = "factor_var"
        case variable = "var"
        case reference = "ref"
    }

    /// Parameters of fixest's `i()` that this parser recognises but does not support.
    private static let unsupportedParameters: Set<String> = ["keep", "bin", "ref2", "keep2", "bin2"]

    private static let supportedParameterList = "supported arguments are factor_var, var and ref"

    /// An argument as written, before it is matched to a parameter and checked.
    private struct Argument {
        var name: String?
        var namePosition: Int
        var value: Value
        var position: Int
    }

    /// The syntactic shape of an argument value; which shapes are valid depends on the parameter.
    private enum Value {
        case name(String, quoted: Bool)
        case call(Expression)
        /// A number, signed number or string.
        case literal(ReferenceValue)
        case vector([ReferenceValue])
    }

    /// Parses `i(...)` with the cursor on `i`, which is followed by `(`.
    mutating func parseIndicator() throws(FormulaError) -> Indicator {
        let head = current
        advance(2)
        let arguments = try parseCommaSeparated(in: "i()") { parser throws(FormulaError) in try parser.parseArgument() }
        let assigned = try match(arguments)
        guard let factorArgument = assigned[.factor] else {
            throw failure(at: head.position, "i() needs a factor variable, as in i(f)")
        }
        let factor = try factorName(factorArgument)
        var interaction: Expression?
        if let variableArgument = assigned[.variable] {
            interaction = try interactionExpression(variableArgument)
        }
        var references: [ReferenceValue] = []
        if let referenceArgument = assigned[.reference] {
            references = try referenceValues(referenceArgument)
        }
        return Indicator(factor: factor, interaction: interaction, references: references)
    }

    private mutating func parseArgument() throws(FormulaError) -> Argument {
        var name: String?
        let namePosition = current.position
        if let argumentName = current.name, peek().kind == .equals {
            name = argumentName
            advance(2)
        }
        let position = current.position
        let value = try parseValue(named: name)
        return Argument(name: name, namePosition: namePosition, value: value, position: position)
    }

    private mutating func parseValue(named name: String?) throws(FormulaError) -> Value {
        if let literal = try parseLiteral() { return .literal(literal) }
        let token = current
        switch token.kind {
        case .name(let identifier, let quoted):
            guard peek().kind == .leftParen else {
                advance()
                return .name(identifier, quoted: quoted)
            }
            if identifier == "c" {
                return .vector(try parseVector())
            }
            return .call(try parseExpression())
        case .comma, .rightParen:
            if let name {
                throw failure(at: token.position, "expected a value after '\(name) =' in i()")
            }
            throw failure(at: token.position, "expected an argument in i(), found \(token.display)")
        default:
            throw failure(at: token.position, "unexpected \(token.display) in i()")
        }
    }

    /// Parses the number, signed number or string under the cursor; nil, the cursor unmoved, for
    /// any other token.
    private mutating func parseLiteral() throws(FormulaError) -> ReferenceValue? {
        switch current.kind {
        case .number(let value, _):
            advance()
            return .number(value)
        case .minus, .plus:
            return .number(try parseSignedNumber())
        case .string(let text):
            advance()
            return .text(text)
        default:
            return nil
        }
    }

    /// Parses `-2`, `+1.5`: R writes negative numbers as a minus applied to a literal.
    private mutating func parseSignedNumber() throws(FormulaError) -> Double {
        let sign = current
        guard case .number(let value, _) = peek().kind else {
            throw failure(at: sign.position, "expected a number after '\(sign.symbol)'")
        }
        advance(2)
        return sign.kind == .minus ? -value : value
    }

    /// Parses `c(v1, v2, ...)` of references, with the cursor on `c`.
    private mutating func parseVector() throws(FormulaError) -> [ReferenceValue] {
        let head = current
        advance(2)
        if current.kind == .rightParen {
            throw failure(at: head.position, "c() needs at least one value")
        }
        return try parseCommaSeparated(in: "c()") { parser throws(FormulaError) in try parser.parseScalarReference() }
    }

    private mutating func parseScalarReference() throws(FormulaError) -> ReferenceValue {
        if let literal = try parseLiteral() { return literal }
        let token = current
        guard case .name(let identifier, _) = token.kind, peek().kind != .leftParen else {
            throw failure(at: token.position, "a reference must be a number, a string or a name, found \(token.display)")
        }
        advance()
        return .text(identifier)
    }

    /// Assigns named arguments to their parameters, then positional ones to the rest in order.
    private func match(_ arguments: [Argument]) throws(FormulaError) -> [Parameter: Argument] {
        var assigned: [Parameter: Argument] = [:]
        for argument in arguments {
            guard let name = argument.name else { continue }
            guard let parameter = Parameter(rawValue: name) else {
                let reason = FormulaParser.unsupportedParameters.contains(name)
                    ? "i() argument '\(name)' is not supported"
                    : "unknown argument '\(name)' in i()"
                throw failure(at: argument.namePosition, "\(reason); \(FormulaParser.supportedParameterList)")
            }
            if assigned[parameter] != nil {
                throw failure(at: argument.namePosition, "argument '\(name)' is given more than once in i()")
            }
            assigned[parameter] = argument
        }
        var free = Parameter.allCases.filter { assigned[$0] == nil }.makeIterator()
        for argument in arguments where argument.name == nil {
            guard let parameter = free.next() else {
                throw failure(at: argument.position, "too many arguments in i(); expected i(factor, variable, ref = value)")
            }
            assigned[parameter] = argument
        }
        return assigned
    }

    private func factorName(_ argument: Argument) throws(FormulaError) -> String {
        guard case .name(let name, let quoted) = argument.value else {
            throw failure(at: argument.position, "the factor of i() must be a variable name")
        }
        try checkVariableName(name, quoted: quoted, at: argument.position)
        return name
    }

    private func interactionExpression(_ argument: Argument) throws(FormulaError) -> Expression {
        switch argument.value {
        case .name(let name, let quoted):
            try checkVariableName(name, quoted: quoted, at: argument.position)
            return .variable(name)
        case .call(let expression):
            return expression
        default:
            throw failure(at: argument.position, "the second argument of i() must be a variable or a function call")
        }
    }

    private func referenceValues(_ argument: Argument) throws(FormulaError) -> [ReferenceValue] {
        let values: [ReferenceValue]
        switch argument.value {
        case .literal(let value):
            values = [value]
        case .name(let name, _):
            // fixest matches ref against the levels' labels, so a bare name means that label.
            values = [.text(name)]
        case .vector(let vector):
            values = vector
        case .call:
            throw failure(at: argument.position, "ref must be a number, a string, a name or c(...)")
        }
        var unique: [ReferenceValue] = []
        for value in values where !unique.contains(value) {
            unique.append(value)
        }
        return unique
    }
}
