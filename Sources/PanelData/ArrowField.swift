/// One field of an Arrow schema (Schema.fbs `Field`), with what the reader needs of its type.
struct ArrowField {
    /// The logical type, from the `Type` union (Schema.fbs); for a dictionary-encoded field this
    /// is the type of the dictionary's values.
    enum DataType {
        case null
        case integer(bitWidth: Int, signed: Bool)
        /// Schema.fbs `Precision`: 0 half, 1 single, 2 double.
        case floatingPoint(precision: Int)
        case bool
        case utf8
        case largeUtf8
        case utf8View
        /// Schema.fbs `DateUnit`: 0 days (32-bit), 1 milliseconds (64-bit).
        case date(unit: Int)
        /// Schema.fbs `TimeUnit`: 0 s, 1 ms, 2 µs, 3 ns since the epoch (64-bit).
        case timestamp(unit: Int)
        /// A type the reader does not turn into a column; `name` says which in messages.
        case unsupported(name: String)
    }

    let name: String
    let type: DataType
    /// Schema.fbs `Type` union tag, which fixes the number of buffers (Columnar.rst, "Buffer
    /// Layout"), for skipping columns that are not read.
    let typeTag: UInt8
    /// For a union type, Schema.fbs `UnionMode`: 0 sparse, 1 dense.
    let unionMode: Int
    /// Dictionary encoding: the dictionary's id and the index type's width and signedness.
    let dictionary: (id: Int64, bitWidth: Int, signed: Bool)?
    let children: [ArrowField]

    /// Reads a `Field` table: name (0), nullable (1), type_type (2), type (3), dictionary (4),
    /// children (5).
    init(_ table: FlatBufferTable) throws(CSVError) {
        name = try table.string(0) ?? ""
        typeTag = try table.scalar(2, as: UInt8.self)
        let typeTable = try table.table(3)
        children = try table.tables(5).map { child throws(CSVError) in try ArrowField(child) }
        unionMode = typeTag == 14 ? Int(try typeTable?.scalar(0, as: Int16.self) ?? 0) : 0
        type = try Self.dataType(tag: typeTag, table: typeTable)
        if let encoding = try table.table(4) {
            // DictionaryEncoding: id (0), indexType (1, an Int table; absent means int32).
            let indexType = try encoding.table(1)
            dictionary = (
                id: try encoding.scalar(0, as: Int64.self),
                bitWidth: Int(try indexType?.scalar(0, as: Int32.self) ?? 32),
                signed: try indexType.map { t throws(CSVError) in try t.scalar(1, as: UInt8.self) != 0 } ?? true)
        } else {
            dictionary = nil
        }
    }

    /// The data type for a `Type` union tag and its table.
    private static func dataType(tag: UInt8, table: FlatBufferTable?) throws(CSVError) -> DataType {
        switch tag {
        case 1: return .null
        case 2:
            let width = Int(try table?.scalar(0, as: Int32.self) ?? 0)
            let signed = try table?.scalar(1, as: UInt8.self) ?? 0 != 0
            guard [8, 16, 32, 64].contains(width) else { return .unsupported(name: "int\(width)") }
            return .integer(bitWidth: width, signed: signed)
        case 3: return .floatingPoint(precision: Int(try table?.scalar(0, as: Int16.self) ?? 0))
        case 5: return .utf8
        case 6: return .bool
        case 8: return .date(unit: Int(try table?.scalar(0, as: Int16.self, default: 1) ?? 1))
        case 10: return .timestamp(unit: Int(try table?.scalar(0, as: Int16.self) ?? 0))
        case 20: return .largeUtf8
        case 24: return .utf8View
        default: return .unsupported(name: typeName(tag))
        }
    }

    /// The name of a `Type` union tag, as Arrow's own libraries print it.
    static func typeName(_ tag: UInt8) -> String {
        let names = [
            "none", "null", "int", "float", "binary", "string", "bool", "decimal", "date", "time",
            "timestamp", "interval", "list", "struct", "union", "fixed_size_binary", "fixed_size_list",
            "map", "duration", "large_binary", "large_string", "large_list", "run_end_encoded",
            "binary_view", "string_view", "list_view", "large_list_view",
        ]
        return Int(tag) < names.count ? names[Int(tag)] : "unknown type \(tag)"
    }

    /// The type as a message names it, with its children: "list<item: double>".
    var typeDescription: String {
        let base: String
        switch type {
        case .integer(let width, let signed): base = (signed ? "int" : "uint") + "\(width)"
        case .floatingPoint(let precision): base = ["halffloat", "float", "double"][min(max(precision, 0), 2)]
        default: base = Self.typeName(typeTag)
        }
        guard !children.isEmpty else { return base }
        return base + "<" + children.map { "\($0.name): \($0.typeDescription)" }.joined(separator: ", ") + ">"
    }

    /// The number of buffers this field's own array has (not its children's), by the layout
    /// table of Arrow's Columnar.rst; view types add their variadic buffers, counted separately.
    var ownBufferCount: Int {
        if dictionary != nil { return 2 }  // validity and indices
        switch typeTag {
        case 1, 22: return 0  // null; run-end encoded (its children hold the data)
        case 13, 16: return 1  // struct, fixed-size list: validity only
        case 14: return unionMode == 1 ? 2 : 1  // union: type ids (and offsets when dense), no validity
        case 4, 5, 19, 20, 25, 26: return 3  // (large) binary and string, list views
        default: return 2  // validity and values (or offsets for lists and maps)
        }
    }

    /// Whether the field's array carries variadic data buffers (binary and string views).
    var isView: Bool { dictionary == nil && (typeTag == 23 || typeTag == 24) }
}
