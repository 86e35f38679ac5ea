extension DataTable {
    /// The column names most similar to `name`, best first, for "did you mean" messages.
    ///
    /// Similarity is the edit distance between lower-cased names (insertions, deletions,
    /// substitutions and swaps of neighbours each cost one). A name qualifies when that distance
    /// is small for the length of `name`, or when one name contains the other (`firm` vs
    /// `firm_id`), since both are typical slips when typing a formula. Ties keep file order.
    public func closestNames(to name: String, limit: Int = 3) -> [String] {
        Self.closestNames(to: name, among: names, limit: limit)
    }

    /// The names among `names` most similar to `name`, best first (see the instance method).
    public static func closestNames(to name: String, among names: [String], limit: Int = 3) -> [String] {
        guard limit > 0 else { return [] }
        let query = Array(name.lowercased())
        // Allow about one edit per three characters, and at least two, so short names still
        // get suggestions without every column qualifying.
        let allowed = max(2, (query.count + 2) / 3)
        var scored: [(distance: Int, index: Int)] = []
        for (index, candidate) in names.enumerated() {
            let lowered = candidate.lowercased()
            let target = Array(lowered)
            let distance = Self.editDistance(query, target)
            // Containment only counts for names of three or more characters: every name
            // containing an 'a' is no suggestion for 'a'.
            let contains = min(query.count, target.count) >= 3
                && (lowered.contains(String(query)) || String(query).contains(lowered))
            if distance <= allowed || contains {
                scored.append((distance, index))
            }
        }
        scored.sort { ($0.distance, $0.index) < ($1.distance, $1.index) }
        return scored.prefix(limit).map { names[$0.index] }
    }

    /// The optimal-string-alignment distance: Levenshtein plus swaps of adjacent characters.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 1
        // Three rolling rows: the swap rule looks two rows back.
        var previous2 = [Int](repeating: 0, count: width)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: width)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, previous2[j - 2] + 1)
                }
                current[j] = best
            }
            swap(&previous2, &previous)
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
