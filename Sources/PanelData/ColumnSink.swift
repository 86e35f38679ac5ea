#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The values one chunk contributes to one kept column, in raw growable buffers.
///
/// Raw buffers rather than arrays because the parser appends tens of millions of values:
/// `Array.append` checks uniqueness and capacity on every call, and fresh arrays per block
/// fault in new pages; these buffers are reused from block to block by `ChunkColumns`.
struct ColumnSink {
    /// Whether the column is coded as text in this chunk (`codes`), rather than numbers (`values`).
    var isText = false
    private(set) var values: UnsafeMutablePointer<Double>?
    private(set) var valueCount = 0
    private var valueCapacity = 0
    private(set) var codes: UnsafeMutablePointer<Int32>?
    private(set) var codeCount = 0
    private var codeCapacity = 0
    /// This chunk's own levels; the merge maps them onto the table's levels.
    var dictionary = TokenDictionary()
    /// The first field in this chunk that was neither missing nor a number, with its line
    /// counted from the chunk's first line (0).
    var firstNonNumeric: (line: Int, value: [UInt8])?
    /// Set when a buffer could not grow; the reader then reports an error instead of trapping.
    private(set) var allocationFailed = false

    /// The numbers appended so far.
    var valueBuffer: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: values, count: valueCount) }
    /// The codes appended so far.
    var codeBuffer: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: codes, count: codeCount) }

    /// Appends a number. (A free slot means capacity > 0, so the buffer exists and the
    /// unchecked unwrap is sound; a failed growth drops the value and sets `allocationFailed`.)
    @inline(__always)
    mutating func append(_ value: Double) {
        if valueCount == valueCapacity && !growValues(to: valueCount + 1) { return }
        values.unsafelyUnwrapped[valueCount] = value
        valueCount += 1
    }

    /// Appends a code; see `append(_:)` for why the unwrap is sound.
    @inline(__always)
    mutating func append(code: Int32) {
        if codeCount == codeCapacity && !growCodes(to: codeCount + 1) { return }
        codes.unsafelyUnwrapped[codeCount] = code
        codeCount += 1
    }

    /// Empties the column for the next chunk, keeping its buffers.
    mutating func reset(isText: Bool) {
        self.isText = isText
        valueCount = 0
        codeCount = 0
        dictionary.removeAll()
        firstNonNumeric = nil
        allocationFailed = false
    }

    /// Turns the column into text holding the codes and levels of `other` (which gets this
    /// column's codes buffer in exchange, so both stay owned exactly once).
    mutating func takeText(from other: inout ColumnSink) {
        isText = true
        valueCount = 0
        swap(&codes, &other.codes)
        swap(&codeCount, &other.codeCount)
        swap(&codeCapacity, &other.codeCapacity)
        swap(&dictionary, &other.dictionary)
    }

    /// Releases the buffers; the sink must not be used afterwards.
    mutating func release() {
        free(values)
        free(codes)
        values = nil
        codes = nil
        valueCapacity = 0
        codeCapacity = 0
    }

    /// Grows the numbers' buffer; on failure records it and keeps the old buffer.
    @inline(never)
    private mutating func growValues(to minimum: Int) -> Bool {
        let grown = Self.grow(&values, capacity: &valueCapacity, to: minimum)
        if !grown { allocationFailed = true }
        return grown
    }

    /// Grows the codes' buffer; on failure records it and keeps the old buffer.
    @inline(never)
    private mutating func growCodes(to minimum: Int) -> Bool {
        let grown = Self.grow(&codes, capacity: &codeCapacity, to: minimum)
        if !grown { allocationFailed = true }
        return grown
    }

    /// Doubles `buffer` (to at least `minimum` elements, and 1,024 at first) with `realloc`; false,
    /// with `buffer` and `capacity` unchanged, when the allocation fails.
    private static func grow<Element>(
        _ buffer: inout UnsafeMutablePointer<Element>?, capacity: inout Int, to minimum: Int
    ) -> Bool {
        let newCapacity = max(minimum, capacity * 2, 1024)
        guard let grown = realloc(buffer, newCapacity * MemoryLayout<Element>.stride) else { return false }
        buffer = grown.assumingMemoryBound(to: Element.self)
        capacity = newCapacity
        return true
    }
}
