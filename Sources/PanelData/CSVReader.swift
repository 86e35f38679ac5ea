/// Reads CSV files (or standard input, or bytes in memory) into a `DataTable`.
///
/// The input is streamed in blocks of a few MB, each parsed by `threads` threads; columns are
/// typed on the fly (numeric unless some non-missing value is not a number) and text columns
/// are coded as factors. See `ChunkParser` for the parsing rules.
public struct CSVReader {
    /// Reads the CSV file at `path`; the path "-" reads standard input to its end.
    public static func read(path: String, options: CSVReadOptions = .init()) throws(CSVError) -> DataTable {
        let started = ContinuousClock.now
        let source = try ByteSource(path: path)
        return try read(from: source, options: options, started: started)
    }

    /// Reads gzip-compressed CSV at `path` ("-" for standard input), inflating it as it is parsed.
    public static func read(gzipPath path: String, options: CSVReadOptions = .init()) throws(CSVError) -> DataTable {
        let started = ContinuousClock.now
        let source = try ByteSource(path: path, gzip: true)
        return try read(from: source, options: options, started: started)
    }

    /// Reads CSV text held in memory; `source` names it in messages and in the table.
    public static func read(
        bytes: UnsafeRawBufferPointer, source: String, options: CSVReadOptions
    ) throws(CSVError) -> DataTable {
        let started = ContinuousClock.now
        return try read(from: ByteSource(bytes: bytes, name: source), options: options, started: started)
    }

    /// Reads the header, checks the names, then streams the data records into columns.
    private static func read(
        from source: ByteSource, options: CSVReadOptions, started: ContinuousClock.Instant
    ) throws(CSVError) -> DataTable {
        let delimiter = options.delimiter
        if delimiter == .quote || delimiter == .newline || delimiter == UInt8(ascii: "\r") {
            throw CSVError(
                .unreadable, source: source.name,
                message: "\(source.name): the delimiter cannot be a quote or a line break")
        }
        let blockSize = max(1, options.blockSize)
        // With several threads, the next block is read while this one is parsed; with one,
        // the reader stays on the calling thread. Bytes in memory are read on the calling thread
        // too: the read-ahead thread may outlive an early error return, and the caller's buffer
        // must not be read after it is handed back (a use-after-free found by fuzzing); copying
        // from memory gains nothing from a second thread anyway.
        let stream = BlockStream(
            name: source.name, readAheadBlockSize: options.threads > 1 && !source.isInMemory ? blockSize : nil
        ) { _, buffer throws(CSVError) in
            try source.readNext(into: buffer)
        }
        let header = try HeaderReader.read(stream, blockSize: blockSize, delimiter: delimiter, source: source.name)
        let kept = try keptFields(header, options: options, source: source.name)
        let layout = ParseLayout(
            delimiter: delimiter, fieldCount: header.names.count, keptFields: kept,
            missing: MissingTokens(options.missingTokens))
        var pipeline = BlockPipeline(
            source: source, layout: layout, options: options, dataStart: stream.offset,
            dropsTrailingBlankLines: true, builders: kept.map { _ in ColumnBuilder() })
        try pipeline.run(stream, firstLine: header.dataLine)
        let elapsed = started.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return DataTable(
            source: source.name, names: kept.map { header.names[$0] },
            columns: pipeline.builders.map { $0.finish() }, rowCount: pipeline.rowCount,
            readStatistics: ReadStatistics(bytes: source.consumed, seconds: seconds))
    }

    /// The field positions to materialise, in file order, after checking the names.
    private static func keptFields(
        _ header: HeaderReader.Header, options: CSVReadOptions, source: String
    ) throws(CSVError) -> [Int] {
        try ColumnSelection.keptIndices(
            names: header.names, keep: options.keepColumns, source: source, headerLine: header.line)
    }
}
