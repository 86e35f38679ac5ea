import Testing
@testable import PanelData

@Suite("DataTable lookups")
struct DataTableTests {
    static let table = DataTable(
        source: "t.csv", names: ["wage", "log.wage", "year", "firm_id", "Region", "x"],
        columns: Array(repeating: .numeric([]), count: 6), rowCount: 0)

    @Test func indexAndColumnByExactName() {
        #expect(Self.table.index(of: "year") == 2)
        #expect(Self.table.index(of: "Year") == nil)
        #expect(Self.table.column(named: "x")?.numbers == [])
        #expect(Self.table.column(named: "nope") == nil)
    }

    @Test func closestNamesForTypos() {
        #expect(Self.table.closestNames(to: "wgae").first == "wage")
        #expect(Self.table.closestNames(to: "yaer").first == "year")
        #expect(Self.table.closestNames(to: "region").first == "Region")
        #expect(Self.table.closestNames(to: "firm").first == "firm_id")
        #expect(Self.table.closestNames(to: "logwage").first == "log.wage")
        #expect(Self.table.closestNames(to: "totally_unrelated_name").isEmpty)
        #expect(Self.table.closestNames(to: "wage", limit: 2) == ["wage", "log.wage"])
        #expect(Self.table.closestNames(to: "wage", limit: 0).isEmpty)
    }

    @Test func editDistance() {
        #expect(DataTable.editDistance(Array("kitten"), Array("sitting")) == 3)
        #expect(DataTable.editDistance(Array("ab"), Array("ba")) == 1)
        #expect(DataTable.editDistance([], Array("abc")) == 3)
    }

    @Test func readStatisticsReportThroughput() throws {
        let table = try readCSV("a\n1\n2\n")
        #expect(table.readStatistics.bytes == 6)
        #expect(table.readStatistics.seconds >= 0)
        #expect(table.source == "test.csv")
    }
}
