/// One use of fixest's multiple-estimation syntax in a formula's text: `c(y1, y2)` before `~`,
/// or `sw()`, `csw()`, `sw0()`, `csw0()` among the regressors or the fixed effects.
///
/// Found on the tokens, before any parsing, so that each expanded formula is parsed (and its
/// errors reported) by the ordinary parser.
struct StepwiseCall: Equatable, Sendable {
    /// The function used.
    enum Kind: String, Sendable {
        /// `c(y1, y2)`: one model per outcome (left-hand side only).
        case combine = "c"
        /// `sw(a, b)`: one model with `a`, one with `b`.
        case stepwise = "sw"
        /// `csw(a, b)`: one model with `a`, one with `a + b`.
        case cumulative = "csw"
        /// `sw0(a, b)`: as `sw`, after a model without either.
        case stepwiseWithEmpty = "sw0"
        /// `csw0(a, b)`: as `csw`, after a model without either.
        case cumulativeWithEmpty = "csw0"
    }

    /// The part of the formula holding the call.
    enum Part: Int, Comparable, Sendable {
        case outcome, regressors, fixedEffects

        static func < (lhs: Part, rhs: Part) -> Bool { lhs.rawValue < rhs.rawValue }

        /// The part as named in messages.
        var phrase: String {
            switch self {
            case .outcome: return "the outcome (before '~')"
            case .regressors: return "the regressors"
            case .fixedEffects: return "the fixed effects (after '|')"
            }
        }
    }

    let kind: Kind
    let part: Part
    /// Character offset of the function's name.
    let start: Int
    /// Character offset just past the closing parenthesis.
    let end: Int
    /// The arguments' text, trimmed, in the order written.
    let arguments: [String]
    /// Character offset of a `+` right before the call, if any; removing an empty alternative
    /// removes it too.
    let plusBefore: Int?
    /// Character offset of the token after a `+` right after the call, if any.
    let afterPlusAfter: Int?
    /// Character offset of the `|` opening the fixed-effects part, for a call among them.
    let pipe: Int?

    /// The alternatives the call stands for, in fixest's order; `nil` is the model without it.
    var alternatives: [String?] {
        switch kind {
        case .combine, .stepwise:
            return arguments
        case .cumulative:
            return arguments.indices.map { arguments[...$0].joined(separator: " + ") }
        case .stepwiseWithEmpty:
            return [nil] + arguments
        case .cumulativeWithEmpty:
            return [nil] + arguments.indices.map { arguments[...$0].joined(separator: " + ") }
        }
    }
}

extension StepwiseCall {
    /// Names that would be stepwise functions of fixest but are not supported here.
    private static let unsupported: Set<String> = ["mvsw"]

