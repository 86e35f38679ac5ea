#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where records end in a buffer that starts at a record start: the line breaks that are not
/// inside quoted fields.
///
/// The streaming reader needs the last such break to know how much of a block is complete, and
/// breaks near evenly spaced targets to split the block into chunks for parallel parsing. A
/// quote opens a quoted field only as the first byte of a field (RFC 4180), exactly as
/// `ChunkParser` reads it, so both always agree where records are.
struct RecordBoundaries {
    /// Offsets just past a record-ending line break, one at or after each target (duplicates
    /// dropped), all before `completeEnd`.
    var splits: [Int] = []
    /// The end of the last complete record: just past the last record-ending line break, or the
    /// buffer's end at the end of the input. Zero when no record is complete yet.
    var completeEnd = 0
    /// The offset of a quote whose field is still open at the end of the buffer.
    var openQuote: Int?

    /// Scans `buffer`; `targets` must be ascending. At the end of the input the last record
    /// needs no line break, and a quote at the very end closes its field.
    init(_ buffer: UnsafeBufferPointer<UInt8>, delimiter: UInt8, targets: [Int], atEndOfInput: Bool) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        let count = buffer.count
        var targetIndex = 0
        var position = 0
        var lastBreak = -1
        walk: while true {
            // An unquoted stretch runs to the next quote (or the end); all its line breaks end records.
            let quote = Self.find(.quote, base, from: position, to: count) ?? count
            while targetIndex < targets.count {
                let target = max(targets[targetIndex], position)
                if target >= quote { break }
                if let lineBreak = Self.find(.newline, base, from: target, to: quote) {
                    splits.append(lineBreak + 1)
                    targetIndex += 1
                } else {
                    break
                }
            }
            var back = quote - 1
            while back >= position && base[back] != .newline { back -= 1 }
            if back >= position { lastBreak = back }
            if quote == count { break walk }
            let atFieldStart = quote == 0 || base[quote - 1] == .newline || base[quote - 1] == delimiter
            guard atFieldStart else {
                // A quote inside an unquoted field is an ordinary character.
                position = quote + 1
                continue walk
            }
            var inside = quote + 1
            while true {
                guard let closing = Self.find(.quote, base, from: inside, to: count) else {
                    openQuote = quote
                    break walk
                }
                if closing + 1 == count {
                    // The next block might start with a second quote, making this one doubled.
                    if atEndOfInput {
                        position = count
                        break walk
                    }
                    openQuote = quote
                    break walk
                }
                if base[closing + 1] == .quote {
                    inside = closing + 2
                    continue
                }
                position = closing + 1
                continue walk
            }
        }
        if atEndOfInput && openQuote == nil {
            completeEnd = count
        } else {
            completeEnd = lastBreak + 1
        }
        // Splits at or past the complete end would make empty or incomplete chunks.
        var unique: [Int] = []
        for split in splits where split < completeEnd && split > (unique.last ?? 0) {
            unique.append(split)
        }
        splits = unique
    }

    /// The first offset of `byte` in `from..<to`, found with `memchr`.
    @inline(__always)
    static func find(_ byte: UInt8, _ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to else { return nil }
        guard let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    }
}
