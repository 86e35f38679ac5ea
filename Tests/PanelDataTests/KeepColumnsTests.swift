import Testing
@testable import PanelData

@Suite("Keeping columns")
struct KeepColumnsTests {
    @Test func keepsOnlyNamedColumnsInFileOrder() throws {
        var options = CSVReadOptions(threads: 1)
        options.keepColumns = ["z", "x"]
        let table = try readCSV("x,y,z,w\n1,\"a,\nb\",3,q\n4,b,6,r\n", options: options)
        #expect(table.names == ["x", "z"])
        #expect(table.columns.count == 2)
        #expect(table.column(named: "x")?.numbers == [1, 4])
        #expect(table.column(named: "z")?.numbers == [3, 6])
        #expect(table.column(named: "y") == nil)
        #expect(table.rowCount == 2)
    }

    @Test func skippedColumnsStillCountForRaggedRows() {
        var options = CSVReadOptions(threads: 1)
        options.keepColumns = ["a"]
        let error = csvError("a,b,c\n1,2,3\n1,2\n", options: options)
        #expect(error?.kind == .raggedRow)
        #expect(error?.line == 3)
    }

    @Test func keepingNothingStillCountsRows() throws {
        var options = CSVReadOptions(threads: 1)
        options.keepColumns = []
        let table = try readCSV("a,b\n1,2\n3,4\n", options: options)
        #expect(table.names.isEmpty)
        #expect(table.rowCount == 2)
    }

    @Test func keepColumnsMatchesExactNames() {
        var options = CSVReadOptions(threads: 1)
        options.keepColumns = ["A"]
        #expect(csvError("a,b\n1,2\n", options: options)?.kind == .missingColumns)
    }
}
