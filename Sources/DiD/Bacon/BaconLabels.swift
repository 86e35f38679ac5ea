/// The distinct values of an integer column, ascending, and each row's index among them.
///
/// Unit and period identifiers are arbitrary integers; the decomposition works on their
/// positions. This is the one place that maps one to the other, in O(rows) when the values
/// span a range not much wider than the column (a presence table, no hashing, already in
/// order) and with a hash table otherwise.
struct BaconLabels: Sendable {
    /// Distinct values, ascending.
    let values: [Int]
    /// For each row, the index of its value in ``values``.
    let indexOfRow: [Int]

    init(_ column: [Int]) {
        guard let low = column.min(), let high = column.max() else {
            values = []
            indexOfRow = []
            return
        }
        let span = high.subtractingReportingOverflow(low)
        // A table of span + 1 entries costs no more than a few passes over the column.
        if !span.overflow, span.partialValue < 4 * column.count + 64 {
            var slot = [Int](repeating: -1, count: span.partialValue + 1)
            for v in column { slot[v &- low] = 0 }
            var values: [Int] = []
            for offset in slot.indices where slot[offset] == 0 {
                slot[offset] = values.count
                values.append(low &+ offset)
            }
            self.values = values
            indexOfRow = column.map { slot[$0 &- low] }
            return
        }
        // Hash in first-seen order, then renumber by sorted value. Consecutive rows of one
        // unit (the usual long layout) share a single look-up.
        var firstSeen: [Int] = []
        var index: [Int: Int] = [:]
        var rowIndex = [Int](repeating: 0, count: column.count)
        var last = column[0]
        var lastIndex = 0
        index[last] = 0
        firstSeen.append(last)
        for (r, v) in column.enumerated() {
            if v != last {
                if let known = index[v] {
                    lastIndex = known
                } else {
                    lastIndex = firstSeen.count
                    index[v] = lastIndex
                    firstSeen.append(v)
                }
                last = v
            }
            rowIndex[r] = lastIndex
        }
        let order = firstSeen.indices.sorted { firstSeen[$0] < firstSeen[$1] }
        var rank = [Int](repeating: 0, count: order.count)
        for (position, original) in order.enumerated() { rank[original] = position }
        values = order.map { firstSeen[$0] }
        indexOfRow = rowIndex.map { rank[$0] }
    }
}
