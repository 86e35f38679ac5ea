/// A failure to read a CSV input, with the line it concerns and a one-line message for users.
///
/// The Stata, SPSS, gzip and Arrow readers report through it too (`DataReader`), so callers
/// handle one error type whatever the format: a missing column is `missingColumns` everywhere.
public struct CSVError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public enum Kind: Sendable {
        /// The path does not exist.
        case fileNotFound
        /// The input exists but could not be opened or read (permissions, a directory, I/O error).
        case unreadable
        /// The input has no header row: zero bytes, or only whitespace and line breaks.
        case empty
        /// A data line has more or fewer fields than the header.
        case raggedRow
        /// A quoted field is still open at the end of the input.
        case unterminatedQuote
        /// Two header columns have the same name.
        case duplicateColumn
        /// `keepColumns` names columns the header lacks.
        case missingColumns
        /// A binary file (Stata, SPSS, Arrow, gzip) is truncated, corrupt or not of its format.
        case malformed
        /// A column's type cannot be read into a `DataTable` (an Arrow list or struct, say).
        case unsupportedType
    }

    /// What went wrong.
    public let kind: Kind
    /// The file path as given, or `"<stdin>"`.
    public let source: String
    /// The 1-based line of the input the error concerns, when there is one.
    public let line: Int?
    /// One line for users, starting with the source, e.g.
    /// `data.csv: line 42 has 5 fields, expected 4 (header has 4 columns)`.
    public let message: String

    /// The message.
    public var description: String { message }

    /// Creates an error; `message` must already name the source.
    public init(_ kind: Kind, source: String, line: Int? = nil, message: String) {
        self.kind = kind
        self.source = source
        self.line = line
        self.message = message
    }
}

extension CSVError {
    /// A line with the wrong number of fields.
    static func raggedRow(source: String, line: Int, found: Int, expected: Int) -> CSVError {
        let noun = found == 1 ? "field" : "fields"
        return CSVError(
            .raggedRow, source: source, line: line,
            message: "\(source): line \(line) has \(found) \(noun), expected \(expected) "
                + "(header has \(expected) column\(expected == 1 ? "" : "s"))")
    }

    /// A quoted field opened on `line` and never closed.
    static func unterminatedQuote(source: String, line: Int) -> CSVError {
        CSVError(
            .unterminatedQuote, source: source, line: line,
            message: "\(source): line \(line) opens a quoted field that is never closed")
    }

    /// A NUL byte on `line`: the input is not UTF-8 text at all.
    static func notText(source: String, line: Int) -> CSVError {
        CSVError(
            .unreadable, source: source, line: line,
            message: "\(source): is not UTF-8 CSV: line \(line) holds a NUL byte, which text does not "
                + "(a binary file, or UTF-16 text without a byte-order mark?)")
    }

    /// An input without a header row.
    static func empty(source: String) -> CSVError {
        CSVError(.empty, source: source, message: "\(source): the input is empty (no header row)")
    }

    /// Header names that occur more than once.
    static func duplicateColumns(source: String, line: Int, names: [String]) -> CSVError {
        let list = names.map { "'\($0)'" }.joined(separator: ", ")
        let noun = names.count == 1 ? "name" : "names"
        return CSVError(
            .duplicateColumn, source: source, line: line,
            message: "\(source): duplicate column \(noun) \(list) in the header")
    }

    /// Requested columns the header lacks.
    static func missingColumns(source: String, names: [String], available: [String] = []) -> CSVError {
        let list = names.map { "'\($0)'" }.joined(separator: ", ")
        let noun = names.count == 1 ? "column" : "columns"
        // Suggest the closest header names for each name not found: typos are the usual cause.
        let hints = names.compactMap { name -> String? in
            let close = DataTable.closestNames(to: name, among: available, limit: 3)
            guard !close.isEmpty else { return nil }
            return (names.count > 1 ? "for '\(name)' " : "") + "did you mean " + close.map { "'\($0)'" }.joined(separator: ", ") + "?"
        }
        let hint = hints.isEmpty ? "" : "; " + hints.joined(separator: "; ")
        return CSVError(
            .missingColumns, source: source,
            message: "\(source): no \(noun) named \(list) in the header\(hint)")
    }
}

extension CSVError {
    /// A binary file that is damaged or not what its extension says; `detail` says what was found.
    static func malformed(source: String, format: String, _ detail: String) -> CSVError {
        CSVError(.malformed, source: source, message: "\(source): not a readable \(format) file: \(detail)")
    }

    /// A kept column whose type has no `DataTable` counterpart.
    static func unsupportedType(source: String, column: String, type: String) -> CSVError {
        CSVError(
            .unsupportedType, source: source,
            message: "\(source): column '\(column)' has type \(type), which Quipu cannot read "
                + "(numbers, text, booleans, dates and categoricals can be read)")
    }
}
