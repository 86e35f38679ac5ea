import Dispatch

/// Parses the data records of an input block by block: each block is cut at the last complete
/// record, split at record boundaries into one chunk per thread, parsed in parallel, and the
/// chunks' columns are appended in input order, so the result never depends on the thread count.
struct BlockPipeline {
    let source: ByteSource
    let layout: ParseLayout
    let threads: Int
    let blockSize: Int
    let minimumChunkBytes: Int
    /// The input offset of the first data record, where re-reading earlier rows starts.
    let dataStart: Int
    /// Whether whitespace-only lines at the end of the input are dropped. True for a whole
    /// input; false when re-reading a prefix, whose end is not the input's end.
    let dropsTrailingBlankLines: Bool
    /// One builder per kept column.
    var builders: [ColumnBuilder]
    /// Data rows appended so far.
    var rowCount = 0
    var reservedCapacity = false
    /// Column buffers of the previous block's chunks, reused by the next block's chunks.
    private var spareColumns: [ChunkColumns] = []

    /// A pipeline over `source` with the threads and block sizes of `options`.
    init(
        source: ByteSource, layout: ParseLayout, options: CSVReadOptions, dataStart: Int,
        dropsTrailingBlankLines: Bool, builders: [ColumnBuilder]
    ) {
        self.source = source
        self.layout = layout
        self.threads = min(max(1, options.threads), 256)
        self.blockSize = max(1, options.blockSize)
        self.minimumChunkBytes = max(1, options.minimumChunkBytes)
        self.dataStart = dataStart
        self.dropsTrailingBlankLines = dropsTrailingBlankLines
        self.builders = builders
    }

    /// Parses everything `stream` delivers; `firstLine` is the line number of its first byte.
    mutating func run(_ stream: BlockStream, firstLine: Int) throws(CSVError) {
        var line = firstLine
        while true {
            try stream.fill(blockSize)
            let atEnd = stream.atEnd
            let bytes = stream.bytes
            guard let base = bytes.baseAddress, bytes.count > 0 else { return }
            let chunkCount = max(1, min(threads, bytes.count / minimumChunkBytes))
            let targets = (0..<chunkCount).dropFirst().map { $0 * (bytes.count / chunkCount) }
            let bounds = RecordBoundaries(bytes, delimiter: layout.delimiter, targets: targets, atEndOfInput: atEnd)
            // A quote still open at the end is an error, but records before it come first, so
            // an earlier error in them is the one reported, whatever the block size.
            let openQuoteLine = atEnd ? bounds.openQuote.map { line + Self.lineBreaks(in: bytes, upTo: $0) } : nil
            var complete = bounds.completeEnd
            if let openQuoteLine, complete == 0 {
                throw CSVError.unterminatedQuote(source: source.name, line: openQuoteLine)
            }
            if openQuoteLine == nil && (atEnd ? dropsTrailingBlankLines : layout.fieldCount == 1) {
                // With one column a blank line is a missing value, unless only blank lines follow
                // it; hold such lines back until later input shows which they are.
                complete = endOfContent(bytes, upTo: complete)
            }
            if complete == 0 {
                if atEnd { return }
                continue
            }
            var starts = [0]
            for split in bounds.splits where split < complete { starts.append(split) }
            let ranges = starts.indices.map { i in starts[i]..<(i + 1 < starts.count ? starts[i + 1] : complete) }
            let results = parseChunks(base, ranges)
            line = try merge(results, ranges: ranges, base: base, bufferOffset: stream.offset, firstLine: line)
            spareColumns = results.map(\.columns)
            stream.consume(complete)
            if let openQuoteLine {
                throw CSVError.unterminatedQuote(source: source.name, line: openQuoteLine)
            }
            reserveIfUseful(consumed: stream.offset - dataStart)
            if atEnd { return }
        }
    }

    /// Parses the chunks, in parallel when there are several.
    private mutating func parseChunks(_ base: UnsafePointer<UInt8>, _ ranges: [Range<Int>]) -> [ChunkResult] {
        let parser = ChunkParser(layout: layout, knownText: builders.map(\.isText))
        let spare = spareColumns
        if ranges.count == 1, let range = ranges.first {
            return [parser.parse(base + range.lowerBound, base + range.upperBound, reusing: spare.first)]
        }
        let count = ranges.count
        let output = UnsafeMutablePointer<ChunkResult?>.allocate(capacity: count)
        output.initialize(repeating: nil, count: count)
        defer {
            output.deinitialize(count: count)
            output.deallocate()
        }
        let shared = SharedBuffers(input: base, output: output, spare: spare)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let range = ranges[index]
            shared.output[index] = parser.parse(
                shared.input + range.lowerBound, shared.input + range.upperBound,
                reusing: index < shared.spare.count ? shared.spare[index] : nil)
        }
        return (0..<count).compactMap { output[$0] }
    }

    /// After the first block of an input of known size, reserves column capacity for the
    /// expected row count, so columns are not copied while they grow.
    private mutating func reserveIfUseful(consumed: Int) {
        guard !reservedCapacity, let size = source.knownSize, consumed > 0, rowCount > 0 else { return }
        reservedCapacity = true
        let expected = Double(rowCount) * Double(size - dataStart) / Double(consumed)
        guard expected.isFinite, expected < 1e11 else { return }
        // A little slack absorbs rows that are shorter later on; the untouched tail of a large
        // allocation costs address space, not resident memory.
        let rows = Int(expected * 1.03) + 1024
        for slot in builders.indices {
            builders[slot].reserve(rows: rows)
        }
    }

    /// Where content ends before `limit`: just past the line break ending the last line that
    /// holds more than padding, or `limit` if that line has no break; 0 if all lines are blank.
    private func endOfContent(_ bytes: UnsafeBufferPointer<UInt8>, upTo limit: Int) -> Int {
        var end = limit
        while end > 0 && (bytes[end - 1] == .newline || layout.isPadding(bytes[end - 1])) { end -= 1 }
        if end == 0 { return 0 }
        while end < limit && bytes[end] != .newline { end += 1 }
        return end < limit ? end + 1 : limit
    }

    /// The number of line breaks in `bytes[0..<end]`.
    static func lineBreaks(in bytes: UnsafeBufferPointer<UInt8>, upTo end: Int) -> Int {
        var count = 0
        for index in 0..<min(end, bytes.count) where bytes[index] == .newline { count += 1 }
        return count
    }
}

/// The block, result slots and spare column buffers shared with the parallel workers. Sharing
/// is safe because the block is only read while they run and each worker touches only its own
/// result slot and its own spare columns.
private struct SharedBuffers: @unchecked Sendable {
    let input: UnsafePointer<UInt8>
    let output: UnsafeMutablePointer<ChunkResult?>
    let spare: [ChunkColumns]
}

