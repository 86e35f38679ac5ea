/// Builds the bodies of the record and dictionary batches `ArrowWriter` writes, with the
/// `RecordBatch` tables (Message.fbs) that describe them.
enum ArrowBatchBody {
    /// A body being assembled, with its Buffer entries (offset, length); every buffer starts on
    /// an 8-byte boundary (Columnar.rst asks for 8, recommends 64 for SIMD).
    private struct Body {
        var bytes: [UInt8] = []
        var buffers: [[UInt8]] = []

        mutating func add(_ buffer: UnsafeRawBufferPointer) {
            buffers.append(FlatBufferValue.bytes(of: Int64(bytes.count)) + FlatBufferValue.bytes(of: Int64(buffer.count)))
            bytes.append(contentsOf: buffer)
            while bytes.count % 8 != 0 { bytes.append(0) }
        }

        mutating func add(_ buffer: [UInt8]) {
            buffer.withUnsafeBytes { add($0) }
        }
    }

    /// The RecordBatch table: length (0), nodes (1), buffers (2).
    private static func recordBatch(length: Int, nodes: [(length: Int, nullCount: Int)], body: Body) -> [(id: Int, value: FlatBufferValue)] {
        let nodeBytes = nodes.map { FlatBufferValue.bytes(of: Int64($0.length)) + FlatBufferValue.bytes(of: Int64($0.nullCount)) }
        return [(0, .int64(Int64(length))), (1, .structs(nodeBytes, alignment: 8)), (2, .structs(body.buffers, alignment: 8))]
    }

    /// A validity bitmap for `count` slots, or `nil` when none is null (then the buffer is left
    /// empty, which the format allows when the null count is 0).
    private static func bitmap(count: Int, isValid: (Int) -> Bool) -> (bytes: [UInt8], nulls: Int)? {
        var bytes = [UInt8](repeating: 0, count: (count + 7) / 8)
        var nulls = 0
        for index in 0..<count {
            if isValid(index) { bytes[index >> 3] |= 1 << UInt8(index & 7) } else { nulls += 1 }
        }
        return nulls == 0 ? nil : (bytes, nulls)
    }

    /// The dictionary of a text column: a Utf8 array of its levels (no nulls).
    static func dictionary(_ levels: [String]) -> (batch: [(id: Int, value: FlatBufferValue)], body: [UInt8]) {
        var offsets: [Int32] = [0]
        var data: [UInt8] = []
        for level in levels {
            data.append(contentsOf: level.utf8)
            offsets.append(Int32(truncatingIfNeeded: data.count))
        }
        var body = Body()
        body.add([])
        offsets.withUnsafeBytes { body.add($0) }
        body.add(data)
        return (recordBatch(length: levels.count, nodes: [(levels.count, 0)], body: body), body.bytes)
    }

    /// The rows `rows` of every column: float64 values, or int32 dictionary indices.
    static func records(_ table: DataTable, rows: Range<Int>) -> (batch: [(id: Int, value: FlatBufferValue)], body: [UInt8]) {
        var body = Body()
        var nodes: [(length: Int, nullCount: Int)] = []
        for column in table.columns {
            switch column {
            case .numeric(let values):
                let slice = values[rows]
                let validity = bitmap(count: rows.count) { !slice[rows.lowerBound + $0].isNaN }
                body.add(validity?.bytes ?? [])
                slice.withUnsafeBytes { body.add($0) }
                nodes.append((rows.count, validity?.nulls ?? 0))
            case .text(let text):
                let slice = text.codes[rows]
                let validity = bitmap(count: rows.count) { slice[rows.lowerBound + $0] >= 0 }
                body.add(validity?.bytes ?? [])
                // Null slots keep index 0 rather than -1, so no reader can take it for a level.
                let indices = slice.map { max($0, 0) }
                indices.withUnsafeBytes { body.add($0) }
                nodes.append((rows.count, validity?.nulls ?? 0))
            }
        }
        return (recordBatch(length: rows.count, nodes: nodes, body: body), body.bytes)
    }
}
