import Estimation

/// The JSON form of a `--subset` summary, shared by every command's output.
extension SubsetSummary {
    /// `{"expression", "rows_before", "rows_kept", "removed", "removed_false", "removed_na"}`.
    public var json: JSONValue {
        .object([
            ("expression", .string(expression)),
            ("rows_before", .integer(rowsBefore)),
            ("rows_kept", .integer(rowsKept)),
            ("removed", .integer(removed)),
            ("removed_false", .integer(removedFalse)),
            ("removed_na", .integer(removedMissing)),
        ])
    }
}

extension JSONValue {
    /// This object with `("subset", summary)` added after its first field (`command`), or
    /// unchanged without a summary or when not an object.
    public func addingSubset(_ summary: SubsetSummary?) -> JSONValue {
        guard let summary, case .object(var pairs) = self else { return self }
        pairs.insert(("subset", summary.json), at: min(1, pairs.count))
        return .object(pairs)
    }
}
