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
///
/// This runs on one thread before a block's chunks are parsed, so it is kept cheap: one walk
/// from quote to quote with `memchr`, and the last break found by looking back from the end
/// once, then checking that no quoted field covers it.
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
        // The last line break of all; usually it ends a record, which the walk confirms.
        var candidate = count - 1
        while candidate >= 0 && base[candidate] != .newline { candidate -= 1 }
        var covered = false
        var position = 0
        var targetIndex = 0
        walk: while true {
            // An unquoted stretch runs to the next quote (or the end); all its line breaks end records.
            let quote = Self.find(.quote, base, from: position, to: count) ?? count
            while targetIndex < targets.count {
                let target = max(targets[targetIndex], position)
                if target >= quote { break }
                guard let lineBreak = Self.find(.newline, base, from: target, to: quote) else { break }
                splits.append(lineBreak + 1)
                targetIndex += 1
            }
            if quote == count { break walk }
            let atFieldStart = quote == 0 || base[quote - 1] == .newline || base[quote - 1] == delimiter
            guard atFieldStart else {
                // A quote inside an unquoted field is an ordinary character.
                position = quote + 1
                continue walk
            }
            switch Self.closingQuote(base, opening: quote, count: count, atEndOfInput: atEndOfInput) {
            case .closed(let closing):
                if quote < candidate && candidate < closing { covered = true }
                position = closing + 1
            case .open:
                openQuote = quote
                if candidate > quote { covered = true }
                break walk
            }
        }
        if atEndOfInput && openQuote == nil {
            completeEnd = count
        } else if !covered {
            completeEnd = candidate + 1
        } else {
            // A line break inside quoted text near the end: find the last one outside quotes.
            completeEnd = Self.lastRecordBreak(base, count: count, delimiter: delimiter, atEndOfInput: atEndOfInput) + 1
        }
        // Splits at or past the complete end would make empty or incomplete chunks.
        var unique: [Int] = []
        for split in splits where split < completeEnd && split > (unique.last ?? 0) {
            unique.append(split)
        }
        splits = unique
    }

    /// How a quoted field ends within the buffer.
    private enum Closing {
        case closed(at: Int)
        case open
    }

    /// Finds the quote closing the field opened at `opening`, skipping doubled quotes.
    @inline(__always)
    private static func closingQuote(
        _ base: UnsafePointer<UInt8>, opening: Int, count: Int, atEndOfInput: Bool
    ) -> Closing {
        var inside = opening + 1
        while true {
            guard let closing = find(.quote, base, from: inside, to: count) else { return .open }
            if closing + 1 == count {
                // The next block might start with a second quote, making this one doubled.
                return atEndOfInput ? .closed(at: closing) : .open
            }
            if base[closing + 1] != .quote { return .closed(at: closing) }
            inside = closing + 2
        }
    }

    /// The offset of the last line break outside quoted fields, or -1: a full walk that looks
    /// back through every unquoted stretch. Only needed when quoted text holds line breaks.
    private static func lastRecordBreak(
        _ base: UnsafePointer<UInt8>, count: Int, delimiter: UInt8, atEndOfInput: Bool
    ) -> Int {
        var position = 0
        var lastBreak = -1
        while true {
            let quote = find(.quote, base, from: position, to: count) ?? count
            var back = quote - 1
            while back >= position && base[back] != .newline { back -= 1 }
            if back >= position { lastBreak = back }
            if quote == count { return lastBreak }
            let atFieldStart = quote == 0 || base[quote - 1] == .newline || base[quote - 1] == delimiter
            guard atFieldStart else {
                position = quote + 1
                continue
            }
            switch closingQuote(base, opening: quote, count: count, atEndOfInput: atEndOfInput) {
            case .closed(let closing):
                position = closing + 1
            case .open:
                return lastBreak
            }
        }
    }

    /// The first offset of `byte` in `from..<to`. The next 64 bytes are searched eight at a
    /// time in a register, which beats a call for the short distances between the quotes of
    /// quoted values; `memchr` takes longer distances.
    @inline(__always)
    static func find(_ byte: UInt8, _ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var index = from
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        let near = min(to, from + 64)
        while index + 8 <= near {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) ^ pattern
            // The lowest byte of `word` that is zero sets the lowest bit of this mask; borrows
            // can only mark bytes above it, so the first match is exact.
            let matches = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
            if matches != 0 { return index + matches.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < near {
            if base[index] == byte { return index }
            index += 1
        }
        guard index < to, let hit = memchr(base + index, Int32(byte), to - index) else { return nil }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    }
}
