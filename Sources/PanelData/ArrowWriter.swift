#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a `DataTable` as an uncompressed Arrow IPC file (Feather v2) that pandas, pyarrow,
/// polars and R's arrow read, and that `ArrowReader` maps back without parsing.
///
/// Numeric columns become nullable float64 (missing values null); text columns become
/// dictionary-encoded strings with int32 indices (pandas reads them as categoricals, R as
/// factors), their levels in Quipu's order. Rows go in record batches of at most `batchRows`.
/// The layout follows Arrow's Columnar.rst ("IPC File Format", "Encapsulated message format"):
/// every message is 8-byte aligned, as is every buffer in a body.
public enum ArrowWriter {
    /// Rows per record batch: large enough that per-batch metadata costs nothing, small enough
    /// that readers which hold one batch at a time stay lean.
    public static let batchRows = 1 << 20

    /// Writes `table` to `path` through a temporary file beside it, so a failed write leaves no
    /// partial file behind.
    public static func write(_ table: DataTable, to path: String) throws(CSVError) {
        let temporary = path + ".quipu-partial-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CSVError(.unreadable, source: path, message: "\(path): cannot write (\(ByteSource.reason(errno)))")
        }
        var output = Output(descriptor: descriptor, path: path)
        do throws(CSVError) {
            try writeFile(table, to: &output)
            guard close(descriptor) == 0 else { throw output.failure(errno) }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw CSVError(.unreadable, source: path, message: "\(path): cannot write (\(ByteSource.reason(code)))")
        }
    }

    /// The bytes written so far and where they go.
    private struct Output {
        let descriptor: Int32
        let path: String
        var position = 0

        func failure(_ code: Int32) -> CSVError {
            CSVError(.unreadable, source: path, message: "\(path): write failed (\(ByteSource.reason(code)))")
        }

        mutating func write(_ bytes: UnsafeRawBufferPointer) throws(CSVError) {
            if let code = Self.writeAll(descriptor, bytes) { throw failure(code) }
            position += bytes.count
        }

        mutating func write(_ bytes: [UInt8]) throws(CSVError) {
            if let code = bytes.withUnsafeBytes({ Self.writeAll(descriptor, $0) }) { throw failure(code) }
            position += bytes.count
        }

        /// Writes all of `bytes`; returns errno on failure.
        private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
            guard let base = bytes.baseAddress else { return nil }
            var done = 0
            while done < bytes.count {
                let result = Glibc.write(descriptor, base + done, bytes.count - done)
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += result
            }
            return nil
        }
    }

    /// A written message's place, for the footer's Block: offset, metadata length, body length.
    private typealias Block = (offset: Int, metadataLength: Int, bodyLength: Int)

    private static func writeFile(_ table: DataTable, to output: inout Output) throws(CSVError) {
        try output.write(Array("ARROW1".utf8) + [0, 0])
        let schema = schemaTable(table)
        _ = try writeMessage(headerType: 1, header: schema, body: [], to: &output)
        var dictionaries: [Block] = []
        for (index, column) in table.columns.enumerated() {
            guard case .text(let text) = column else { continue }
            let (batch, body) = ArrowBatchBody.dictionary(text.levels)
            let header: [(id: Int, value: FlatBufferValue)] = [(0, .int64(Int64(index))), (1, .table(batch))]
            dictionaries.append(try writeMessage(headerType: 2, header: header, body: body, to: &output))
        }
        var batches: [Block] = []
        var start = 0
        repeat {
            let rows = min(batchRows, table.rowCount - start)
            let (batch, body) = ArrowBatchBody.records(table, rows: start..<(start + rows))
            batches.append(try writeMessage(headerType: 3, header: batch, body: body, to: &output))
            start += rows
        } while start < table.rowCount
        let blocks = { (items: [Block]) -> FlatBufferValue in
            .structs(items.map { block in
                FlatBufferValue.bytes(of: Int64(block.offset)) + FlatBufferValue.bytes(of: Int32(block.metadataLength))
                    + [0, 0, 0, 0] + FlatBufferValue.bytes(of: Int64(block.bodyLength))
            }, alignment: 8)
        }
        // Footer: version (0; 4 is V5), schema (1), dictionaries (2), recordBatches (3).
        let footer = FlatBufferValue.encode(root: [(0, .int16(4)), (1, .table(schema)), (2, blocks(dictionaries)), (3, blocks(batches))])
        try output.write(footer)
        try output.write(FlatBufferValue.bytes(of: Int32(footer.count)) + Array("ARROW1".utf8))
    }

    /// The Schema table: endianness (0; little), fields (1).
    private static func schemaTable(_ table: DataTable) -> [(id: Int, value: FlatBufferValue)] {
        let fields = zip(table.names, table.columns).enumerated().map { index, pair -> FlatBufferValue in
            let (name, column) = pair
            // Field: name (0), nullable (1), type_type (2), type (3), dictionary (4), children (5).
            var field: [(id: Int, value: FlatBufferValue)] = [(0, .string(name)), (1, .bool(true)), (5, .tables([]))]
            switch column {
            case .numeric:
                // Type 3 is FloatingPoint; its precision (0) 2 is DOUBLE.
                field += [(2, .scalar([3])), (3, .table([(0, .int16(2))]))]
            case .text:
                // Type 5 is Utf8 (an empty table); DictionaryEncoding: id (0), indexType (1,
                // an Int: bitWidth (0), is_signed (1)), isOrdered (2).
                field += [
                    (2, .scalar([5])), (3, .table([])),
                    (4, .table([(0, .int64(Int64(index))), (1, .table([(0, .int32(32)), (1, .bool(true))])), (2, .bool(false))])),
                ]
            }
            return .table(field)
        }
        return [(0, .int16(0)), (1, .tables(fields))]
    }

    /// Writes one encapsulated message: the continuation marker, the metadata length, the
    /// `Message` table (version (0), header_type (1), header (2), bodyLength (3)) padded so the
    /// body starts 8-byte aligned, then the body.
    private static func writeMessage(
        headerType: UInt8, header: [(id: Int, value: FlatBufferValue)], body: [UInt8], to output: inout Output
    ) throws(CSVError) -> Block {
        let metadata = FlatBufferValue.encode(root: [
            (0, .int16(4)), (1, .scalar([headerType])), (2, .table(header)), (3, .int64(Int64(body.count))),
        ])
        let offset = output.position
        try output.write(FlatBufferValue.bytes(of: UInt32.max) + FlatBufferValue.bytes(of: Int32(metadata.count)))
        try output.write(metadata)
        try output.write(body)
        return (offset, 8 + metadata.count, body.count)
    }
}
