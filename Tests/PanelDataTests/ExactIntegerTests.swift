import Testing
@testable import PanelData

/// Issue 19, point 6: integers written out beyond 2^53 are kept exact (as text), since a double
/// merges 2^53 + 1 with 2^53 and three firms would count as two.
@Suite("Integers beyond 2^53")
struct ExactIntegerTests {
    @Test func integersBeyondTwoToTheFiftyThreeKeepTheirDigits() throws {
        let table = try readCSV("id,x\n9007199254740993,1\n9007199254740992,2\n9007199254740995,3\n-9007199254740993,4\n")
        let id = try #require(table.column(named: "id")?.textColumn)
        #expect(id.levels == ["9007199254740993", "9007199254740992", "9007199254740995", "-9007199254740993"])
        #expect(id.codes == [0, 1, 2, 3])
        #expect(id.firstNonNumeric?.row == 2 && id.firstNonNumeric?.value == "9007199254740993")
        // As doubles, the first two are the same number: the reason for the rule.
        #expect(Double("9007199254740993") == Double("9007199254740992"))
    }

    @Test(arguments: ["9007199254740992", "-9007199254740992", "9.007199254740993e15", "9007199254740993.0", "123456789012345678901234567890e-10"])
    func numbersWithinRangeOrNotWrittenAsIntegersStayNumbers(token: String) throws {
        let table = try readCSV("id\n1\n\(token)\n")
        #expect(table.column(named: "id")?.numbers != nil, "\(token)")
    }

    @Test(arguments: ["18446744073709551616", "99999999999999999999999", "+9007199254740993", " 9007199254740993 ", "\"9007199254740993\""])
    func longIntegersAreText(token: String) throws {
        let table = try readCSV("id,x\n1,2\n\(token),3\n")
        #expect(table.column(named: "id")?.textColumn != nil, "\(token)")
    }

    /// A large id deep in the file, read in many chunks and blocks on several threads, turns the
    /// whole column into text with the earlier rows' own digits, as one serial pass does.
    @Test func lateLargeIntegerMakesTheColumnTextWhateverTheSplit() throws {
        var text = "id,x\n"
        for row in 0..<3000 { text += "\(row),\(row % 7)\n" }
        text += "9007199254740993,1\n"
        let serial = try readCSV(text)
        let parallel = try readCSV(text, options: smallBlocks(threads: 4, blockSize: 1024))
        for table in [serial, parallel] {
            let id = try #require(table.column(named: "id")?.textColumn)
            #expect(id.levels.count == 3001 && id.levels.first == "0" && id.levels.last == "9007199254740993")
            #expect(id.firstNonNumeric?.row == 3002)
        }
    }

    @Test func doublesBeyondTheRangeAreReportedAsIdentifierProblems() {
        let column = Column.numeric([1, 2, 1.5e17, .nan])
        #expect(column.firstBeyondExactIntegers?.row == 3)
        #expect(column.identifierProblem(source: "f.csv", name: "firm", role: "unit")?.contains("unit column 'firm' has 1.5e+17 at row 3") == true)
        #expect(Column.numeric([9_007_199_254_740_992, -3]).identifierProblem(source: "f", name: "a", role: "unit") == nil)
    }
}
