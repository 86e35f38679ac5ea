import Foundation
import Testing
@testable import PanelData

/// Reads CSV text held in memory.
func readCSV(_ text: String, options: CSVReadOptions = CSVReadOptions(threads: 1)) throws(CSVError) -> DataTable {
    let bytes = Array(text.utf8)
    return try readCSV(bytes: bytes, options: options)
}

/// Reads CSV bytes held in memory.
func readCSV(bytes: [UInt8], options: CSVReadOptions = CSVReadOptions(threads: 1)) throws(CSVError) -> DataTable {
    let result: Result<DataTable, CSVError> = bytes.withUnsafeBytes { buffer in
        do throws(CSVError) {
            return .success(try CSVReader.read(bytes: buffer, source: "test.csv", options: options))
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}

/// The error reading `text` throws, or `nil` if it reads.
func csvError(_ text: String, options: CSVReadOptions = CSVReadOptions(threads: 1)) -> CSVError? {
    do {
        _ = try readCSV(text, options: options)
        return nil
    } catch {
        return error
    }
}

/// Options that force many blocks and chunks on small inputs.
func smallBlocks(threads: Int, blockSize: Int = 4096) -> CSVReadOptions {
    var options = CSVReadOptions(threads: threads)
    options.blockSize = blockSize
    options.minimumChunkBytes = 1
    return options
}

/// A file in a fresh temporary directory, removed by `cleanup`.
struct TemporaryFile {
    let directory: URL
    let path: String

    init(contents: [UInt8], name: String = "data.csv") throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("panel-data-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent(name).path
        try Data(contents).write(to: URL(fileURLWithPath: path))
    }

    init(text: String, name: String = "data.csv") throws {
        try self.init(contents: Array(text.utf8), name: name)
    }

    func cleanup() {
        try? FileManager.default.removeItem(at: directory)
    }
}

extension Column {
    /// The numbers, or `nil` for a text column.
    var numbers: [Double]? {
        if case .numeric(let values) = self { return values }
        return nil
    }

    /// The text column, or `nil` for a numeric column.
    var textColumn: TextColumn? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// The values as strings ("NA" for missing), for compact expectations.
    var strings: [String] {
        switch self {
        case .numeric(let values):
            return values.map { $0.isNaN ? "NA" : "\($0)" }
        case .text(let text):
            return text.codes.map { $0 < 0 ? "NA" : text.levels[Int($0)] }
        }
    }
}

/// Expects two tables to be identical. The comparison runs outside `#expect`, which would
/// otherwise capture and describe both tables, slow for large ones.
func expectIdentical(
    _ a: DataTable, _ b: DataTable, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    let same = identical(a, b)
    #expect(same, comment, sourceLocation: sourceLocation)
}

/// Whether two tables are identical, bit for bit in numbers (NaN equal to NaN).
func identical(_ a: DataTable, _ b: DataTable) -> Bool {
    guard a.names == b.names, a.rowCount == b.rowCount, a.columns.count == b.columns.count else { return false }
    for (x, y) in zip(a.columns, b.columns) {
        switch (x, y) {
        case (.numeric(let u), .numeric(let v)):
            guard u.count == v.count else { return false }
            for (p, q) in zip(u, v) where !(p.bitPattern == q.bitPattern || (p.isNaN && q.isNaN)) {
                return false
            }
        case (.text(let u), .text(let v)):
            guard u.codes == v.codes, u.levels == v.levels,
                  u.firstNonNumeric?.row == v.firstNonNumeric?.row,
                  u.firstNonNumeric?.value == v.firstNonNumeric?.value
            else { return false }
        default:
            return false
        }
    }
    return true
}

/// A small deterministic generator (SplitMix64), so random tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
