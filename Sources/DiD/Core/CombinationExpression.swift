import Estimation

/// A `--combine` expression parsed once, when the command line is read: a weighted sum of
/// estimate labels, `a*label + b*label - label`, optionally written `(…)/k` for an average.
///
/// Why a type: a malformed expression is a usage error found before the data are read (the CLI
/// parses it with the other options); whether its labels exist depends on what the estimators
/// found, so that is checked afterwards, in `StaggeredResult.combine(_:)`.
public struct CombinationExpression: Sendable, Equatable {
    /// One label and its weight (the divisor already applied).
    public struct Term: Sendable, Equatable {
        public let label: String
        public let weight: Double
    }

    /// The expression as the user wrote it; results are named by it.
    public let text: String
    /// Its labels in the order written, with their weights.
    public let terms: [Term]

    /// Why an expression is malformed (the CLI shows `reason` after the option's name; the
    /// library's message is `message`).
    public struct SyntaxError: Error, Sendable {
        public let expression: String
        public let reason: String
        public var message: String { "--combine '\(expression)': \(reason)" }
    }

    /// Parses `text`, throwing with the reason and an example when it is malformed.
    public init(parsing text: String) throws(SyntaxError) {
        var body = text.trimmingCharacters(in: .whitespaces)
        var divisor = 1.0
        if body.hasPrefix("("), let close = body.lastIndex(of: ")") {
            let rest = body[body.index(after: close)...].trimmingCharacters(in: .whitespaces)
            if rest.hasPrefix("/"), let value = Double(rest.dropFirst().trimmingCharacters(in: .whitespaces)), value != 0 {
                divisor = value
                body = String(body[body.index(after: body.startIndex)..<close])
            } else if rest.isEmpty {
                body = String(body[body.index(after: body.startIndex)..<close])
            } else {
                throw SyntaxError(expression: text, reason: "after ')' only '/ number' may follow")
            }
        }
        let parsed: LinearRestriction
        do { parsed = try LinearRestriction(parsing: body) } catch {
            throw SyntaxError(expression: text, reason: "write a sum of labels such as 'e0 + e1 + e2' or '(e0 + e1 + e2)/3'")
        }
        guard parsed.value == 0 else { throw SyntaxError(expression: text, reason: "give an expression, not an equation") }
        if parsed.weights.contains(where: { $0.term.contains("(") || $0.term.contains(")") }) {
            throw SyntaxError(expression: text, reason: "unbalanced parentheses; write '(e0 + e1 + e2)/3'")
        }
        self.text = text
        self.terms = parsed.weights.map { Term(label: $0.term, weight: $0.weight / divisor) }
    }
}
