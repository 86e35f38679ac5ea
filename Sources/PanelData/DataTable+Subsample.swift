/// Column and row subsets of a table, for estimating several models on data read once.
extension DataTable {
    /// The table with only the named columns (absent names are skipped), in file order.
    ///
    /// Cheap: the columns' storage is shared with this table, not copied.
    public func selectingColumns(_ wanted: Set<String>) -> DataTable {
        let kept = names.indices.filter { wanted.contains(names[$0]) }
        return DataTable(source: source, names: kept.map { names[$0] }, columns: kept.map { columns[$0] },
                         rowCount: rowCount, readStatistics: readStatistics)
    }

    /// The table restricted to `rows` (increasing row indices), as if the file held only them.
    ///
    /// Text columns keep only the levels present, in order of first appearance among the kept
    /// rows, and a text column whose kept values are all numbers becomes numeric: what reading
    /// a file filtered to those rows would give, so that a split sample's `i()` references,
    /// fixed effects and messages match an estimation on the filtered file.
    public func keepingRows(_ rows: [Int]) -> DataTable {
        let kept = columns.map { column -> Column in
            switch column {
            case .numeric(let values):
                return .numeric(rows.map { values[$0] })
            case .text(let text):
                return Self.keepingRows(rows, of: text)
            }
        }
        return DataTable(source: source, names: names, columns: kept, rowCount: rows.count, readStatistics: readStatistics)
    }

    /// The rows of a text column, with levels renumbered by first appearance among them.
    private static func keepingRows(_ rows: [Int], of text: TextColumn) -> Column {
        let kept = text.keepingRows(rows, count: rows.count)
        // Every kept value a number: the filtered file would have read a numeric column.
        let numbers = kept.levels.map { Double($0) }
        if !numbers.contains(where: { $0 == nil }) {
            return .numeric(kept.codes.map { $0 < 0 ? .nan : (numbers[Int($0)] ?? .nan) })
        }
        return .text(kept)
    }
}

extension TextColumn {
    /// The values at `rows` (increasing indices), with the levels present renumbered in order of
    /// first appearance among them, as a reader of only those rows would number them; `count` is
    /// the number of rows, for the allocation.
    public func keepingRows<Rows: Sequence<Int>>(_ rows: Rows, count: Int) -> TextColumn {
        var renumbered = [Int32](repeating: -1, count: levels.count)
        var keptLevels: [String] = []
        var keptCodes: [Int32] = []
        keptCodes.reserveCapacity(count)
        for row in rows {
            let code = codes[row]
            guard code >= 0, Int(code) < renumbered.count else {
                keptCodes.append(-1)
                continue
            }
            if renumbered[Int(code)] < 0 {
                renumbered[Int(code)] = Int32(keptLevels.count)
                keptLevels.append(levels[Int(code)])
            }
            keptCodes.append(renumbered[Int(code)])
        }
        return TextColumn(codes: keptCodes, levels: keptLevels, firstNonNumeric: firstNonNumeric)
    }
}
