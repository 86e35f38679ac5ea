import Testing
@testable import PanelData

@Suite("Type inference and missing values")
struct TypeInferenceTests {
    @Test func defaultMissingTokens() throws {
        let table = try readCSV("a,b\n1,x\nNA,NA\n,\nNaN,NaN\n.,.\n5,y\n")
        #expect(table.column(named: "a")?.strings == ["1.0", "NA", "NA", "NA", "NA", "5.0"])
        let b = try #require(table.column(named: "b")?.textColumn)
        #expect(b.codes == [0, -1, -1, -1, -1, 1])
        #expect(b.levels == ["x", "y"])
    }

    @Test func customMissingTokensIncludingANumber() throws {
        var options = CSVReadOptions(threads: 1)
        options.missingTokens = ["-999", "n/a"]
        let table = try readCSV("a,b\n1,-999\n-999,2\nn/a,\n", options: options)
        #expect(table.column(named: "a")?.strings == ["1.0", "NA", "NA"])
        // With "" no longer missing, the empty field makes b text.
        let b = try #require(table.column(named: "b")?.textColumn)
        #expect(b.codes == [-1, 0, 1])
        #expect(b.levels == ["2", ""])
        #expect(b.firstNonNumeric?.row == 4)
    }

    @Test func allMissingColumnIsNumeric() throws {
        let table = try readCSV("a,b\n,1\nNA,2\n")
        let a = try #require(table.column(named: "a")?.numbers)
        #expect(a.count == 2 && a.allSatisfy(\.isNaN))
    }

    @Test func infinitiesAndSignsAreNumbers() throws {
        let table = try readCSV("a\nInf\n-Inf\ninfinity\n+2\n-0\n1e3\n.5\n5.\n")
        let a = try #require(table.column(named: "a")?.numbers)
        #expect(a[0] == .infinity && a[1] == -.infinity && a[2] == .infinity)
        #expect(a[3] == 2 && a[4] == 0 && a[4].sign == .minus)
        #expect(Array(a[5...]) == [1000, 0.5, 5])
    }

    @Test func spacesAroundNumbersAreTolerated() throws {
        let table = try readCSV("a,b\n  1.5 , 2\n3\t,\t4 \n")
        #expect(table.column(named: "a")?.numbers == [1.5, 3])
        #expect(table.column(named: "b")?.numbers == [2, 4])
    }

    @Test(arguments: ["1e", "1e+", "--1", "1.2.3", "0x1F", "1,5", ".", "-", "e5", "1 2", "inf1", "1d"])
    func nonNumbersMakeText(token: String) throws {
        var options = CSVReadOptions(threads: 1)
        options.delimiter = UInt8(ascii: ";")
        options.missingTokens = []
        let table = try readCSV("a\n1\n\(token)\n", options: options)
        let a = try #require(table.column(named: "a")?.textColumn, "\(token)")
        #expect(a.levels == ["1", token])
        #expect(a.firstNonNumeric?.row == 3)
        #expect(a.firstNonNumeric?.value == token)
    }

    @Test func textLevelsKeepExactTextOfEarlierNumbers() throws {
        let table = try readCSV("id\n01\n1\n1.0\n001\nA7\n1\n")
        let id = try #require(table.column(named: "id")?.textColumn)
        #expect(id.levels == ["01", "1", "1.0", "001", "A7"])
        #expect(id.codes == [0, 1, 2, 3, 4, 1])
        #expect(id.firstNonNumeric?.row == 6)
        #expect(id.firstNonNumeric?.value == "A7")
    }

    @Test func unquotedTextIsTrimmedQuotedTextIsNot() throws {
        let table = try readCSV("a\n x \n\" x \"\nx\n")
        let a = try #require(table.column(named: "a")?.textColumn)
        #expect(a.levels == ["x", " x "])
        #expect(a.codes == [0, 1, 0])
    }

    /// A column that is numeric for most of a large input and turns text near the end must be
    /// re-read from the start so every level keeps its exact text, also in the parallel path.
    @Test func columnTurningTextLateInALargeInput() throws {
        var text = "firm,y,late\n"
        let rows = 30_000
        for i in 0..<rows {
            let late = i == rows - 10 ? "B-17" : (i % 5 == 0 ? "0\(i % 50)" : "\(i % 50)")
            text += "\(i % 97),\(Double(i) * 0.25),\(late)\n"
        }
        let serial = try readCSV(text)
        let late = try #require(serial.column(named: "late")?.textColumn)
        #expect(late.firstNonNumeric?.row == rows - 10 + 2)
        #expect(late.firstNonNumeric?.value == "B-17")
        #expect(late.levels.count == 51)
        #expect(late.levels[Int(late.codes[0])] == "00")
        #expect(late.levels[Int(late.codes[1])] == "1")
        #expect(late.levels[Int(late.codes[rows - 10])] == "B-17")
        #expect(serial.column(named: "firm")?.numbers?.count == rows)
        for threads in [1, 2, 4] {
            for blockSize in [500, 4096, 100_000] {
                let table = try readCSV(text, options: smallBlocks(threads: threads, blockSize: blockSize))
                expectIdentical(serial, table, "threads \(threads), block \(blockSize)")
            }
        }
    }

    @Test func columnTurningTextLateInAFile() throws {
        var text = "a,b\n"
        for i in 0..<20_000 { text += "\(i),\(i % 13)\n" }
        text += "x,y\n"
        let file = try TemporaryFile(text: text)
        defer { file.cleanup() }
        var options = smallBlocks(threads: 2, blockSize: 10_000)
        options.keepColumns = ["b"]
        let table = try CSVReader.read(path: file.path, options: options)
        let b = try #require(table.column(named: "b")?.textColumn)
        #expect(b.levels.count == 14)
        #expect(b.firstNonNumeric?.row == 20_002)
        #expect(table.column(named: "b")?.strings.prefix(3) == ["0", "1", "2"])
    }

    @Test func levelsInFirstAppearanceOrderAcrossChunks() throws {
        var text = "g\n"
        for i in 0..<3000 { text += "g\((i * 7919) % 101)\n" }
        let serial = try readCSV(text)
        let g = try #require(serial.column(named: "g")?.textColumn)
        var seen: [String] = []
        for i in 0..<3000 where !seen.contains("g\((i * 7919) % 101)") { seen.append("g\((i * 7919) % 101)") }
        #expect(g.levels == seen)
        let split = try readCSV(text, options: smallBlocks(threads: 4, blockSize: 300))
        expectIdentical(serial, split)
    }

    @Test func invalidUTF8DoesNotTrap() throws {
        let bytes: [UInt8] = Array("a,b\n".utf8) + [0xFF, 0xFE] + Array(",1\n".utf8)
        let table = try readCSV(bytes: bytes)
        #expect(table.column(named: "a")?.textColumn?.levels.count == 1)
    }
}
