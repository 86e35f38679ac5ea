// The record parser: turns a run of complete CSV records into column buffers.
//
// Goals, in order:
//  1. Exact numbers: every numeric field converts to the correctly rounded double (see
//     DecimalParser), and a column is numeric only if every non-missing field is a number and
//     none is an integer written out beyond 2^53, which a double would merge with a neighbour
//     (such a column is text, so identifiers stay distinct; Column+ExactIntegers).
//  2. Correct CSV: RFC 4180 quoting (delimiters, doubled quotes and line breaks inside quotes),
//     CRLF or LF line ends, exact line numbers for every error and for the first non-numeric
//     value, and no trap on any input.
//  3. Identical results for any split of the input: a chunk's output depends only on its bytes
//     and on which columns are already known to be text, so chunks parsed in parallel and
//     appended in order equal one serial pass.
//  4. Speed: one pass over the bytes, numbers converted straight from the buffer while the field
//     is scanned, skipped columns only scanned, no String or allocation per field.

/// Parses complete records of one chunk into per-column buffers.
struct ChunkParser {
    let layout: ParseLayout
    /// For each kept column, whether earlier input already made it text, so numbers are not tried.
    let knownText: [Bool]

    /// Parses `start..<end`, which must begin at a record start and end at a record end
    /// (just past a line break, or the end of the input).
    ///
    /// `spare` holds the columns of an earlier chunk, whose buffers are reused: fresh buffers
    /// for every block would fault in new pages, a sizeable share of the time.
    func parse(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, reusing spare: ChunkColumns? = nil
    ) -> ChunkResult {
        let columns = spare.flatMap { $0.count == knownText.count ? $0 : nil } ?? ChunkColumns(count: knownText.count)
        let sinks = columns.sinks
        for slot in 0..<columns.count {
            sinks[slot].reset(isText: knownText[slot])
        }
        var result = ChunkResult(columns: columns)
        // Whitespace-only lines cannot be records when there are several fields, so they are
        // skipped (like pandas); with one field they are records holding an empty value.
        let skipsBlankLines = layout.fieldCount > 1
        let delimiter = layout.delimiter
        let fieldCount = layout.fieldCount
        let tryNumbersFirst = !layout.missing.includesNumber
        var p = start
        var line = 0
        var rows = 0
        layout.slotOfField.withUnsafeBufferPointer { slotOfField in
            records: while p < end {
                let recordStart = p
                let recordLine = line
                if skipsBlankLines && (p.pointee == .newline || layout.isPadding(p.pointee)) {
                    var q = p
                    while q < end && layout.isPadding(q.pointee) { q += 1 }
                    if q == end {
                        p = end
                        break records
                    }
                    if q.pointee == .newline {
                        p = q + 1
                        line += 1
                        continue records
                    }
                }
                var field = 0
                while true {
                    let slot = slotOfField[field]
                    if p < end && p.pointee == .quote {
                        guard let quoted = scanQuoted(p, end) else {
                            result.failure = .unterminatedQuote(line: line)
                            break records
                        }
                        line += quoted.lineBreaks
                        if slot >= 0 {
                            var isText = true
                            withQuotedToken(quoted) { token in
                                isText = accept(token, quoted: true, into: &sinks[slot], slot: slot,
                                                line: recordLine, chunkStart: start, recordStart: recordStart)
                            }
                            if !isText {
                                result.failure = .nulByte(line: recordLine)
                                break records
                            }
                        }
                        p = quoted.fieldEnd
                    } else if slot >= 0 && tryNumbersFirst && !sinks[slot].isText,
                              let number = inlineNumber(p, end) {
                        sinks[slot].append(number.value)
                        p = number.fieldEnd
                    } else {
                        var q = p
                        while q < end {
                            let byte = q.pointee
                            if byte == delimiter || byte == .newline { break }
                            q += 1
                        }
                        if slot >= 0 && !accept(trimmed(p, q), quoted: false, into: &sinks[slot], slot: slot,
                                                   line: recordLine, chunkStart: start, recordStart: recordStart) {
                            result.failure = .nulByte(line: recordLine)
                            break records
                        }
                        p = q
                    }
                    field += 1
                    if p < end && p.pointee == delimiter {
                        if field == fieldCount {
                            let found = countFields(from: p, end, after: field)
                            result.failure = .ragged(line: recordLine, found: found)
                            break records
                        }
                        p += 1
                        continue
                    }
                    if field != fieldCount {
                        result.failure = .ragged(line: recordLine, found: field)
                        break records
                    }
                    if p < end {
                        p += 1
                        line += 1
                    }
                    rows += 1
                    break
                }
            }
        }
        result.rowCount = rows
        result.lineCount = line
        return result
    }

    /// Parses an unquoted numeric field in place: padding, a number, padding, then a delimiter,
    /// line break or the end. Returns `nil` for anything else, which the slow path classifies.
    @inline(__always)
    func inlineNumber(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>
    ) -> (value: Double, fieldEnd: UnsafePointer<UInt8>)? {
        var p = start
        while p < end && layout.isPadding(p.pointee) { p += 1 }
        guard p < end, let (value, stop) = DecimalParser.parsePrefix(p, end) else { return nil }
        // An integer beyond 2^53 would be rounded onto a neighbour: the slow path keeps it as text.
        if abs(value) >= Column.largestExactInteger && DecimalParser.isIntegerBeyondExactRange(p, stop) { return nil }
        p = stop
        // Test for the field's end before padding: padding after a number is rare.
        if p == end || p.pointee == layout.delimiter || p.pointee == .newline {
            return (value, p)
        }
        while p < end && layout.isPadding(p.pointee) { p += 1 }
        if p == end || p.pointee == layout.delimiter || p.pointee == .newline {
            return (value, p)
        }
        return nil
    }

    /// `start..<end` without padding at either end.
    @inline(__always)
    func trimmed(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var a = start
        var b = end
        while a < b && layout.isPadding(a.pointee) { a += 1 }
        while b > a && layout.isPadding((b - 1).pointee) { b -= 1 }
        return UnsafeBufferPointer(start: a, count: b - a)
    }
}
