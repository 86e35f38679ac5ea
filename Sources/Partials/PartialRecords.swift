import PanelData

/// The file format of partial sums, solutions and their combination: an Arrow IPC file (written by
/// `ArrowWriter`, read by `ArrowReader`, pyarrow, polars or Spark) holding one long table of
/// records `kind`, `key`, `key2`, `value`. A cross-product entry is (`moment`, row term, column
/// term, sum); a cluster's score is (`score`, cluster, coefficient, sum); a model setting is
/// (`meta`, setting, text, 0). Long records keep the schema fixed whatever the model, so a
/// partial of any model is one flat table that any Arrow reader shows as it is.
public struct PartialRecords: Sendable {
    /// One record.
    public struct Record: Sendable, Equatable {
        public var kind: String
        public var key: String
        public var key2: String
        public var value: Double

        public init(_ kind: String, _ key: String, _ key2: String = "", _ value: Double = 0) {
            self.kind = kind
            self.key = key
            self.key2 = key2
            self.value = value
        }
    }

    /// The format's name and version, the first record of every file.
    static let formatName = "quipu-partial"
    static let formatVersion = 1.0
    static let columnNames = ["kind", "key", "key2", "value"]

    public var records: [Record]
    /// Where the records came from, for messages.
    public let source: String

    public init(records: [Record] = [], source: String = "") {
        self.records = records
        self.source = source
    }

    /// The records of `kind`, in file order.
    public func all(_ kind: String) -> [Record] { records.filter { $0.kind == kind } }

    /// The text of the `meta` record `key`, or nil when there is none.
    public func meta(_ key: String) -> String? { records.first { $0.kind == "meta" && $0.key == key }?.key2 }

    /// The value of the `statistic` record `key`.
    func statistic(_ key: String) throws(PartialError) -> Double {
        guard let record = records.first(where: { $0.kind == "statistic" && $0.key == key }) else {
            throw PartialError("\(source): no '\(key)' record; the file is not a complete Quipu partial")
        }
        return record.value
    }

    /// The stage the file holds (`moments`, `solution`, `scores`).
    public var stage: String? { meta("stage") }

    /// Writes the records to `path` through a temporary file, so a failure leaves none behind.
    public func write(to path: String) throws(PartialError) {
        var levels = [String: Int32]()
        var texts = [String]()
        func code(_ text: String) -> Int32 {
            if let existing = levels[text] { return existing }
            let next = Int32(texts.count)
            levels[text] = next
            texts.append(text)
            return next
        }
        let all = [Record("format", Self.formatName, "", Self.formatVersion)] + records
        let kinds = all.map { code($0.kind) }, keys = all.map { code($0.key) }, seconds = all.map { code($0.key2) }
        let text = { (codes: [Int32]) in Column.text(TextColumn(codes: codes, levels: texts)) }
        let table = DataTable(source: path, names: Self.columnNames,
                              columns: [text(kinds), text(keys), text(seconds), .numeric(all.map(\.value))], rowCount: all.count)
        do {
            try ArrowWriter.write(table, to: path)
        } catch {
            throw PartialError(error.description)
        }
    }

    /// Reads the records at `path`, refusing a file that is not Arrow or not a Quipu partial.
    public static func read(path: String) throws(PartialError) -> PartialRecords {
        let table: DataTable
        do {
            // No missing tokens: a level called "NA" or "" is a label like any other here.
            table = try ArrowReader.read(path: path, options: CSVReadOptions(missingTokens: []))
        } catch {
            throw PartialError("\(error.description) (expected a Quipu partial)")
        }
        guard table.names == columnNames, table.rowCount > 0 else {
            throw PartialError("\(path): not a Quipu partial (columns \(table.names.joined(separator: ", ")); expected \(columnNames.joined(separator: ", ")))")
        }
        let kinds = texts(table.columns[0]), keys = texts(table.columns[1]), seconds = texts(table.columns[2])
        guard case .numeric(let values) = table.columns[3] else {
            throw PartialError("\(path): not a Quipu partial (column 'value' is not numeric)")
        }
        guard kinds[0] == "format", keys[0] == formatName else {
            throw PartialError("\(path): not a Quipu partial (its first record is not the '\(formatName)' format record)")
        }
        guard values[0] == formatVersion else {
            throw PartialError("\(path): Quipu partial format version \(values[0]); this quipu reads version \(formatVersion)")
        }
        let records = (1..<table.rowCount).map { Record(kinds[$0], keys[$0], seconds[$0], values[$0]) }
        return PartialRecords(records: records, source: path)
    }

    /// A column's values as text: empty cells are empty strings, numbers their decimal form.
    private static func texts(_ column: Column) -> [String] {
        switch column {
        case .text(let text): return text.codes.map { $0 >= 0 && Int($0) < text.levels.count ? text.levels[Int($0)] : "" }
        case .numeric(let values): return values.map { $0.isNaN ? "" : "\($0)" }
        }
    }
}

extension PartialRecords {
    /// A 64-bit FNV-1a digest of the records, in hexadecimal: a solution's identity, which the
    /// second-pass partials carry so that `combine` cannot pair them with another solution.
    /// It guards against mix-ups, not against tampering.
    var fingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        for record in records {
            for text in [record.kind, record.key, record.key2] { mix(text.utf8); mix([0]) }
            withUnsafeBytes(of: record.value.bitPattern.littleEndian) { mix($0) }
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
