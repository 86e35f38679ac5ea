import Estimation
import Primitives

/// The JSON form of a `--subset` summary, shared by every command's output.
extension SubsetSummary {
    /// `{"expression", "rows_before", "rows_kept", "removed", "removed_false", "removed_na"}`.
    public var json: JSONValue {
        SubsetRecord(expression: expression, rowsBefore: rowsBefore, rowsKept: rowsKept, removed: removed,
                     removedFalse: removedFalse, removedMissing: removedMissing).json
    }
}

extension SubsetSummary {
    /// One line for reports, whose counts add up to the rows read: "subset: kept 994 of 6815
    /// rows (year >= 2005); removed 5821 rows where the condition is false" (counts ungrouped,
    /// as the Observations line beside it).
    public var line: String {
        let rows = { (count: Int) in "\(count)" + (count == 1 ? " row" : " rows") }
        var removedParts = [String]()
        if removedFalse > 0 { removedParts.append("\(rows(removedFalse)) where the condition is false") }
        if removedMissing > 0 { removedParts.append("\(rows(removedMissing)) where it is missing (NA)") }
        let removals = removedParts.isEmpty ? "; removed none" : "; removed " + removedParts.joined(separator: " and ")
        return "subset: kept \(rowsKept) of \(rows(rowsBefore)) (\(expression))" + removals
    }
}

extension JSONValue {
    /// This object with `("subset", summary)` added after its `command` (after its first field
    /// when it has none), or unchanged without a summary or when not an object.
    public func addingSubset(_ summary: SubsetSummary?) -> JSONValue {
        guard let summary, case .object(var pairs) = self else { return self }
        let command = pairs.firstIndex { $0.0 == "command" } ?? 0
        pairs.insert(("subset", summary.json), at: min(command + 1, pairs.count))
        return .object(pairs)
    }
}
