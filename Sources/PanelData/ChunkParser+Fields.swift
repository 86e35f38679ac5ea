#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ChunkParser {
    /// Scans the quoted field whose opening quote is at `start`; `nil` if it never closes.
    func scanQuoted(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> QuotedField? {
        var q = start + 1
        var lineBreaks = 0
        var doubled = false
        while true {
            while q < end && q.pointee != .quote {
                if q.pointee == .newline { lineBreaks += 1 }
                q += 1
            }
            if q == end { return nil }
            if q + 1 < end && (q + 1).pointee == .quote {
                doubled = true
                q += 2
                continue
            }
            break
        }
        let content = UnsafeBufferPointer(start: start + 1, count: q - (start + 1))
        let afterQuote = q + 1
        var fieldEnd = afterQuote
        while fieldEnd < end && fieldEnd.pointee != layout.delimiter && fieldEnd.pointee != .newline {
            fieldEnd += 1
        }
        return QuotedField(
            content: content, hasDoubledQuotes: doubled, tail: trimmed(afterQuote, fieldEnd),
            fieldEnd: fieldEnd, lineBreaks: lineBreaks)
    }

    /// Calls `body` with the field's value: the content with doubled quotes collapsed, then the tail.
    func withQuotedToken(_ field: QuotedField, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if !field.hasDoubledQuotes && field.tail.isEmpty {
            body(field.content)
            return
        }
        var value: [UInt8] = []
        value.reserveCapacity(field.content.count + field.tail.count)
        var i = 0
        let content = field.content
        while i < content.count {
            value.append(content[i])
            // Inside a closed quoted field every quote is the first of a doubled pair.
            i += content[i] == .quote ? 2 : 1
        }
        value.append(contentsOf: field.tail)
        value.withUnsafeBufferPointer(body)
    }

    /// Adds one field's value to a kept column, turning the column into text (and re-reading
    /// this chunk's earlier rows as text) when the value is the first non-number.
    ///
    /// Returns false for a token holding a NUL byte: no text has one, so the input is binary or
    /// UTF-16 and the caller stops with that reason. Only a token new to the column's dictionary
    /// is searched (a repeated one was searched when it was new), so the search costs nothing per
    /// field of a text column; a number cannot hold a NUL (the parser rejects it, and the fast path
    /// ends a number only at a delimiter, line break or padding).
    @inline(__always) @discardableResult
    func accept(
        _ token: UnsafeBufferPointer<UInt8>, quoted: Bool, into column: inout ColumnSink, slot: Int,
        line: Int, chunkStart: UnsafePointer<UInt8>, recordStart: UnsafePointer<UInt8>
    ) -> Bool {
        let isMissing = layout.missing.contains(token)
        if column.isText {
            if isMissing {
                column.append(code: -1)
                return true
            }
            guard let code = Self.textCode(token, in: column) else { return false }
            column.append(code: code)
            return true
        }
        if isMissing {
            column.append(.nan)
            return true
        }
        // Padding inside quotes is tolerated around numbers too (" 1.5" quoted by some writers).
        let candidate = quoted ? trimmed(token) : token
        if let value = DecimalParser.parse(UnsafeRawBufferPointer(candidate)),
           !(abs(value) >= Column.largestExactInteger && DecimalParser.isIntegerBeyondExactRange(candidate)) {
            column.append(value)
            return true
        }
        // The first non-number (or an integer too large for a double to keep distinct from its
        // neighbours, whose digits only text keeps): the column is text from now on. Earlier rows of this chunk were
        // stored as numbers, whose text is gone, so re-read just this column from the chunk's
        // bytes; exact text matters because "01" and "1" are different levels.
        let earlier = ChunkParser(layout: layout.keeping(slots: [slot]), knownText: [true])
            .parse(chunkStart, recordStart)
        column.takeText(from: &earlier.columns.sinks[0])
        column.firstNonNumeric = (line, Array(token))
        guard let code = Self.textCode(token, in: column) else { return false }
        column.append(code: code)
        return true
    }

    /// The dictionary code of a text token, or nil when the token is new to the dictionary and
    /// holds a NUL byte.
    @inline(__always)
    static func textCode(_ token: UnsafeBufferPointer<UInt8>, in column: ColumnSink) -> Int32? {
        let known = column.dictionary.count
        let code = column.dictionary.code(for: UnsafeRawBufferPointer(token))
        if column.dictionary.count != known, let base = token.baseAddress, memchr(base, 0, token.count) != nil { return nil }
        return code
    }

    /// The padding-trimmed view of a token.
    @inline(__always)
    func trimmed(_ token: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let base = token.baseAddress else { return token }
        return trimmed(base, base + token.count)
    }

    /// The number of fields on a line that already had `fieldsSoFar` fields before the
    /// delimiter at `start`, for the message about a too-long line.
    func countFields(from start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, after fieldsSoFar: Int) -> Int {
        var p = start
        var found = fieldsSoFar
        while p < end && p.pointee == layout.delimiter {
            p += 1
            found += 1
            if p < end && p.pointee == .quote {
                guard let quoted = scanQuoted(p, end) else { return found }
                p = quoted.fieldEnd
            } else {
                while p < end && p.pointee != layout.delimiter && p.pointee != .newline { p += 1 }
            }
        }
        return found
    }
}
