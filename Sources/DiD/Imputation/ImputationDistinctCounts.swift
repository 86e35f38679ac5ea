// Distinct counts for the imputation estimator's reports (treated units and cohorts behind each
// horizon or lead; Borusyak, Jaravel & Spiess 2024, REStud).
// Goals: exact counts for any number of groups; O(rows + keys) time and memory: a counting sort
// by group and one stamp per key, instead of a key × group table or per-row hashing.

/// Counts distinct keys within groups of rows.
enum ImputationDistinctCounts {
    /// The number of distinct `key` values among the rows of each group `0..<groupCount`; rows
    /// with a group outside that range are skipped. Keys lie in `0..<keyCount`.
    static func perGroup(group: [Int], groupCount: Int, key: [Int], keyCount: Int) -> [Int] {
        var offsets = [Int](repeating: 0, count: groupCount + 1)
        for g in group where g >= 0 && g < groupCount { offsets[g + 1] += 1 }
        for g in 0..<groupCount { offsets[g + 1] += offsets[g] }
        var next = offsets
        var ordered = [Int](repeating: 0, count: offsets[groupCount])
        for (row, g) in group.enumerated() where g >= 0 && g < groupCount {
            ordered[next[g]] = key[row]
            next[g] += 1
        }
        var stamp = [Int](repeating: -1, count: keyCount)
        var counts = [Int](repeating: 0, count: groupCount)
        for g in 0..<groupCount {
            for position in offsets[g]..<offsets[g + 1] where stamp[ordered[position]] != g {
                stamp[ordered[position]] = g
                counts[g] += 1
            }
        }
        return counts
    }
}
