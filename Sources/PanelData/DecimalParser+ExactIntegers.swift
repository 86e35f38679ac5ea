extension DecimalParser {
    /// Whether `start..<end` (no padding) is an integer written out in digits (optional sign,
    /// digits, nothing else) whose magnitude exceeds 2^53, so that its double would merge it with
    /// a neighbour: such a token is not read as a number (see `Column+ExactIntegers`).
    ///
    /// Called only for tokens whose double is at least 2^53 in magnitude, which real data rarely
    /// hold outside identifiers, so its cost never shows.
    static func isIntegerBeyondExactRange(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool {
        var p = start
        if p < end && (p.pointee == UInt8(ascii: "-") || p.pointee == UInt8(ascii: "+")) { p += 1 }
        guard p < end else { return false }
        var magnitude: UInt64 = 0
        var overflow = false
        while p < end {
            let digit = p.pointee &- UInt8(ascii: "0")
            guard digit <= 9 else { return false }
            if !overflow {
                let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(UInt64(digit))
                overflow = o1 || o2
                magnitude = sum
            }
            p += 1
        }
        return overflow || magnitude > 1 << 53
    }

    /// `isIntegerBeyondExactRange` for a token's buffer.
    static func isIntegerBeyondExactRange(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = token.baseAddress else { return false }
        return isIntegerBeyondExactRange(base, base + token.count)
    }
}

extension TextColumn {
    /// The column's first non-number when it is an integer written out in full beyond ±2^53,
    /// which the CSV reader keeps as text rather than round (the reason the column is text).
    public var firstIntegerBeyondExactRange: (row: Int, value: String)? {
        guard let first = firstNonNumeric else { return nil }
        let beyond = Array(first.value.utf8).withUnsafeBufferPointer { DecimalParser.isIntegerBeyondExactRange($0) }
        return beyond ? first : nil
    }
}
