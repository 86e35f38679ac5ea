/// The structure of an Arrow IPC file: its schema and where its dictionaries and record batches
/// lie, read from the footer.
///
/// The file format (Arrow's Columnar.rst, "IPC File Format") is the magic `ARROW1` padded to 8
/// bytes, a stream of encapsulated messages (each a 0xFFFFFFFF continuation marker, a 32-bit
/// metadata length, a FlatBuffers `Message` (Message.fbs), padding, then the message body), the
/// FlatBuffers `Footer` (File.fbs), the footer's 32-bit length, and `ARROW1` again.
struct ArrowFile {
    /// A record batch's or dictionary batch's metadata and body (Message.fbs `RecordBatch`).
    struct RecordBatch {
        /// The number of rows.
        let length: Int
        /// Per field node, pre-order: (length, null count).
        let nodes: [(length: Int, nullCount: Int)]
        /// Per buffer, pre-order: where it lies in the body.
        let buffers: [(offset: Int, length: Int)]
        /// Message.fbs `CompressionType` of every buffer (0 LZ4 frame, 1 ZSTD), or `nil`.
        let codec: Int?
        /// The number of variadic data buffers of each view-typed field, in order.
        let variadicBufferCounts: [Int]
        /// The message body the buffers point into.
        let body: UnsafeRawBufferPointer
    }

    /// The schema's fields, in column order.
    let fields: [ArrowField]
    /// Where each dictionary batch's message starts, its metadata length and its body length.
    let dictionaryBlocks: [[Int64]]
    /// Where each record batch's message starts, its metadata length and its body length.
    let recordBatchBlocks: [[Int64]]
    let bytes: UnsafeRawBufferPointer
    let fail: @Sendable (String) -> CSVError

    static let magic: [UInt8] = Array("ARROW1".utf8)

    /// Reads the footer of the file held in `bytes`.
    init(bytes: UnsafeRawBufferPointer, source: String) throws(CSVError) {
        self.bytes = bytes
        let fail: @Sendable (String) -> CSVError = { CSVError.malformed(source: source, format: "Arrow IPC", $0) }
        self.fail = fail
        guard bytes.count >= 6, Array(bytes[0..<6]) == Self.magic else {
            if bytes.count >= 4, Array(bytes[0..<4]) == Array("FEA1".utf8) {
                throw fail("it is a Feather version 1 file; rewrite it as Feather v2 (pyarrow.feather.write_feather, the default since pyarrow 0.17)")
            }
            if bytes.count >= 4, bytes.load(as: UInt32.self) == 0xFFFF_FFFF {
                throw fail("it is an Arrow IPC stream, not a file; write it with pyarrow.ipc.new_file (or pandas' to_feather)")
            }
            throw fail("it does not start with the Arrow file signature ARROW1")
        }
        guard bytes.count >= 6 + 4 + 6 + 4, Array(bytes[(bytes.count - 6)...]) == Self.magic else {
            throw fail("it does not end with ARROW1: the file is truncated or still being written")
        }
        let footerLength = Int(try FlatBufferTable.load(Int32.self, bytes, at: bytes.count - 10, fail))
        let footerStart = bytes.count - 10 - footerLength
        guard footerLength > 0, footerStart >= 8 else { throw fail("its footer length (\(footerLength)) does not fit the file") }
        let footerBytes = UnsafeRawBufferPointer(rebasing: bytes[footerStart..<(bytes.count - 10)])
        // Footer: version (0), schema (1), dictionaries (2), recordBatches (3).
        let footer = try FlatBufferTable(root: footerBytes, fail: fail)
        guard let schema = try footer.table(1) else { throw fail("its footer has no schema") }
        // Schema: endianness (0; 0 little), fields (1).
        guard try schema.scalar(0, as: Int16.self) == 0 else {
            throw fail("it is big-endian; Quipu reads little-endian Arrow files (what every common writer produces)")
        }
        fields = try schema.tables(1).map { table throws(CSVError) in try ArrowField(table) }
        // Block: offset (long), metaDataLength (int, padded to 8), bodyLength (long).
        dictionaryBlocks = try footer.int64Structs(2, fields: 3)
        recordBatchBlocks = try footer.int64Structs(3, fields: 3)
    }

