/// Which of a file's columns to materialise: the rule every reader shares.
enum ColumnSelection {
    /// The positions of the columns to keep, in file order, after checking the names.
    ///
    /// Every name in `keep` must be present (a `missingColumns` error suggests close names
    /// otherwise). Duplicate names are an error only when a duplicated column is kept: a file
    /// with two unused columns of the same name can still be read for the columns a model needs.
    static func keptIndices(
        names: [String], keep: Set<String>?, source: String, headerLine: Int = 1
    ) throws(CSVError) -> [Int] {
        var kept: [Int]
        if let keep {
            let absent = keep.subtracting(Set(names)).sorted()
            if !absent.isEmpty {
                throw CSVError.missingColumns(source: source, names: absent, available: names)
            }
            kept = names.indices.filter { keep.contains(names[$0]) }
        } else {
            kept = Array(names.indices)
        }
        var counts: [String: Int] = [:]
        for name in names { counts[name, default: 0] += 1 }
        var seen = Set<String>()
        var duplicates: [String] = []
        for index in kept where counts[names[index], default: 0] > 1 && seen.insert(names[index]).inserted {
            duplicates.append(names[index])
        }
        if !duplicates.isEmpty {
            throw CSVError.duplicateColumns(source: source, line: headerLine, names: duplicates)
        }
        return kept
    }
}
