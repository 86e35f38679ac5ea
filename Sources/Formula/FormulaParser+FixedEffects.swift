/// Parsing of the fixed-effects part after `|`: `fe1 + fe2 + fe1^fe2`.
extension FormulaParser {
    private static let fixedEffectShape = "a fixed effect must be a variable or variables combined with '^', like fe1^fe2"

    /// Parses the fixed effects with the cursor just after `pipe`; repeated ones are kept once.
    mutating func parseFixedEffects(after pipe: Token) throws(FormulaError) -> [FixedEffect] {
        var result: [FixedEffect] = []
        var separator = pipe
        while true {
            let fixedEffect = try parseFixedEffect(after: separator)
            if !result.contains(fixedEffect) {
                result.append(fixedEffect)
            }
            guard current.kind == .plus else { break }
            separator = current
            advance()
        }
        switch current.kind {
        case .end:
            return result
        case .colon, .star:
            throw failure(at: current.position, "use '^' to combine fixed effects, as in fe1^fe2, not '\(current.symbol)'")
        case .minus:
            throw failure(at: current.position, "'-' is not supported among fixed effects")
        case .name, .number, .string, .leftParen:
            throw failure(at: current.position, "unexpected \(current.display): fixed effects must be separated by '+'")
        default:
            throw failure(at: current.position, "unexpected \(current.display) among fixed effects")
        }
    }

    /// Parses `a` or `a^b^...`.
    private mutating func parseFixedEffect(after separator: Token) throws(FormulaError) -> FixedEffect {
        var variables = [try parseFixedEffectVariable(after: separator)]
        while current.kind == .caret {
            let caret = current
            advance()
            let position = current.position
            let variable = try parseFixedEffectVariable(after: caret)
            if variables.contains(variable) {
                throw failure(at: position, "'\(variable)' appears twice in the same combined fixed effect")
            }
            variables.append(variable)
        }
        return FixedEffect(variables: variables)
    }

    private mutating func parseFixedEffectVariable(after separator: Token) throws(FormulaError) -> String {
        let token = current
        switch token.kind {
        case .name(let name, let quoted):
            if peek().kind == .leftParen {
                if name == "i" {
                    throw failure(at: token.position, "i() cannot be used among fixed effects; combine variables with '^', as in fe1^fe2")
                }
                throw failure(at: token.position, "\(FormulaParser.fixedEffectShape); function calls are not supported")
            }
            try checkVariableName(name, quoted: quoted, at: token.position)
            advance()
            return name
        case .number, .string, .leftParen:
            throw failure(at: token.position, "\(FormulaParser.fixedEffectShape); found \(token.display)")
        default:
            let expected = separator.kind == .caret ? "a variable" : "a fixed effect"
            throw failure(at: token.position, "expected \(expected) after '\(separator.symbol)'")
        }
    }
}
