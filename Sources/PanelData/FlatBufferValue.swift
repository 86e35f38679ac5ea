/// A FlatBuffers value to be encoded by `FlatBufferValue.encode(root:)`: the few shapes Arrow's
/// IPC metadata needs (tables, strings, vectors of tables, vectors of structs, inline scalars).
indirect enum FlatBufferValue {
    /// An inline scalar: its little-endian bytes (their count is its alignment).
    case scalar([UInt8])
    /// A table: (field id, value) pairs.
    case table([(id: Int, value: FlatBufferValue)])
    case string(String)
    /// A vector of tables.
    case tables([FlatBufferValue])
    /// A vector of structs, each given as its bytes, aligned to `alignment`.
    case structs([[UInt8]], alignment: Int)

    static func int8(_ value: Int8) -> FlatBufferValue { .scalar(bytes(of: value)) }
    static func int16(_ value: Int16) -> FlatBufferValue { .scalar(bytes(of: value)) }
    static func int32(_ value: Int32) -> FlatBufferValue { .scalar(bytes(of: value)) }
    static func int64(_ value: Int64) -> FlatBufferValue { .scalar(bytes(of: value)) }
    static func bool(_ value: Bool) -> FlatBufferValue { .scalar([value ? 1 : 0]) }

    /// The little-endian bytes of an integer.
    static func bytes<T: FixedWidthInteger>(of value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    /// Encodes a buffer whose root is the table `root`, padded to a multiple of 8 bytes.
    static func encode(root fields: [(id: Int, value: FlatBufferValue)]) -> [UInt8] {
        var encoder = FlatBufferEncoder()
        encoder.bytes = [0, 0, 0, 0]
        let table = encoder.table(fields)
        encoder.pointOffset(at: 0, to: table)
        encoder.align(8)
        return encoder.bytes
    }
}

/// Lays FlatBuffers objects out front to back: a table's vtable just before it, its children
/// after it, so every reference (an unsigned offset) points forward as the format requires.
/// Each table starts on an 8-byte boundary and each field sits at its natural alignment.
private struct FlatBufferEncoder {
    var bytes: [UInt8] = []

    mutating func align(_ alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    /// Writes at `position` the unsigned offset from there to `target`.
    mutating func pointOffset(at position: Int, to target: Int) {
        write(UInt32(target - position), at: position)
    }

    mutating func write<T: FixedWidthInteger>(_ value: T, at position: Int) {
        for (index, byte) in FlatBufferValue.bytes(of: value).enumerated() { bytes[position + index] = byte }
    }

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        bytes.append(contentsOf: FlatBufferValue.bytes(of: value))
    }

    /// Writes a table and its children; returns the table's position.
    mutating func table(_ fields: [(id: Int, value: FlatBufferValue)]) -> Int {
        let sorted = fields.sorted { $0.id < $1.id }
        var offsets: [Int] = []
        var size = 4  // the offset to the vtable
        for field in sorted {
            let width = if case .scalar(let raw) = field.value { raw.count } else { 4 }
            size = (size + width - 1) / width * width
            offsets.append(size)
            size += width
        }
        let slotCount = (sorted.last?.id ?? -1) + 1
        align(2)
        let vtable = bytes.count
        append(UInt16(4 + 2 * slotCount))
        append(UInt16(size))
        var slots = [UInt16](repeating: 0, count: slotCount)
        for (field, offset) in zip(sorted, offsets) { slots[field.id] = UInt16(offset) }
        for slot in slots { append(slot) }
        align(8)
        let table = bytes.count
        append(Int32(table - vtable))  // the vtable lies this far before the table
        bytes.append(contentsOf: repeatElement(0, count: size - 4))
        for (field, offset) in zip(sorted, offsets) {
            if case .scalar(let raw) = field.value {
                for (index, byte) in raw.enumerated() { bytes[table + offset + index] = byte }
            }
        }
        for (field, offset) in zip(sorted, offsets) {
            if case .scalar = field.value { continue }
            let child = self.child(field.value)
            pointOffset(at: table + offset, to: child)
        }
        return table
    }

    /// Writes a referenced object; returns its position.
    private mutating func child(_ value: FlatBufferValue) -> Int {
        switch value {
        case .scalar:
            return bytes.count  // not referenced; `table` writes scalars inline
        case .table(let fields):
            return table(fields)
        case .string(let text):
            align(4)
            let position = bytes.count
            append(UInt32(text.utf8.count))
            bytes.append(contentsOf: text.utf8)
            bytes.append(0)
            return position
        case .tables(let items):
            align(4)
            let position = bytes.count
            append(UInt32(items.count))
            bytes.append(contentsOf: repeatElement(0, count: 4 * items.count))
            for (index, item) in items.enumerated() {
                let target = child(item)
                pointOffset(at: position + 4 + 4 * index, to: target)
            }
            return position
        case .structs(let items, let alignment):
            // The element data, which follows the 4-byte length, must be aligned.
            while (bytes.count + 4) % alignment != 0 { bytes.append(0) }
            let position = bytes.count
            append(UInt32(items.count))
            for item in items { bytes.append(contentsOf: item) }
            return position
        }
    }
}
