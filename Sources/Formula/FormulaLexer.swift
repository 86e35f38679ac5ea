/// Splits formula text into tokens, reporting unknown characters and unclosed quotes.
///
/// Positions count `Character`s, so a caret printed under the formula lands on the fault.
struct FormulaLexer {
    private let source: String
    private let characters: [Character]
    private let subject: String
    private var index = 0

    private init(_ source: String, subject: String) {
        self.source = source
        self.characters = Array(source)
        self.subject = subject
    }

    /// The tokens of `text`, always ending with an `.end` token; errors name the text `subject`.
    static func tokenize(_ text: String, subject: String = "formula") throws(FormulaError) -> [Token] {
        var lexer = FormulaLexer(text, subject: subject)
        var tokens: [Token] = []
        while let token = try lexer.nextToken() {
            tokens.append(token)
        }
        tokens.append(Token(kind: .end, position: lexer.characters.count))
        return tokens
    }

    private static let punctuation: [Character: Token.Kind] = [
        "~": .tilde, "+": .plus, "-": .minus, "*": .star, ":": .colon, "^": .caret, "|": .pipe,
        "(": .leftParen, ")": .rightParen, ",": .comma, "/": .slash, "&": .ampersand,
    ]

    /// Operators of one or two characters: `=` and `==`, `!` and `!=`, `<` and `<=`, `>` and `>=`.
    private static let pairedOperators: [Character: (single: Token.Kind, withEquals: Token.Kind)] = [
        "=": (.equals, .comparison(.equal)),
        "!": (.bang, .comparison(.notEqual)),
        "<": (.comparison(.less), .comparison(.lessOrEqual)),
        ">": (.comparison(.greater), .comparison(.greaterOrEqual)),
    ]

    private func character(at offset: Int) -> Character? {
        offset < characters.count ? characters[offset] : nil
    }

    private func failure(at position: Int, _ reason: String) -> FormulaError {
        FormulaError(formula: source, position: position, reason: reason, subject: subject)
    }

    private mutating func nextToken() throws(FormulaError) -> Token? {
        while let character = character(at: index), character.isWhitespace {
            index += 1
        }
        guard let first = character(at: index) else { return nil }
        let start = index
        if let kind = FormulaLexer.punctuation[first] {
            index += 1
            return Token(kind: kind, position: start)
        }
        if let kinds = FormulaLexer.pairedOperators[first] {
            let paired = character(at: index + 1) == "="
            index += paired ? 2 : 1
            return Token(kind: paired ? kinds.withEquals : kinds.single, position: start)
        }
        if first == "%" {
            return try percentOperator()
        }
        if first == "`" {
            return try backtickName()
        }
        if first == "\"" || first == "'" {
            return try stringLiteral(quote: first)
        }
        // R reads `.5` as a number but `.x` as a name.
        if first.isASCIIDigit || (first == "." && character(at: index + 1)?.isASCIIDigit == true) {
            return try number()
        }
        if first.isLetter || first == "." {
            while let character = character(at: index), character.isNameCharacter {
                index += 1
            }
            return Token(kind: .name(String(characters[start..<index]), quoted: false), position: start)
        }
        throw failure(at: start, FormulaLexer.strayReason(first))
    }

    /// Why `character` cannot start a token, with a hint for the fixest syntax it suggests.
    private static func strayReason(_ character: Character) -> String {
        switch character {
        case "_":
            return "a name cannot start with '_'; put such names between backticks, like `_x`"
        case "[", "]":
            return "varying slopes such as 'fe[x]' are not supported"
        default:
            return "unexpected character '\(character)'"
        }
    }

    /// `%in%`, the one `%...%` operator accepted (in row filters).
    private mutating func percentOperator() throws(FormulaError) -> Token {
        let start = index
        guard let close = characters[(index + 1)...].firstIndex(of: "%") else {
            throw failure(at: start, "unexpected character '%' (the one operator of that form is %in%, in --subset)")
        }
        let text = String(characters[start...close])
        guard text == "%in%" else {
            throw failure(at: start, "the operator '\(text)' is not supported (the one operator of that form is %in%, in --subset)")
        }
        index = close + 1
        return Token(kind: .inOperator, position: start)
    }

    private mutating func backtickName() throws(FormulaError) -> Token {
        let start = index
        index += 1
        guard let close = characters[index...].firstIndex(of: "`") else {
            throw failure(at: start, "unbalanced backticks: the '`' at position \(start) is never closed")
        }
        let name = String(characters[index..<close])
        index = close + 1
        if name.isEmpty {
            throw failure(at: start, "empty name between backticks")
        }
        return Token(kind: .name(name, quoted: true), position: start)
    }

    private mutating func stringLiteral(quote: Character) throws(FormulaError) -> Token {
        let start = index
        index += 1
        var text = ""
        while let character = character(at: index) {
            index += 1
            if character == quote {
                return Token(kind: .string(text), position: start)
            }
            guard character == "\\", let escaped = self.character(at: index) else {
                text.append(character)
                continue
            }
            index += 1
            switch escaped {
            case "n": text.append("\n")
            case "t": text.append("\t")
            default: text.append(escaped)  // `\"`, `\'`, `\\` and anything else stand for themselves
            }
        }
        throw failure(at: start, "unterminated string: the \(quote) at position \(start) is never closed")
    }

    private mutating func number() throws(FormulaError) -> Token {
        let start = index
        skipDigits()
        if character(at: index) == "." {
            index += 1
            skipDigits()
        }
        if let marker = character(at: index), marker == "e" || marker == "E" {
            // Only an exponent when digits follow; otherwise `e` starts the next token.
            var next = index + 1
            if let sign = character(at: next), sign == "+" || sign == "-" {
                next += 1
            }
            if character(at: next)?.isASCIIDigit == true {
                index = next
                skipDigits()
            }
        }
        let text = String(characters[start..<index])
        // R's integer suffix (`2014L`) changes the type, not the value.
        if character(at: index) == "L", character(at: index + 1)?.isNameCharacter != true {
            index += 1
        }
        guard let value = Double(text) else {
            throw failure(at: start, "malformed number '\(text)'")
        }
        return Token(kind: .number(value, text: text), position: start)
    }

    private mutating func skipDigits() {
        while let character = character(at: index), character.isASCIIDigit {
            index += 1
        }
    }
}