    /// Finds the multiple-estimation calls in `tokens`, refusing a call nested in parentheses or
    /// in `i()`, more than one per part, a call that is not a whole term, and `c()` after `~`.
    static func find(in tokens: [Token], source: String) throws(FormulaError) -> [StepwiseCall] {
        let characters = Array(source)
        func failure(_ position: Int, _ reason: String) -> FormulaError {
            FormulaError(formula: source, position: position, reason: reason)
        }
        var calls: [StepwiseCall] = []
        var depth = 0
        // The names of the calls enclosing the cursor (nil for a bare parenthesis), innermost last.
        var enclosing: [String?] = []
        var tilde: Int?
        var pipe: Int?
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            switch token.kind {
            case .leftParen:
                let previous = index > 0 ? tokens[index - 1].bareName : nil
                enclosing.append(previous)
                depth += 1
            case .rightParen:
                _ = enclosing.popLast()
                depth = max(0, depth - 1)
            case .tilde where depth == 0:
                tilde = tilde ?? index
            case .pipe where depth == 0:
                pipe = pipe ?? index
            default:
                break
            }
            guard let name = token.bareName, index + 1 < tokens.count, tokens[index + 1].kind == .leftParen else {
                index += 1
                continue
            }
            if unsupported.contains(name) {
                throw failure(token.position, "\(name)() is not supported; use sw(), csw(), sw0() or csw0()")
            }
            guard let kind = Kind(rawValue: name) else {
                index += 1
                continue
            }
            // `c()` is ordinary R inside a call, as in `i(f, ref = c(1, 2))`.
            if kind == .combine && (depth > 0 || tilde != nil) {
                if tilde == nil {
                    throw failure(token.position, "c() must be the whole outcome, as in c(y1, y2) ~ x")
                }
                if depth == 0 {
                    throw failure(token.position, "c() lists outcomes and belongs before '~', as in c(y1, y2) ~ x; use sw() or csw() to step through regressors")
                }
                index += 1
                continue
            }
            if depth > 0 {
                let inside = enclosing.last(where: { $0 != nil }) ?? nil
                let context = inside == "i" ? "inside i()" : inside.map { "inside \($0)()" } ?? "inside parentheses"
                throw failure(token.position, "\(name)() cannot be used \(context): it must be a whole term of the formula, as in y ~ x1 + \(name)(x2, x3)")
            }
            let part: Part = tilde == nil ? .outcome : (pipe == nil ? .regressors : .fixedEffects)
            if let earlier = calls.first(where: { $0.part == part }) {
                throw failure(token.position, "only one multiple-estimation function per part of the formula: \(part.phrase) already use \(earlier.kind.rawValue)()")
            }
            let call = try parseCall(kind: kind, part: part, at: index, tokens: tokens, characters: characters, pipe: pipe.map { tokens[$0].position }, failure: failure)
            calls.append(call.call)
            index = call.next
        }
        return calls
    }

    /// Reads the call whose name is at `index`, checking that it stands as a whole term.
    private static func parseCall(
        kind: Kind, part: Part, at index: Int, tokens: [Token], characters: [Character], pipe: Int?,
        failure: (Int, String) -> FormulaError
    ) throws(FormulaError) -> (call: StepwiseCall, next: Int) {
        let name = tokens[index]
        var arguments: [String] = []
        var depth = 0
        var argumentStart = index + 2
        var cursor = index + 1
        var closing: Int?
        scan: while cursor < tokens.count {
            switch tokens[cursor].kind {
            case .leftParen:
                depth += 1
            case .rightParen:
                depth -= 1
                if depth == 0 {
                    closing = cursor
                    break scan
                }
            case .comma where depth == 1:
                arguments.append(try argumentText(from: argumentStart, to: cursor, tokens: tokens, characters: characters, name: name, failure: failure))
                argumentStart = cursor + 1
            case .tilde, .pipe:
                throw failure(tokens[cursor].position, "\(kind.rawValue)() is never closed before \(tokens[cursor].display)")
            case .end:
                throw failure(name.position, "unbalanced parentheses: the '(' of \(kind.rawValue)() is never closed")
            default:
                break
            }
            cursor += 1
        }
        guard let closing else {
            throw failure(name.position, "unbalanced parentheses: the '(' of \(kind.rawValue)() is never closed")
        }
        arguments.append(try argumentText(from: argumentStart, to: closing, tokens: tokens, characters: characters, name: name, failure: failure))
        let before = index > 0 ? tokens[index - 1].kind : nil
        let after = tokens[closing + 1].kind
        switch part {
        case .outcome:
            guard index == 0, after == .tilde else {
                throw failure(name.position, "\(kind.rawValue)() must be the whole outcome, as in \(kind.rawValue)(y1, y2) ~ x")
            }
            if kind != .combine && kind != .stepwise {
                throw failure(name.position, "the outcome can vary with c() or sw(), not \(kind.rawValue)()")
            }
        case .regressors, .fixedEffects:
            let separator: Token.Kind = part == .regressors ? .tilde : .pipe
            let standsAlone = (before == separator || before == .plus)
                && (after == .plus || after == .end || (part == .regressors && after == .pipe))
            guard standsAlone else {
                throw failure(name.position, "\(kind.rawValue)() must be added as a whole term, as in y ~ x1 + \(kind.rawValue)(x2, x3); it cannot be interacted, removed or transformed")
            }
        }
        let call = StepwiseCall(
            kind: kind, part: part, start: name.position, end: tokens[closing].position + 1, arguments: arguments,
            plusBefore: before == .plus ? tokens[index - 1].position : nil,
            afterPlusAfter: after == .plus ? tokens[closing + 2].position : nil,
            pipe: part == .fixedEffects ? pipe : nil)
        return (call, closing + 1)
    }

    /// The text of the argument between token `from` and the separator at token `to`.
    private static func argumentText(
        from: Int, to: Int, tokens: [Token], characters: [Character], name: Token, failure: (Int, String) -> FormulaError
    ) throws(FormulaError) -> String {
        guard from < to else {
            throw failure(tokens[to].position, "empty argument in \(name.symbol)(): each argument is a variable or a sum of terms")
        }
        if tokens[from].name != nil, tokens[from + 1].kind == .equals {
            throw failure(tokens[from].position, "\(name.symbol)() takes no named arguments")
        }
        let text = String(characters[tokens[from].position..<tokens[to].position])
        return text.trimmingWhitespace()
    }
}

extension String {
    /// The text without leading and trailing whitespace (Foundation-free, as the module is).
    func trimmingWhitespace() -> String {
        let characters = Array(self)
        guard let first = characters.firstIndex(where: { !$0.isWhitespace }),
              let last = characters.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(characters[first...last])
    }
}
