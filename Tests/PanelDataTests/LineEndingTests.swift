import Foundation
import Testing
@testable import PanelData

/// CR-only line ends (old Mac and Excel exports) read as lines, whatever the block size, the
/// thread count and the source (memory, file); LF and CRLF files read as before.
@Suite struct LineEndingTests {
    /// A panel with numbers, a text column, a quoted field holding the delimiter, and a column
    /// that looks numeric for thousands of rows before its first text value.
    static func panel(rows: Int = 3_000) -> String {
        var lines = ["firm,year,sales,region,late"]
        for row in 0..<rows {
            let region = row % 3 == 0 ? "\"Lima, north\"" : (row % 3 == 1 ? "Cusco" : "Arequipa")
            let late = row == rows - 2 ? "n/a" : String(row % 11)
            lines.append("\(row / 5),\(2000 + row % 5),\(Double(row) * 1.25),\(region),\(late)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func carriageReturns(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: "\r")
    }

    @Test func carriageReturnFileReadsLikeTheLineFeedFile() throws {
        let text = Self.panel()
        let reference = try readCSV(text)
        #expect(reference.rowCount == 3_000)
        #expect(reference.column(named: "late")?.textColumn != nil, "the late text value must force a re-read")
        let crOnly = Self.carriageReturns(text)
        expectIdentical(reference, try readCSV(crOnly), "one block")
        for (threads, blockSize) in [(1, 1), (2, 2), (3, 7), (2, 64), (3, 4096)] {
            expectIdentical(reference, try readCSV(crOnly, options: smallBlocks(threads: threads, blockSize: blockSize)),
                            "threads \(threads), block \(blockSize)")
        }
    }

    @Test func carriageReturnFileFromDisk() throws {
        let file = try TemporaryFile(text: Self.carriageReturns(Self.panel()))
        defer { file.cleanup() }
        let table = try CSVReader.read(path: file.path, options: smallBlocks(threads: 2, blockSize: 1000))
        expectIdentical(try readCSV(Self.panel()), table)
    }

    /// Errors name the line a user sees in an editor, which counts CRs as line ends.
    @Test func errorLinesCountCarriageReturns() {
        let error = csvError("a,b\r1,2\r3,4,5\r")
        #expect(error?.kind == .raggedRow)
        #expect(error?.line == 3)
    }

    /// A CR at a block's end followed by LF is CRLF: the file is not taken for a CR-only one.
    @Test func crlfSplitAcrossBlocksStaysCrlf() throws {
        let text = "ab,c\r\n1,x\r\n2,y\r\n"
        let reference = try readCSV(text)
        #expect(reference.names == ["ab", "c"])
        #expect(reference.rowCount == 2)
        for blockSize in 1...6 {
            expectIdentical(reference, try readCSV(text, options: smallBlocks(threads: 1, blockSize: blockSize)), "block \(blockSize)")
        }
    }

    @Test func headerOnlyCarriageReturnFileHasNoRows() throws {
        let table = try readCSV("a,b\r")
        #expect(table.names == ["a", "b"])
        #expect(table.rowCount == 0)
    }

    @Test func lineFeedFilesKeepTheirCarriageReturnsAsPadding() throws {
        let table = try readCSV("a,b\n1,x\r\n2,y\n")
        #expect(table.rowCount == 2)
        #expect(table.column(named: "b")?.strings == ["x", "y"])
    }
}
