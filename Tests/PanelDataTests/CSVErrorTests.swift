import Foundation
import Testing
@testable import PanelData

@Suite("Errors")
struct CSVErrorTests {
    @Test func missingFileIsFileNotFound() {
        let path = "/tmp/definitely-not-here-\(UUID().uuidString).csv"
        #expect(throws: CSVError.self) { try CSVReader.read(path: path) }
        do {
            _ = try CSVReader.read(path: path)
        } catch {
            #expect(error.kind == .fileNotFound)
            #expect(error.source == path)
            #expect(error.message.hasPrefix(path))
        }
    }

    @Test func directoryIsUnreadable() throws {
        let file = try TemporaryFile(text: "a\n1\n")
        defer { file.cleanup() }
        do {
            _ = try CSVReader.read(path: file.directory.path)
            Issue.record("reading a directory should fail")
        } catch {
            #expect(error.kind == .unreadable)
        }
    }

    @Test(arguments: ["", "   ", "\n\n", " \r\n \t\n", "\u{FEFF}", "\u{FEFF}\n  \n"])
    func blankInputIsEmpty(text: String) {
        let error = csvError(text)
        #expect(error?.kind == .empty)
        #expect(error?.message == "test.csv: the input is empty (no header row)")
    }

    @Test func zeroByteFileIsEmpty() throws {
        let file = try TemporaryFile(contents: [])
        defer { file.cleanup() }
        do {
            _ = try CSVReader.read(path: file.path)
            Issue.record("an empty file should fail")
        } catch {
            #expect(error.kind == .empty)
        }
    }

    @Test func headerOnlyIsZeroRows() throws {
        for text in ["a,b,c", "a,b,c\n", "a,b,c\r\n\r\n\n"] {
            let table = try readCSV(text)
            #expect(table.names == ["a", "b", "c"])
            #expect(table.rowCount == 0)
            #expect(table.columns.allSatisfy { $0.numbers == [] })
        }
    }

    @Test func tooManyFields() {
        let error = csvError("a,b,c,d\n1,2,3,4\n1,2,3,4,5\n")
        #expect(error?.kind == .raggedRow)
        #expect(error?.line == 3)
        #expect(error?.message == "test.csv: line 3 has 5 fields, expected 4 (header has 4 columns)")
    }

    @Test func tooFewFields() {
        let error = csvError("a,b,c\n1,2,3\n4,5,6\n7,8\n")
        #expect(error?.kind == .raggedRow)
        #expect(error?.line == 4)
        #expect(error?.message == "test.csv: line 4 has 2 fields, expected 3 (header has 3 columns)")
    }

    @Test func raggedLineCountsLinesInsideQuotes() {
        let error = csvError("a,b\n\"x\ny\",1\n\"p\",2,3\n")
        #expect(error?.kind == .raggedRow)
        #expect(error?.line == 4)
    }

    @Test func raggedRowIsFoundInLaterBlocksAndChunks() {
        var text = "a,b,c\n"
        for i in 0..<5000 { text += "\(i),\(i * 2),x\(i % 7)\n" }
        text += "1,2\n"
        for i in 0..<100 { text += "\(i),\(i),\(i)\n" }
        for threads in [1, 2, 4] {
            let error = csvError(text, options: smallBlocks(threads: threads, blockSize: 1000))
            #expect(error?.kind == .raggedRow)
            #expect(error?.line == 5002)
        }
    }

    @Test func unterminatedQuoteNamesTheLineWhereItOpened() {
        let error = csvError("a,b\n1,2\n3,\"open\nmore\nstill open\n")
        #expect(error?.kind == .unterminatedQuote)
        #expect(error?.line == 3)
        #expect(error?.message == "test.csv: line 3 opens a quoted field that is never closed")
        let small = csvError("a,b\n1,2\n3,\"open\nmore\nstill open\n", options: smallBlocks(threads: 2, blockSize: 3))
        #expect(small?.kind == .unterminatedQuote)
        #expect(small?.line == 3)
    }

    @Test func unterminatedQuoteInHeader() {
        let error = csvError("a,\"b\n1,2\n")
        #expect(error?.kind == .unterminatedQuote)
        #expect(error?.line == 1)
    }

    @Test func duplicateColumnsAreNamed() {
        let error = csvError("x,y,x,z,y\n1,2,3,4,5\n")
        #expect(error?.kind == .duplicateColumn)
        #expect(error?.message == "test.csv: duplicate column names 'x', 'y' in the header")
    }

    @Test func duplicatesOutsideKeptColumnsAreAllowed() throws {
        var options = CSVReadOptions(threads: 1)
        options.keepColumns = ["z"]
        let table = try readCSV("x,x,z\n1,2,3\n", options: options)
        #expect(table.names == ["z"])
    }

    @Test func missingKeepColumnsAreNamed() {
        var options = CSVReadOptions(threads: 1)
        options.keepColumns = ["a", "wage", "Year"]
        let error = csvError("a,b,year\n1,2,3\n", options: options)
        #expect(error?.kind == .missingColumns)
        #expect(error?.message == "test.csv: no columns named 'Year', 'wage' in the header; for 'Year' did you mean 'year'?")
    }

    @Test func quoteOrLineBreakDelimiterIsRejected() {
        var options = CSVReadOptions(threads: 1)
        options.delimiter = UInt8(ascii: "\"")
        #expect(csvError("a\n1\n", options: options)?.kind == .unreadable)
    }

    @Test func arbitraryBytesNeverTrap() throws {
        var generator = SeededGenerator(seed: 7)
        let alphabet: [UInt8] = Array("ab1.,\"\n\r -e9\t".utf8) + [0, 0xFF, 0xEF, 0xBB, 0xBF]
        for round in 0..<3000 {
            let length = Int.random(in: 0..<60, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
            let options = round % 2 == 0 ? smallBlocks(threads: 2, blockSize: 3) : smallBlocks(threads: 3, blockSize: 7)
            // Either outcome is fine; what matters is that nothing traps, and that the outcome
            // does not depend on block size or thread count.
            let split = Result { () throws(CSVError) in try readCSV(bytes: bytes, options: options) }
            let whole = Result { () throws(CSVError) in try readCSV(bytes: bytes) }
            switch (split, whole) {
            case (.success(let a), .success(let b)):
                expectIdentical(a, b, "input \(bytes)")
                #expect(a.columns.allSatisfy { $0.count == a.rowCount })
            case (.failure(let a), .failure(let b)):
                #expect(a.kind == b.kind && a.line == b.line, "input \(bytes): \(a) vs \(b)")
            default:
                Issue.record("outcomes differ for input \(bytes): \(split) vs \(whole)")
            }
        }
    }
}
