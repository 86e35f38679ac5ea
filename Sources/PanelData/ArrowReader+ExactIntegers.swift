/// 64-bit integer columns beyond 2^53 (Column+ExactIntegers): an Arrow int64 or uint64 column
/// holds its identifiers exactly, and converting them to doubles would merge neighbours, so such
/// a column is read again as text, each value written out in full, as the CSV reader reads the
/// same ids. Columns whose values all lie within ±2^53 stay numbers (the common case costs one
/// scan of the decoded doubles).
extension ArrowReader {
    /// The column as exact text when `field` is a plain (not dictionary-encoded) 64-bit integer
    /// column and `column` holds a value beyond ±2^53; nil otherwise.
    static func exactIntegerColumn(
        _ field: ArrowField, column: Column, batches: [ArrowFile.RecordBatch], starts: [(node: Int, buffer: Int, variadic: Int)],
        file: ArrowFile, missingTokens: Set<String>
    ) throws(CSVError) -> Column? {
        guard field.dictionary == nil, case .integer(64, let signed) = field.type, column.firstBeyondExactIntegers != nil else { return nil }
        var builder = TextColumnBuilder(missingTokens: missingTokens, capacity: column.count)
        for (batch, cursor) in zip(batches, starts) {
            guard cursor.node < batch.nodes.count else { throw file.fail("a record batch has fewer columns than the schema") }
            let node = batch.nodes[cursor.node]
            let decoder = ArrowArrayDecoder(buffers: ArrowBatchBuffers(batch: batch, fail: file.fail), column: field.name, fail: file.fail)
            let bitmap = try decoder.validity(node, buffer: cursor.buffer)
            let data = try decoder.values(cursor.buffer + 1, count: node.length, width: 8)
            for index in 0..<node.length {
                guard ArrowArrayDecoder.isValid(bitmap, index) else {
                    builder.append(nil)
                    continue
                }
                let bits = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: 8 * index, as: UInt64.self))
                builder.append(signed ? String(Int64(bitPattern: bits)) : String(bits))
            }
        }
        return builder.finish()
    }
}
