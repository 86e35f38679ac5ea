/// What a `--subset` kept and removed (the `subset` object of every command's JSON); the counts
/// add up: `rows_before = rows_kept + removed` and `removed = removed_false + removed_na`.
public struct SubsetRecord: JSONRecord, Sendable {
    public var expression: String
    public var rowsBefore: Int
    public var rowsKept: Int
    public var removed: Int
    public var removedFalse: Int
    public var removedMissing: Int

    public init(expression: String, rowsBefore: Int, rowsKept: Int, removed: Int, removedFalse: Int, removedMissing: Int) {
        self.expression = expression
        self.rowsBefore = rowsBefore
        self.rowsKept = rowsKept
        self.removed = removed
        self.removedFalse = removedFalse
        self.removedMissing = removedMissing
    }

    enum CodingKeys: String, CodingKey {
        case expression, rowsBefore = "rows_before", rowsKept = "rows_kept", removed, removedFalse = "removed_false", removedMissing = "removed_na"
    }
}
