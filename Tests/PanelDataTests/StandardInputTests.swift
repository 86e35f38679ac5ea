import Foundation
import Testing
@testable import PanelData

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading "-" takes standard input; these tests swap descriptor 0 for a pipe or a file, so
/// they run one at a time (no other test reads standard input).
@Suite("Standard input", .serialized)
struct StandardInputTests {
    /// Runs `body` with descriptor 0 replaced by `descriptor`, restoring it afterwards.
    static func withStandardInput<R>(_ descriptor: Int32, _ body: () throws -> R) throws -> R {
        let saved = dup(0)
        #expect(saved >= 0)
        #expect(dup2(descriptor, 0) == 0)
        defer {
            dup2(saved, 0)
            close(saved)
        }
        return try body()
    }

    @Test func readsAPipe() throws {
        var text = "a,b\n"
        for i in 0..<50_000 { text += "\(i),\(i % 9)\n" }
        text += "x,1\n"
        let bytes = Array(text.utf8)
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let writeEnd = ends[1]
        let writer = Thread {
            bytes.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return }
                var written = 0
                while written < buffer.count {
                    let n = write(writeEnd, base + written, buffer.count - written)
                    if n <= 0 { break }
                    written += n
                }
            }
            close(writeEnd)
        }
        writer.start()
        defer { close(ends[0]) }
        let table = try Self.withStandardInput(ends[0]) {
            try CSVReader.read(path: "-", options: smallBlocks(threads: 2, blockSize: 4096))
        }
        #expect(table.source == "<stdin>")
        #expect(table.rowCount == 50_001)
        // Column a turns text at the very end: its earlier values come back from the spool.
        let a = try #require(table.column(named: "a")?.textColumn)
        #expect(a.levels.count == 50_001)
        #expect(a.levels.first == "0")
        #expect(a.firstNonNumeric?.row == 50_002)
        #expect(table.readStatistics.bytes == bytes.count)
        try expectIdentical(table, readCSV(text))
        #expect(table.column(named: "b")?.numbers?.count == 50_001)
    }

    @Test func readsARedirectedFile() throws {
        let file = try TemporaryFile(text: "a,b\n1,2\n3,4\n")
        defer { file.cleanup() }
        let descriptor = open(file.path, O_RDONLY)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        let table = try Self.withStandardInput(descriptor) { try CSVReader.read(path: "-") }
        #expect(table.source == "<stdin>")
        #expect(table.column(named: "b")?.numbers == [2, 4])
    }
}
