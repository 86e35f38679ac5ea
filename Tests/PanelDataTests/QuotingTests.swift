import Testing
@testable import PanelData

@Suite("Quoting, line ends and layout")
struct QuotingTests {
    @Test func quotedFieldsHoldDelimitersQuotesAndLineBreaks() throws {
        let text = "id,comment,x\n1,\"a, b\",1.5\n2,\"say \"\"hi\"\"\",2.5\n3,\"two\nlines\",3.5\n4,\"\",4.5\n5,plain,5.5\n"
        let table = try readCSV(text)
        #expect(table.rowCount == 5)
        let comments = try #require(table.column(named: "comment")?.textColumn)
        #expect(comments.levels == ["a, b", "say \"hi\"", "two\nlines", "plain"])
        #expect(comments.codes == [0, 1, 2, -1, 3])
        #expect(table.column(named: "x")?.numbers == [1.5, 2.5, 3.5, 4.5, 5.5])
    }

    @Test func lineNumbersStayRightAfterQuotedLineBreaks() throws {
        let text = "a,b\n\"x\ny\nz\",1\nq,oops\n"
        let table = try readCSV(text)
        let b = try #require(table.column(named: "b")?.textColumn)
        #expect(b.firstNonNumeric?.row == 5)
        #expect(b.firstNonNumeric?.value == "oops")
    }

    @Test func quotedNumbersAreNumbers() throws {
        let table = try readCSV("a,b\n\"1.5\",\" 2 \"\n\"-3\",\"NA\"\n")
        #expect(table.column(named: "a")?.numbers == [1.5, -3])
        #expect(table.column(named: "b")?.strings == ["2.0", "NA"])
    }

    @Test func textAfterAClosingQuoteIsKept() throws {
        let table = try readCSV("a,b\n\"ab\"c,1\n\"x\"  ,2\n")
        #expect(table.column(named: "a")?.strings == ["abc", "x"])
    }

    @Test func quoteInsideUnquotedFieldIsOrdinary() throws {
        let table = try readCSV("a,b\n5\"7,1\nx\"\"y,2\n")
        #expect(table.column(named: "a")?.strings == ["5\"7", "x\"\"y"])
        #expect(table.column(named: "b")?.numbers == [1, 2])
    }

    @Test func crlfLineEnds() throws {
        let table = try readCSV("a,b,c\r\n1,x,\"q\"\r\n2,y,\"r\"\r\n3,z,s\r\n")
        #expect(table.names == ["a", "b", "c"])
        #expect(table.column(named: "a")?.numbers == [1, 2, 3])
        #expect(table.column(named: "b")?.strings == ["x", "y", "z"])
        #expect(table.column(named: "c")?.strings == ["q", "r", "s"])
    }

    @Test func crlfWithEmptyLastField() throws {
        let table = try readCSV("a,b\r\n1,\r\n2,3\r\n")
        #expect(table.column(named: "b")?.strings == ["NA", "3.0"])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let table = try readCSV("\u{FEFF}id,x\n1,2\n")
        #expect(table.names == ["id", "x"])
        let quoted = try readCSV("\u{FEFF}\"id\",x\n1,2\n")
        #expect(quoted.names == ["id", "x"])
    }

    @Test func missingFinalLineBreakAndTrailingBlankLines() throws {
        for text in ["a,b\n1,2\n3,4", "a,b\n1,2\n3,4\n", "a,b\n1,2\n3,4\n\n\n", "a,b\r\n1,2\r\n3,4\r\n\r\n  \r\n"] {
            let table = try readCSV(text)
            #expect(table.rowCount == 2, "\(text.debugDescription)")
            #expect(table.column(named: "b")?.numbers == [2, 4])
        }
    }

    @Test func blankLinesInsideAreSkippedWithSeveralColumns() throws {
        let table = try readCSV("a,b\n1,2\n\n  \n3,4\nx,5\n")
        // The blank lines are skipped, and line numbers still count them.
        #expect(table.rowCount == 3)
        let a = try #require(table.column(named: "a")?.textColumn)
        #expect(a.firstNonNumeric?.row == 6)
        #expect(csvError("a,b\n1,2\n\n3\n")?.line == 4)
    }

