/// A text column stored as factor codes: each value is an index into `levels`, `-1` if missing.
public struct TextColumn: Sendable {
    /// The level of each row, an index into `levels`; `-1` marks a missing value.
    public let codes: [Int32]
    /// The distinct non-missing values, in order of first appearance.
    public let levels: [String]
    /// The first value that did not parse as a number, so callers can say "column x is not
    /// numeric: line 17 has 'abc'". Despite its label, `row` is the 1-based *line* number in
    /// the input (the header is line 1), which is what a user looks for in an editor.
    public let firstNonNumeric: (row: Int, value: String)?

    /// Creates a text column from codes, levels and the first non-numeric value.
    public init(codes: [Int32], levels: [String], firstNonNumeric: (row: Int, value: String)? = nil) {
        self.codes = codes
        self.levels = levels
        self.firstNonNumeric = firstNonNumeric
    }
}
