/// A bounds-checked view of one FlatBuffers table inside bytes read from a file.
///
/// FlatBuffers (https://flatbuffers.dev/internals/) lays a table out as a signed 32-bit offset
/// back to its vtable, then its fields; the vtable holds its own size, the table's size, and one
/// 16-bit offset per field id (0 when the field is absent, which means its default). Fields that
/// refer to tables, strings and vectors hold an unsigned 32-bit offset forward from the field.
/// Arrow's IPC metadata (Schema.fbs, Message.fbs, File.fbs) is encoded this way. Every offset
/// here comes from the file, so each is checked against the buffer before it is followed: a
/// damaged file gives an error, never a read out of bounds.
struct FlatBufferTable {
    /// The whole FlatBuffers buffer the table lives in.
    let bytes: UnsafeRawBufferPointer
    /// The table's position in `bytes`.
    let position: Int
    private let vtable: Int
    private let vtableSize: Int
    private let tableSize: Int
    /// Makes the error thrown for a bad offset; says which structure was being read.
    let fail: @Sendable (String) -> CSVError

    /// The root table of a buffer: its first four bytes are the offset to it.
    init(root bytes: UnsafeRawBufferPointer, fail: @escaping @Sendable (String) -> CSVError) throws(CSVError) {
        let offset = try Self.load(UInt32.self, bytes, at: 0, fail)
        try self.init(bytes: bytes, position: Int(offset), fail: fail)
    }

    /// The table at `position` of `bytes`.
    init(bytes: UnsafeRawBufferPointer, position: Int, fail: @escaping @Sendable (String) -> CSVError) throws(CSVError) {
        self.bytes = bytes
        self.position = position
        self.fail = fail
        let back = Int(try Self.load(Int32.self, bytes, at: position, fail))
        vtable = position - back
        vtableSize = Int(try Self.load(UInt16.self, bytes, at: vtable, fail))
        tableSize = Int(try Self.load(UInt16.self, bytes, at: vtable + 2, fail))
        guard vtableSize >= 4, vtable + vtableSize <= bytes.count, tableSize >= 4, position + tableSize <= bytes.count else {
            throw fail("a metadata table at byte \(position) runs past its buffer")
        }
    }

    /// Reads a `T` at `offset`, or fails if it would run past the buffer.
    static func load<T: FixedWidthInteger>(
        _ type: T.Type, _ bytes: UnsafeRawBufferPointer, at offset: Int, _ fail: (String) -> CSVError
    ) throws(CSVError) -> T {
        guard offset >= 0, offset <= bytes.count - MemoryLayout<T>.size else {
            throw fail("an offset (\(offset)) points outside the metadata")
        }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// Where field `id` is stored, or `nil` when the table leaves it out.
    func fieldPosition(_ id: Int) throws(CSVError) -> Int? {
        let slot = 4 + 2 * id
        guard slot + 2 <= vtableSize else { return nil }
        let offset = Int(try Self.load(UInt16.self, bytes, at: vtable + slot, fail))
        guard offset != 0 else { return nil }
        guard offset + 1 <= tableSize else { throw fail("field \(id) of a metadata table lies outside it") }
        return position + offset
    }

    /// An integer (or enum, or bool as 0/1) field, or `defaultValue` when absent.
    func scalar<T: FixedWidthInteger>(_ id: Int, as type: T.Type, default defaultValue: T = 0) throws(CSVError) -> T {
        guard let at = try fieldPosition(id) else { return defaultValue }
        return try Self.load(T.self, bytes, at: at, fail)
    }

    /// The position an offset field points to, or `nil` when absent.
    private func target(_ id: Int) throws(CSVError) -> Int? {
        guard let at = try fieldPosition(id) else { return nil }
        return at + Int(try Self.load(UInt32.self, bytes, at: at, fail))
    }

    /// A sub-table field (or union value), or `nil` when absent.
    func table(_ id: Int) throws(CSVError) -> FlatBufferTable? {
        guard let at = try target(id) else { return nil }
        return try FlatBufferTable(bytes: bytes, position: at, fail: fail)
    }

    /// A string field, decoded as UTF-8, or `nil` when absent.
    func string(_ id: Int) throws(CSVError) -> String? {
        guard let at = try target(id) else { return nil }
        let count = Int(try Self.load(UInt32.self, bytes, at: at, fail))
        guard at + 4 + count <= bytes.count else { throw fail("a name runs past the metadata") }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(at + 4)..<(at + 4 + count)]), as: UTF8.self)
    }

    /// A vector field of `elementSize`-byte elements: where its first element is and how many
    /// there are (no elements when absent).
    func vector(_ id: Int, elementSize: Int) throws(CSVError) -> (start: Int, count: Int) {
        guard let at = try target(id) else { return (0, 0) }
        let count = Int(try Self.load(UInt32.self, bytes, at: at, fail))
        guard count <= (bytes.count - at - 4) / max(1, elementSize) else { throw fail("a list in the metadata runs past it") }
        return (at + 4, count)
    }

    /// The tables of a vector-of-tables field.
    func tables(_ id: Int) throws(CSVError) -> [FlatBufferTable] {
        let (start, count) = try vector(id, elementSize: 4)
        var result: [FlatBufferTable] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            let at = start + 4 * index
            let offset = Int(try Self.load(UInt32.self, bytes, at: at, fail))
            result.append(try FlatBufferTable(bytes: bytes, position: at + offset, fail: fail))
        }
        return result
    }

    /// The 64-bit integers of a vector of structs made of `Int64`s (Arrow's Block, Buffer and
    /// FieldNode), `fields` per struct.
    func int64Structs(_ id: Int, fields: Int) throws(CSVError) -> [[Int64]] {
        let (start, count) = try vector(id, elementSize: 8 * fields)
        return try (0..<count).map { index throws(CSVError) in
            try (0..<fields).map { field throws(CSVError) in
                try Self.load(Int64.self, bytes, at: start + 8 * (fields * index + field), fail)
            }
        }
    }
}
