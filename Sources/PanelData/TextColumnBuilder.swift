/// Builds a `TextColumn` from whole strings, for the typed formats (Stata, SPSS, Arrow).
///
/// Levels are numbered in order of first appearance, as the CSV reader numbers them, so a
/// factor's reference level, and so every estimate, is the same whichever format the data
/// came in. Values that are missing tokens (`""`, `NA`, ...) become missing, as in CSV.
struct TextColumnBuilder {
    private var codes: [Int32] = []
    private var levels: [String] = []
    private var codeOfLevel: [String: Int32] = [:]
    private let missing: Set<String>

    /// An empty column that treats `missingTokens` as missing.
    init(missingTokens: Set<String>, capacity: Int = 0) {
        self.missing = missingTokens
        codes.reserveCapacity(max(0, capacity))
    }

    /// Appends one value; `nil` is missing.
    mutating func append(_ value: String?) {
        codes.append(code(for: value))
    }

    /// The code `value` has (or gets), without appending a row: `-1` when missing.
    mutating func code(for value: String?) -> Int32 {
        guard let value, !missing.contains(value) else { return -1 }
        if let code = codeOfLevel[value] { return code }
        let code = Int32(truncatingIfNeeded: levels.count)
        levels.append(value)
        codeOfLevel[value] = code
        return code
    }

    /// Appends rows whose codes index `dictionary`: each dictionary entry is coded once, on
    /// first use, so unused entries (pandas categories absent from the data) add no level.
    mutating func append(indices: some Sequence<Int?>, dictionary: [String?]) {
        var mapped = [Int32?](repeating: nil, count: dictionary.count)
        for index in indices {
            guard let index, index >= 0, index < dictionary.count else {
                codes.append(-1)
                continue
            }
            if let code = mapped[index] {
                codes.append(code)
            } else {
                let code = code(for: dictionary[index])
                mapped[index] = code
                codes.append(code)
            }
        }
    }

    /// The finished column.
    func finish() -> Column {
        .text(TextColumn(codes: codes, levels: levels))
    }
}