    /// Reads the message a footer block points to; `expectedHeader` is its Message.fbs
    /// `MessageHeader` tag (2 dictionary batch, 3 record batch). Returns the header table and
    /// the body.
    func message(block: [Int64], expectedHeader: UInt8) throws(CSVError) -> (header: FlatBufferTable, body: UnsafeRawBufferPointer) {
        guard block.count == 3 else { throw fail("a footer block is malformed") }
        // Block.metaDataLength is a 32-bit int followed by 4 bytes of padding in the struct.
        let start = Int(block[0]), metadataLength = Int(Int32(truncatingIfNeeded: block[1])), bodyLength = Int(block[2])
        guard start >= 8, metadataLength >= 8, bodyLength >= 0, start <= bytes.count - metadataLength,
            start + metadataLength <= bytes.count - bodyLength
        else { throw fail("a record batch at byte \(start) runs past the end of the file (truncated?)") }
        var flatStart = start + 4
        var flatLength = Int(try FlatBufferTable.load(Int32.self, bytes, at: start, fail))
        if flatLength == -1 {  // continuation marker, then the length (format since Arrow 0.15)
            flatStart = start + 8
            flatLength = Int(try FlatBufferTable.load(Int32.self, bytes, at: start + 4, fail))
        }
        guard flatLength > 0, flatStart + flatLength <= start + metadataLength else {
            throw fail("the message at byte \(start) has a metadata length that does not fit its block")
        }
        let metadata = UnsafeRawBufferPointer(rebasing: bytes[flatStart..<(flatStart + flatLength)])
        // Message: version (0), header_type (1), header (2), bodyLength (3).
        let message = try FlatBufferTable(root: metadata, fail: fail)
        let tag = try message.scalar(1, as: UInt8.self)
        guard tag == expectedHeader, let header = try message.table(2) else {
            throw fail("the message at byte \(start) is not the \(expectedHeader == 3 ? "record" : "dictionary") batch the footer says")
        }
        let bodyStart = start + metadataLength
        return (header, UnsafeRawBufferPointer(rebasing: bytes[bodyStart..<(bodyStart + bodyLength)]))
    }

    /// Reads a `RecordBatch` table: length (0), nodes (1), buffers (2), compression (3),
    /// variadicBufferCounts (4).
    func recordBatch(_ table: FlatBufferTable, body: UnsafeRawBufferPointer) throws(CSVError) -> RecordBatch {
        let length = try table.scalar(0, as: Int64.self)
        let nodes = try table.int64Structs(1, fields: 2).map { (length: Int($0[0]), nullCount: Int($0[1])) }
        let buffers = try table.int64Structs(2, fields: 2).map { (offset: Int($0[0]), length: Int($0[1])) }
        for buffer in buffers where buffer.offset < 0 || buffer.length < 0 || buffer.offset > body.count - buffer.length {
            throw fail("a buffer (\(buffer.length) bytes at \(buffer.offset)) lies outside its \(body.count)-byte message body")
        }
        for node in nodes where node.length < 0 || node.nullCount < 0 || node.nullCount > node.length {
            throw fail("a column has a negative length or more nulls than rows")
        }
        guard length >= 0, length < Int64(Int32.max) * 1024 else { throw fail("a record batch has \(length) rows") }
        // BodyCompression: codec (0; 0 LZ4_FRAME, 1 ZSTD), method (1; 0 BUFFER, the only one).
        let codec = try table.table(3).map { compression throws(CSVError) in Int(try compression.scalar(0, as: Int8.self)) }
        let (start, count) = try table.vector(4, elementSize: 8)
        let variadic = try (0..<count).map { index throws(CSVError) in
            Int(try FlatBufferTable.load(Int64.self, table.bytes, at: start + 8 * index, fail))
        }
        return RecordBatch(
            length: Int(length), nodes: nodes, buffers: buffers, codec: codec, variadicBufferCounts: variadic, body: body)
    }
}
