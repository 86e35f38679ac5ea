import Dispatch
/// Reads Apache Arrow IPC files (Feather v2) into a `DataTable`, without Arrow's C++ library.
///
/// The file is memory-mapped; uncompressed buffers are read in place and LZ4-frame or ZSTD
/// buffers are decompressed batch by batch. Integers, floats and booleans (as 0/1) become
/// numeric columns; strings, dictionary-encoded strings (pandas categoricals, polars
/// categoricals), dates and timestamps (as ISO 8601 text) become text columns, with levels in
/// order of first appearance as the CSV reader numbers them. Nulls are missing, and so is text
/// equal to a missing token. Columns that are not kept are skipped without being decoded, so a
/// list or struct column the model does not use does no harm; a kept column of such a type is
/// an `unsupportedType` error naming the column and the type.
public enum ArrowReader {
    /// A kept column's values as batches are read.
    private enum Accumulator {
        case numbers([Double])
        case text(TextColumnBuilder)
    }

    /// A dictionary's values (Message.fbs `DictionaryBatch`).
    private enum Dictionary {
        case numbers([Double])
        case strings([String?])
    }

    /// Reads the Arrow IPC file at `path`.
    public static func read(path: String, options: CSVReadOptions = .init()) throws(CSVError) -> DataTable {
        let started = ContinuousClock.now
        let mapped = try MappedFile(path: path)
        let file = try ArrowFile(bytes: mapped.bytes, source: path)
        let fields = file.fields
        let kept = try ColumnSelection.keptIndices(names: fields.map(\.name), keep: options.keepColumns, source: path)
        var accumulators: [Accumulator] = []
        for index in kept {
            let field = fields[index]
            if case .unsupported = field.type {
                throw CSVError.unsupportedType(source: path, column: field.name, type: field.typeDescription)
            }
            accumulators.append(isText(field.type) ? .text(TextColumnBuilder(missingTokens: options.missingTokens)) : .numbers([]))
        }
        let keptPosition = Swift.Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($0.element, $0.offset) })
        let dictionaries = try readDictionaries(file, fields: kept.map { fields[$0] }, source: path)
        // The batches' metadata first, so each column is allocated once at its full length:
        // growing 10^7-row columns batch by batch cost more in page faults than the copying.
        let batches = try file.recordBatchBlocks.map { block throws(CSVError) in
            let (header, body) = try file.message(block: block, expectedHeader: 3)
            return try file.recordBatch(header, body: body)
        }
        let totalRows = batches.reduce(0) { $0 + $1.length }
        for index in accumulators.indices {
            if case .numbers = accumulators[index] { accumulators[index] = .numbers(reservedColumn(totalRows)) }
        }
        let rowCount = totalRows
        // Where each kept field starts in each batch: a walk over the metadata only.
        var starts = [[(node: Int, buffer: Int, variadic: Int)]]()
        starts.reserveCapacity(batches.count)
        for batch in batches {
            var cursor = (node: 0, buffer: 0, variadic: 0)
            var fieldStarts = [(node: Int, buffer: Int, variadic: Int)](repeating: (0, 0, 0), count: kept.count)
            for (index, field) in fields.enumerated() {
                if let position = keptPosition[index] { fieldStarts[position] = cursor }
                try skip(field, batch: batch, cursor: &cursor, file: file)
            }
            starts.append(fieldStarts)
        }
        // Columns are independent, so they are decoded in parallel: the copy and conversion
        // into fresh memory dominate an uncompressed read (its first-touch page faults among
        // them), and one thread left a 10^7-row read at 0.12 s, under 4 times the CSV parser's.
        // Each column gets its own view of each batch's buffers, which decompresses only what
        // that column needs.
        let count = accumulators.count
        let outcomes = UnsafeMutablePointer<Result<Accumulator, CSVError>>.allocate(capacity: max(count, 1))
        for (position, accumulator) in accumulators.enumerated() { (outcomes + position).initialize(to: .success(accumulator)) }
        defer {
            outcomes.deinitialize(count: count)
            outcomes.deallocate()
        }
        accumulators = []
        let job = ColumnDecoding(
            outcomes: outcomes, batches: batches, starts: starts, fields: kept.map { fields[$0] }, dictionaries: dictionaries,
            file: file)
        if options.threads > 1, count > 1 {
            DispatchQueue.concurrentPerform(iterations: count) { job.decode(column: $0) }
        } else {
            for position in 0..<count { job.decode(column: position) }
        }
        for position in 0..<count { accumulators.append(try outcomes[position].get()) }
        var columns: [Column] = accumulators.map { accumulator in
            switch accumulator {
            case .numbers(let values): .numeric(values)
            case .text(let builder): builder.finish()
            }
        }
        for (position, index) in kept.enumerated() {
            if let exact = try exactIntegerColumn(
                fields[index], column: columns[position], batches: batches, starts: starts.map { $0[position] },
                file: file, missingTokens: options.missingTokens) {
                columns[position] = exact
            }
        }
        for (column, index) in zip(columns, kept) where column.count != rowCount {
            throw file.fail("column '\(fields[index].name)' has \(column.count) values in a file of \(rowCount) rows")
        }
        let elapsed = started.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return DataTable(
            source: path, names: kept.map { fields[$0].name }, columns: columns, rowCount: rowCount,
            readStatistics: ReadStatistics(bytes: mapped.bytes.count, seconds: seconds))
    }

    /// One column's decoding over every batch, run on its own thread: each writes only its own
    /// slot of `outcomes` and reads the rest.
    private struct ColumnDecoding: @unchecked Sendable {
        let outcomes: UnsafeMutablePointer<Result<Accumulator, CSVError>>
        let batches: [ArrowFile.RecordBatch]
        let starts: [[(node: Int, buffer: Int, variadic: Int)]]
        let fields: [ArrowField]
        let dictionaries: [Int64: Dictionary]
        let file: ArrowFile

        func decode(column position: Int) {
            guard case .success(var accumulator) = outcomes[position] else { return }
            outcomes[position] = .success(.numbers([]))  // hands the storage over, so appending does not copy it
            do throws(CSVError) {
                for (batchIndex, batch) in batches.enumerated() {
                    let buffers = ArrowBatchBuffers(batch: batch, fail: file.fail)
                    try ArrowReader.decode(
                        fields[position], buffers: buffers, cursor: starts[batchIndex][position], dictionaries: dictionaries,
                        into: &accumulator, file: file)
                }
                outcomes[position] = .success(accumulator)
            } catch {
                outcomes[position] = .failure(error)
            }
        }
    }

    /// An empty column with room for `rows` values, its pages marked for huge pages.
    private static func reservedColumn(_ rows: Int) -> [Double] {
        [Double](unsafeUninitializedCapacity: rows) { buffer, count in
            MemoryAdvice.preferHugePages(UnsafeMutableRawBufferPointer(buffer))
            count = 0
        }
    }

    /// Whether a type becomes a text column.
    private static func isText(_ type: ArrowField.DataType) -> Bool {
        switch type {
        case .utf8, .largeUtf8, .utf8View, .date, .timestamp: true
        default: false
        }
    }

    /// Decodes one kept top-level field of a record batch, whose nodes and buffers start at
    /// `cursor`, and appends it to its column.
    private static func decode(
        _ field: ArrowField, buffers: ArrowBatchBuffers, cursor: (node: Int, buffer: Int, variadic: Int),
        dictionaries: [Int64: Dictionary], into accumulator: inout Accumulator, file: ArrowFile
    ) throws(CSVError) {
        let batch = buffers.batch
        guard cursor.node < batch.nodes.count else { throw file.fail("a record batch has fewer columns than the schema") }
        let node = batch.nodes[cursor.node]
        guard node.length == batch.length else {
            throw file.fail("column '\(field.name)' has \(node.length) rows in a batch of \(batch.length)")
        }
        let decoder = ArrowArrayDecoder(buffers: buffers, column: field.name, fail: file.fail)
        let variadic = field.isView ? (cursor.variadic < batch.variadicBufferCounts.count ? batch.variadicBufferCounts[cursor.variadic] : -1) : 0
        guard variadic >= 0, variadic < 1 << 20 else { throw file.fail("column '\(field.name)' lacks its count of data buffers") }
        if let encoding = field.dictionary {
            guard let dictionary = dictionaries[encoding.id] else {
                throw file.fail("column '\(field.name)' refers to dictionary \(encoding.id), which the file lacks")
            }
            let indices = try decoder.indices(width: encoding.bitWidth, node: node, firstBuffer: cursor.buffer)
            try gather(indices, from: dictionary, into: &accumulator, column: field.name, file: file)
        } else {
            switch accumulator {
            case .numbers(var values):
                accumulator = .numbers([])  // hands the storage over, so appending does not copy it
                try decoder.appendNumbers(field.type, node: node, firstBuffer: cursor.buffer, into: &values)
                accumulator = .numbers(values)
            case .text(var builder):
                for value in try decoder.strings(field.type, node: node, firstBuffer: cursor.buffer, variadicCount: variadic) {
                    builder.append(value)
                }
                accumulator = .text(builder)
            }
        }
    }

    /// Appends the dictionary values that `indices` pick (`-1` for null).
    private static func gather(
        _ indices: [Int], from dictionary: Dictionary, into accumulator: inout Accumulator, column: String, file: ArrowFile
    ) throws(CSVError) {
        let size = switch dictionary {
        case .numbers(let values): values.count
        case .strings(let values): values.count
        }
        if let bad = indices.first(where: { $0 >= size || $0 < -1 }) {
            throw file.fail("column '\(column)' has dictionary index \(bad) in a dictionary of \(size) values")
        }
        switch (accumulator, dictionary) {
        case (.text(var builder), .strings(let values)):
            accumulator = .numbers([])
            builder.append(indices: indices.lazy.map { $0 < 0 ? nil : $0 }, dictionary: values)
            accumulator = .text(builder)
        case (.numbers(var output), .numbers(let values)):
            accumulator = .numbers([])
            output.append(contentsOf: indices.lazy.map { $0 < 0 ? .nan : values[$0] })
            accumulator = .numbers(output)
        default:
            throw file.fail("column '\(column)' has a dictionary whose values do not match its type")
        }
    }

    /// Moves the cursor past a field's nodes and buffers, children included (a field's nodes
    /// and buffers come in pre-order: Message.fbs `RecordBatch`).
    private static func skip(
        _ field: ArrowField, batch: ArrowFile.RecordBatch, cursor: inout (node: Int, buffer: Int, variadic: Int), file: ArrowFile
    ) throws(CSVError) {
        cursor.node += 1
        cursor.buffer += field.ownBufferCount
        if field.isView {
            guard cursor.variadic < batch.variadicBufferCounts.count else { throw file.fail("column '\(field.name)' lacks its count of data buffers") }
            cursor.buffer += max(0, min(batch.variadicBufferCounts[cursor.variadic], 1 << 20))
            cursor.variadic += 1
        }
        // A dictionary-encoded field's children belong to its dictionary batch, not here.
        guard field.dictionary == nil else { return }
        for child in field.children { try skip(child, batch: batch, cursor: &cursor, file: file) }
    }

    /// Reads the dictionaries the kept fields use; a delta batch extends its dictionary.
    private static func readDictionaries(_ file: ArrowFile, fields: [ArrowField], source: String) throws(CSVError) -> [Int64: Dictionary] {
        var fieldOfDictionary: [Int64: ArrowField] = [:]
        for field in fields {
            guard let encoding = field.dictionary else { continue }
            if case .unsupported = field.type {
                throw CSVError.unsupportedType(source: source, column: field.name, type: "dictionary<\(field.typeDescription)>")
            }
            fieldOfDictionary[encoding.id] = field
        }
        var dictionaries: [Int64: Dictionary] = [:]
        guard !fieldOfDictionary.isEmpty else { return dictionaries }
        for block in file.dictionaryBlocks {
            let (header, body) = try file.message(block: block, expectedHeader: 2)
            // DictionaryBatch: id (0), data (1), isDelta (2).
            let id = try header.scalar(0, as: Int64.self)
            guard let field = fieldOfDictionary[id] else { continue }
            guard let data = try header.table(1) else { throw file.fail("dictionary \(id) has no data") }
            let isDelta = try header.scalar(2, as: UInt8.self) != 0
            let buffers = ArrowBatchBuffers(batch: try file.recordBatch(data, body: body), fail: file.fail)
            guard let node = buffers.batch.nodes.first else { throw file.fail("dictionary \(id) has no values") }
            let decoder = ArrowArrayDecoder(buffers: buffers, column: field.name, fail: file.fail)
            let previous = isDelta ? dictionaries[id] : nil
            if isText(field.type) {
                let variadic = buffers.batch.variadicBufferCounts.first ?? 0
                let values = try decoder.strings(field.type, node: node, firstBuffer: 0, variadicCount: max(0, min(variadic, 1 << 20)))
                if case .strings(let earlier) = previous { dictionaries[id] = .strings(earlier + values) } else { dictionaries[id] = .strings(values) }
            } else {
                var values: [Double] = []
                if case .numbers(let earlier) = previous { values = earlier }
                try decoder.appendNumbers(field.type, node: node, firstBuffer: 0, into: &values)
                dictionaries[id] = .numbers(values)
            }
        }
        return dictionaries
    }
}
