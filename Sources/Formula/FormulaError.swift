/// A syntax error in a formula, located at a character offset of the original text.
///
/// The description repeats the formula with a caret under the fault, for example:
///
///     formula error at position 9: expected a term after '+'
///       y ~ x1 + + x2
///                ^
public struct FormulaError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The formula text as given to the parser.
    public let formula: String
    /// The 0-based offset, in `Character`s, of the fault; equal to the character count when the
    /// formula ends too early.
    public let position: Int
    /// A short, lowercase explanation of what went wrong.
    public let reason: String
    /// What the text is, as the message's first word says: "formula", or "subset" for a row filter.
    public let subject: String

    /// Creates an error for `formula` at `position`, explained by `reason`.
    public init(formula: String, position: Int, reason: String, subject: String = "formula") {
        self.formula = formula
        self.position = position
        self.reason = reason
        self.subject = subject
    }

    /// The reason, the formula and a caret pointing at the fault.
    public var description: String {
        // Line breaks and tabs would break the caret's alignment, so each one is shown as a
        // single space; every other character keeps its one column.
        let line = String(formula.map { $0.isWhitespace ? " " : $0 })
        let indent = String(repeating: " ", count: max(0, position))
        return "\(subject) error at position \(position): \(reason)\n  \(line)\n  \(indent)^"
    }
}