    @Test func blankLinesAreMissingValuesWithOneColumn() throws {
        let text = "y\n1\n\n3\n\n\n"
        let table = try readCSV(text)
        #expect(table.column(named: "y")?.strings == ["1.0", "NA", "3.0"])
        for threads in [1, 2] {
            let split = try readCSV(text, options: smallBlocks(threads: threads, blockSize: 2))
            expectIdentical(table, split)
        }
    }

    @Test func columnNamesWithDotsAndSpaces() throws {
        let table = try readCSV("log.wage, years of school ,\"first name\",\"a,b\"\n1,2,x,3\n")
        #expect(table.names == ["log.wage", "years of school", "first name", "a,b"])
        #expect(table.index(of: "years of school") == 1)
    }

    @Test func unnamedColumnsGetPositionalNames() throws {
        let table = try readCSV("\"\",x,\n1,2,3\n")
        #expect(table.names == ["V1", "x", "V3"])
    }

    @Test func tabDelimiterWithEmptyFields() throws {
        var options = CSVReadOptions(threads: 1)
        options.delimiter = UInt8(ascii: "\t")
        let table = try readCSV("a\tb\tc\n\t5\t6\n1\t\t3\n", options: options)
        #expect(table.column(named: "a")?.strings == ["NA", "1.0"])
        #expect(table.column(named: "b")?.strings == ["5.0", "NA"])
        #expect(table.column(named: "c")?.numbers == [6, 3])
    }

    @Test func spaceDelimiterKeepsEmptyFields() throws {
        var options = CSVReadOptions(threads: 1)
        options.delimiter = UInt8(ascii: " ")
        let table = try readCSV("a b c\n1  3\n4 5 6\n", options: options)
        #expect(table.column(named: "a")?.numbers == [1, 4])
        #expect(table.column(named: "b")?.strings == ["NA", "5.0"])
        #expect(table.column(named: "c")?.numbers == [3, 6])
    }

    @Test func semicolonDelimiter() throws {
        var options = CSVReadOptions(threads: 1)
        options.delimiter = UInt8(ascii: ";")
        let table = try readCSV("a;b\n1,5;x\n", options: options)
        #expect(table.column(named: "a")?.strings == ["1,5"])
    }

    @Test func quotedHeaderSpanningBlocks() throws {
        let text = "\"long\nname\",b\n1,2\n"
        let table = try readCSV(text, options: smallBlocks(threads: 2, blockSize: 2))
        #expect(table.names == ["long\nname", "b"])
        #expect(table.rowCount == 1)
    }

    @Test func recordLongerThanSeveralBlocks() throws {
        // Longer than the read-ahead headroom too, so the carried-over part outgrows it.
        let long = String(repeating: "abc,\n\"\"", count: 40_000)
        let text = "a,b\n1,x\n2,\"\(long)\"\n3,y\n"
        let reference = try readCSV(text)
        // Compared outside #expect, which would otherwise render the long values.
        let expected = ["x", long.replacingOccurrences(of: "\"\"", with: "\""), "y"]
        let matches = reference.column(named: "b")?.strings == expected
        #expect(matches)
        for threads in [1, 2] {
            let table = try readCSV(text, options: smallBlocks(threads: threads, blockSize: 64 << 10))
            expectIdentical(reference, table)
        }
        let error = csvError("a,b\n1,\"\(long)\n", options: smallBlocks(threads: 2, blockSize: 64 << 10))
        #expect(error?.kind == .unterminatedQuote)
        #expect(error?.line == 2)
    }

    @Test func quotedFieldsSpanningManyBlocks() throws {
        var text = "k,note,v\n"
        var expected: [String] = []
        for i in 0..<400 {
            let note = i % 3 == 0 ? "line one\nline \"\"two\"\", with comma" : "n\(i)"
            text += "\(i),\"\(note)\",\(Double(i) / 4)\n"
            expected.append(note.replacingOccurrences(of: "\"\"", with: "\""))
        }
        let reference = try readCSV(text)
        #expect(reference.column(named: "note")?.strings == expected)
        for threads in [1, 2, 4] {
            for blockSize in [1, 7, 64, 1000] {
                let table = try readCSV(text, options: smallBlocks(threads: threads, blockSize: blockSize))
                expectIdentical(reference, table, "threads \(threads), block \(blockSize)")
            }
        }
    }
}
