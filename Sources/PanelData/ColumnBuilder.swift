/// Accumulates one kept column across chunks and blocks, in input order.
struct ColumnBuilder {
    /// Whether the column is text (`codes` against `dictionary`) rather than numbers (`values`).
    private(set) var isText: Bool
    private(set) var values: [Double] = []
    private(set) var codes: [Int32] = []
    private(set) var dictionary = TokenDictionary()
    /// The first non-number in the column, with its absolute line number.
    private(set) var firstNonNumeric: (line: Int, value: [UInt8])?

    /// An empty column, numeric until proven otherwise unless `isText`.
    init(isText: Bool = false) {
        self.isText = isText
    }

    /// Whether the column has more distinct values than `Int32` codes can number.
    var hasTooManyLevels: Bool { dictionary.isFull }

    /// The number of rows so far.
    var count: Int { isText ? codes.count : values.count }

    /// Reserves room for `rows` values, so a large file does not copy its columns while growing.
    mutating func reserve(rows: Int) {
        if isText {
            codes = Self.withCapacity(rows, copying: codes)
        } else {
            values = Self.withCapacity(rows, copying: values)
        }
    }

    /// A copy of `array` with room for `capacity` elements, whose storage is marked for huge
    /// pages: a column of 10^7 doubles otherwise takes some 20,000 page faults to fill, which
    /// cost more than copying the values into it.
    private static func withCapacity<Element: BitwiseCopyable>(_ capacity: Int, copying array: [Element]) -> [Element] {
        guard capacity > array.count else { return array }
        return [Element](unsafeUninitializedCapacity: capacity) { buffer, count in
            MemoryAdvice.preferHugePages(UnsafeMutableRawBufferPointer(buffer))
            count = array.withUnsafeBufferPointer { existing in
                guard let target = buffer.baseAddress, let source = existing.baseAddress else { return 0 }
                target.initialize(from: source, count: existing.count)
                return existing.count
            }
        }
    }

    /// Appends a chunk's values; the chunk must already have the builder's type.
    mutating func append(_ chunk: ColumnSink) {
        if !isText {
            values.append(contentsOf: chunk.valueBuffer)
            return
        }
        // Map the chunk's level codes onto the table's, once per level rather than per row.
        var mapping = [Int32](repeating: -1, count: chunk.dictionary.count)
        for local in 0..<chunk.dictionary.count {
            mapping[local] = chunk.dictionary.withKey(local) { dictionary.code(for: $0) }
        }
        codes.reserveCapacity(codes.count + chunk.codeCount)
        mapping.withUnsafeBufferPointer { map in
            for code in chunk.codeBuffer {
                codes.append(code < 0 ? -1 : map[Int(code)])
            }
        }
    }

    /// Turns a numeric column into text, given the same rows re-read as text.
    mutating func becomeText(from earlier: ColumnBuilder) {
        isText = true
        values = []
        codes = earlier.codes
        dictionary = earlier.dictionary
    }

    /// Records the first non-number unless an earlier one is known.
    mutating func noteFirstNonNumeric(_ first: (line: Int, value: [UInt8])?) {
        if firstNonNumeric == nil { firstNonNumeric = first }
    }

    /// The finished column.
    func finish() -> Column {
        guard isText else { return .numeric(values) }
        let first = firstNonNumeric.map { (row: $0.line, value: String(decoding: $0.value, as: UTF8.self)) }
        return .text(TextColumn(codes: codes, levels: dictionary.strings(), firstNonNumeric: first))
    }
}
