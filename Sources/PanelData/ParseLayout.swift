/// What the chunk parser needs to know about the input's shape: the delimiter, the number of
/// fields per record, which fields are kept, and which tokens mean "missing".
struct ParseLayout: Sendable {
    /// The field separator.
    let delimiter: UInt8
    /// Fields per record, from the header.
    let fieldCount: Int
    /// For each field, its position among the kept columns, or -1 when it is skipped.
    let slotOfField: [Int]
    /// For each kept column, its field position in the record.
    let fieldOfSlot: [Int]
    /// The tokens that mean a missing value.
    let missing: MissingTokens
    /// Whether a tab counts as padding around a value (not when tab is the delimiter).
    let tabIsPadding: Bool
    /// Whether a space counts as padding around a value (not when space is the delimiter).
    let spaceIsPadding: Bool

    /// The number of kept columns.
    var keptCount: Int { fieldOfSlot.count }

    /// A layout for records of `fieldCount` fields keeping the fields at `keptFields` (ascending).
    init(delimiter: UInt8, fieldCount: Int, keptFields: [Int], missing: MissingTokens) {
        self.delimiter = delimiter
        self.fieldCount = fieldCount
        var slots = [Int](repeating: -1, count: fieldCount)
        for (slot, field) in keptFields.enumerated() { slots[field] = slot }
        self.slotOfField = slots
        self.fieldOfSlot = keptFields
        self.missing = missing
        self.tabIsPadding = delimiter != UInt8(ascii: "\t")
        self.spaceIsPadding = delimiter != UInt8(ascii: " ")
    }

    /// The same layout keeping only the given kept columns (by slot), renumbered from zero.
    func keeping(slots: [Int]) -> ParseLayout {
        ParseLayout(
            delimiter: delimiter, fieldCount: fieldCount,
            keptFields: slots.map { fieldOfSlot[$0] }, missing: missing)
    }

    /// Whether `byte` is padding that may surround a value: a space or tab (unless it is the
    /// delimiter, when skipping it would merge fields), or a carriage return (the first half of
    /// a CRLF line end; it cannot be the delimiter).
    @inline(__always)
    func isPadding(_ byte: UInt8) -> Bool {
        // One comparison settles the usual case: every padding byte is at most a space.
        byte <= UInt8(ascii: " ")
            && ((byte == UInt8(ascii: " ") && spaceIsPadding) || byte == UInt8(ascii: "\r")
                || (byte == UInt8(ascii: "\t") && tabIsPadding))
    }
}
