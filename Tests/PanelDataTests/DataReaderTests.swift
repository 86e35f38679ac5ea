import Foundation
import QuipuTestSupport
import Testing
@testable import PanelData

/// The readers of the non-CSV formats: labels, missing codes, types and column selection.
@Suite struct DataReaderTests {
    static let folder = Fixture.path("Tests/Fixtures/formats")

    static func read(_ file: String, keep: Set<String>? = nil) throws(CSVError) -> DataTable {
        var options = CSVReadOptions()
        options.keepColumns = keep
        return try DataReader.read(path: folder + "/" + file, options: options)
    }

    static func text(_ table: DataTable, _ name: String) -> [String?] {
        guard case .text(let column)? = table.column(named: name) else { return [] }
        return column.codes.map { $0 < 0 ? nil : column.levels[Int($0)] }
    }

    static func numbers(_ table: DataTable, _ name: String) -> [Double] {
        guard case .numeric(let values)? = table.column(named: name) else { return [] }
        return values
    }

    @Test func formatsFollowExtensions() {
        #expect(DataFormat.inferred(from: "a/b.CSV.GZ") == .csvGzip)
        #expect(DataFormat.inferred(from: "x.dta") == .stata)
        #expect(DataFormat.inferred(from: "x.zsav") == .spss)
        #expect(DataFormat.inferred(from: "x.feather") == .arrow)
        #expect(DataFormat.inferred(from: "x.txt") == .csv)
        #expect(DataFormat.inferred(from: "-") == .csv)
    }

    @Test(arguments: ["panel.csv.gz", "panel.dta", "panel.sav", "panel.arrow", "panel_lz4.arrow", "panel_zstd.arrow", "panel_polars.arrow"])
    func sameColumnsAsTheCSV(_ file: String) throws {
        let keep: Set<String> = ["firm", "region", "sector", "x", "y"]
        let csv = try Self.read("panel.csv", keep: keep)
        let other = try Self.read(file, keep: keep)
        #expect(other.names == csv.names)
        #expect(other.rowCount == 400)
        for name in ["region", "sector"] {
            #expect(Self.text(other, name) == Self.text(csv, name), "\(file): \(name)")
            guard case .text(let a)? = other.column(named: name), case .text(let b)? = csv.column(named: name) else {
                Issue.record("\(name) is not text in \(file)")
                continue
            }
            #expect(a.levels == b.levels, "levels in order of first appearance")
        }
        for name in ["firm", "x", "y"] {
            let left = Self.numbers(other, name), right = Self.numbers(csv, name)
            #expect(left.count == right.count)
            #expect(zip(left, right).allSatisfy { $0.isNaN ? $1.isNaN : $0 == $1 }, "\(file): \(name)")
        }
    }

    /// Arrow columns are decoded in parallel: one, two or four threads give the same table.
    @Test(arguments: ["panel.arrow", "panel_lz4.arrow", "panel_zstd.arrow", "panel_polars.arrow"])
    func arrowThreadsGiveTheSameTable(_ file: String) throws {
        var tables: [DataTable] = []
        for threads in [1, 2, 4] {
            var options = CSVReadOptions(threads: threads)
            options.keepColumns = nil
            tables.append(try DataReader.read(path: Self.folder + "/" + file, options: options))
        }
        for table in tables.dropFirst() { expectIdentical(tables[0], table, "\(file)") }
    }

    @Test func stataAndSPSSMissingCodesAreMissing() throws {
        for file in ["panel.dta", "panel.sav"] {
            let x = Self.numbers(try Self.read(file, keep: ["x"]), "x")
            #expect(x[5].isNaN, "\(file): .a / user-missing -99")
            #expect(!x.contains(-99))
        }
    }

    @Test func arrowTypes() throws {
        let table = try Self.read("panel.arrow", keep: ["visited", "count", "day"])
        let visited = Self.numbers(table, "visited")
        #expect(visited[0] == 1 && visited[1] == 0 && visited[3].isNaN)
        let count = Self.numbers(table, "count")
        #expect(count[1] == 1 && count[4].isNaN)
        #expect(Self.text(table, "day").first == "2010-03-01")
    }

    @Test func missingColumnIsNamed() throws {
        for file in ["panel.dta", "panel.sav", "panel.arrow"] {
            let error = #expect(throws: CSVError.self) { try Self.read(file, keep: ["regoin"]) }
            #expect(error?.kind == .missingColumns)
            #expect(error?.message.contains("did you mean 'region'") == true)
        }
    }

    @Test func temporalText() {
        #expect(ArrowTemporal.date(daysSinceEpoch: 0) == "1970-01-01")
        #expect(ArrowTemporal.date(daysSinceEpoch: -1) == "1969-12-31")
        #expect(ArrowTemporal.date(daysSinceEpoch: 19_782) == "2024-02-29")
        #expect(ArrowTemporal.timestamp(1_500_000, unit: 1) == "1970-01-01 00:25:00")
        #expect(ArrowTemporal.timestamp(-1, unit: 0) == "1969-12-31 23:59:59")
        #expect(ArrowTemporal.timestamp(1_250, unit: 1) == "1970-01-01 00:00:01.25")
    }
}
