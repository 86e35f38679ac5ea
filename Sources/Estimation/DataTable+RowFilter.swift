import Formula
import PanelData

extension DataTable {
    /// The rows where `filter` holds, in their order, and what the filter removed.
    ///
    /// A row where the condition is missing (NA) is removed, as R's `subset()` does. Text columns
    /// compare with quoted texts (`==`, `!=`, `%in%`), numeric columns and expressions with numbers;
    /// anything else is an error, as are unknown columns and a filter that keeps no row. Text
    /// columns are coded afresh over the rows kept, so the result equals reading only those rows.
    ///
    /// - Parameter keeping: the columns to carry over (nil: all), so columns read only for the
    ///   filter need not follow the data further.
    public func filtered(by filter: RowFilter, keeping: Set<String>? = nil) throws(EstimationError) -> (table: DataTable, summary: SubsetSummary) {
        let evaluator = RowFilterEvaluator(table: self, filter: filter)
        let truth = try evaluator.evaluate(filter.condition)
        var kept = 0, missing = 0
        for value in truth {
            if value == RowFilterEvaluator.isTrue { kept += 1 } else if value == RowFilterEvaluator.isMissing { missing += 1 }
        }
        let summary = SubsetSummary(expression: filter.source, rowsBefore: rowCount, rowsKept: kept,
                                    removedFalse: rowCount - kept - missing, removedMissing: missing)
        guard kept > 0 else {
            let missingPart = missing > 0 ? " and missing (NA) for \(missing)" : ""
            throw EstimationError("\(source): the subset \"\(filter.source)\" leaves no rows: its condition is false for \(summary.removedFalse) of \(rowCount) rows\(missingPart)")
        }
        let keep = truth.map { $0 == RowFilterEvaluator.isTrue }
        var names = [String](), columns = [Column]()
        for (name, column) in zip(self.names, self.columns) where keeping?.contains(name) ?? true {
            names.append(name)
            columns.append(Self.select(column, keep: keep, keptCount: kept))
        }
        let table = DataTable(source: source, names: names, columns: columns, rowCount: kept, readStatistics: readStatistics)
        return (table, summary)
    }

    /// A column's values on the kept rows; text levels are renumbered in order of first appearance
    /// among them, as a reader of only those rows would number them.
    static func select(_ column: Column, keep: [Bool], keptCount: Int) -> Column {
        switch column {
        case .numeric(let values):
            var result = [Double]()
            result.reserveCapacity(keptCount)
            for row in values.indices where keep[row] { result.append(values[row]) }
            return .numeric(result)
        case .text(let text):
            return .text(text.keepingRows(text.codes.indices.lazy.filter { keep[$0] }, count: keptCount))
        }
    }
}
