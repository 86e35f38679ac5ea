/// What a row filter (`--subset`) did to the data: the rows it kept and the rows it removed,
/// those where the condition is false apart from those where it is missing (NA).
public struct SubsetSummary: Equatable, Sendable {
    /// The filter as given.
    public let expression: String
    /// Rows before the filter.
    public let rowsBefore: Int
    /// Rows where the condition is true.
    public let rowsKept: Int
    /// Rows where the condition is false.
    public let removedFalse: Int
    /// Rows where the condition is missing (NA): removed, as R's `subset()` and fixest remove them.
    public let removedMissing: Int

    /// Creates a summary.
    public init(expression: String, rowsBefore: Int, rowsKept: Int, removedFalse: Int, removedMissing: Int) {
        self.expression = expression
        self.rowsBefore = rowsBefore
        self.rowsKept = rowsKept
        self.removedFalse = removedFalse
        self.removedMissing = removedMissing
    }

    /// All rows removed.
    public var removed: Int { removedFalse + removedMissing }
}
