import Foundation
import Testing
@testable import PanelData

@Suite("Same table for any thread count and block size")
struct ThreadInvarianceTests {
    /// A mixed input: numbers in many spellings, missing values, quoted text with delimiters
    /// and line breaks, CRLF line ends, and a column that turns text in its last rows.
    static func mixedInput(rows: Int, seed: UInt64) -> String {
        var generator = SeededGenerator(seed: seed)
        var text = "id,\"x 1\",x2,group,note,late\r\n"
        for i in 0..<rows {
            let x1 = Double(Int.random(in: -1_000_000...1_000_000, using: &generator)) / 1000
            let x2: String
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: x2 = "NA"
            case 1: x2 = ""
            case 2: x2 = "\(Double.random(in: -1e300...1e300, using: &generator))"
            case 3: x2 = " \(Int.random(in: -99...99, using: &generator)) "
            default: x2 = "\(Double.random(in: 0..<1, using: &generator))"
            }
            let group = "g\(Int.random(in: 0..<40, using: &generator))"
            let note: String
            switch Int.random(in: 0..<8, using: &generator) {
            case 0: note = "\"multi\nline, \"\"quoted\"\"\""
            case 1: note = "\"\""
            case 2: note = "NA"
            default: note = "n\(Int.random(in: 0..<500, using: &generator))"
            }
            let late = i == rows - 3 ? "late-text" : "\(i % 17)"
            text += "\(i),\(x1),\(x2),\(group),\(note),\(late)\r\n"
        }
        return text
    }

    @Test func identicalTablesForThreadsOneTwoFour() throws {
        let text = Self.mixedInput(rows: 6000, seed: 42)
        let reference = try readCSV(text)
        #expect(reference.rowCount == 6000)
        #expect(reference.column(named: "x 1")?.numbers != nil)
        #expect(reference.column(named: "x2")?.numbers != nil)
        #expect(reference.column(named: "late")?.textColumn?.firstNonNumeric?.value == "late-text")
        // Blocks far smaller than the input force hundreds of blocks, chunk splits inside quoted
        // text, and records longer than a block.
        for blockSize in [37, 1024, 16 * 1024, 1 << 20] {
            for threads in [1, 2, 4] {
                let table = try readCSV(text, options: smallBlocks(threads: threads, blockSize: blockSize))
                expectIdentical(reference, table, "threads \(threads), block \(blockSize)")
            }
        }
    }

    @Test func identicalTablesFromAFile() throws {
        let text = Self.mixedInput(rows: 3000, seed: 9)
        let file = try TemporaryFile(text: text)
        defer { file.cleanup() }
        let reference = try readCSV(text)
        for threads in [1, 2, 4] {
            let table = try CSVReader.read(path: file.path, options: smallBlocks(threads: threads, blockSize: 2000))
            expectIdentical(reference, table)
            #expect(table.source == file.path)
            #expect(table.readStatistics.bytes == text.utf8.count)
        }
    }

    @Test func keepColumnsAndThreads() throws {
        let text = Self.mixedInput(rows: 2000, seed: 3)
        var options = smallBlocks(threads: 1, blockSize: 1 << 30)
        options.keepColumns = ["late", "x2"]
        let reference = try readCSV(text, options: options)
        #expect(reference.names == ["x2", "late"])
        for threads in [2, 4] {
            var split = smallBlocks(threads: threads, blockSize: 777)
            split.keepColumns = ["late", "x2"]
            try expectIdentical(reference, readCSV(text, options: split))
        }
    }
}
