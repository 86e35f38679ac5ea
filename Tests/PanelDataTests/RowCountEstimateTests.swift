import Foundation
import QuipuTestSupport
import Testing
@testable import PanelData

/// The row counts a command uses to decide, before reading, whether a file fits in memory:
/// exact from binary metadata and small CSVs, within a few per cent from a large CSV's sample.
@Suite struct RowCountEstimateTests {
    static let folder = Fixture.path("Tests/Fixtures/formats")

    static func write(_ text: String, name: String = "rows.csv") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quipu-rows-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A CSV whose record lengths vary (ids of 1 to 5 digits, values of varying precision).
    static func irregularCSV(rows: Int, lineEnd: String) -> String {
        var text = "id,group,value" + lineEnd
        var state: UInt64 = 12345
        for row in 1...rows {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let value = Double(state >> 11) / Double(1 << 53) * 1000
            let digits = Int(state % 7)
            let rounded = (value * pow(10, Double(digits))).rounded() / pow(10, Double(digits))
            text += "\(row),g\(state % 13),\(rounded)" + lineEnd
        }
        return text
    }

    @Test(arguments: ["panel.dta", "panel.sav", "panel.arrow", "panel_lz4.arrow", "panel_zstd.arrow", "panel_polars.arrow", "panel.csv"])
    func binaryMetadataAndSmallFilesAreExact(_ file: String) throws {
        let path = Self.folder + "/" + file
        let estimate = try #require(RowCountEstimate.estimate(path: path, format: DataFormat.inferred(from: path)))
        #expect(estimate == RowCountEstimate(rows: 400, exact: true, basis: estimate.basis))
        #expect(try DataReader.read(path: path).rowCount == estimate.rows)
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func largeCSVIsEstimatedFromFourSamples(_ lineEnd: String) throws {
        let rows = 40_000
        let path = try Self.write(Self.irregularCSV(rows: rows, lineEnd: lineEnd))
        let estimate = try #require(RowCountEstimate.estimate(path: path, format: .csv, sampleBytes: 32 << 10))
        #expect(!estimate.exact)
        #expect(abs(Double(estimate.rows - rows)) / Double(rows) < 0.03, "\(estimate.rows) for \(rows)")
        #expect(estimate.basis.contains("32.0 KiB read from four places"))
        // The whole file as the sample counts exactly, whatever the line ends.
        let counted = try #require(RowCountEstimate.estimate(path: path, format: .csv, sampleBytes: 64 << 20))
        #expect(counted == RowCountEstimate(rows: rows, exact: true, basis: "counted"))
    }

    @Test func edgeCases() throws {
        #expect(RowCountEstimate.estimate(path: try Self.write("a,b\n"), format: .csv)?.rows == 0)
        #expect(RowCountEstimate.estimate(path: try Self.write("a,b"), format: .csv)?.rows == 0)
        #expect(RowCountEstimate.estimate(path: try Self.write("a,b\n1,2"), format: .csv)?.rows == 1)
        #expect(RowCountEstimate.estimate(path: try Self.write(""), format: .csv) == nil)
        #expect(RowCountEstimate.estimate(path: "/nonexistent/data.csv", format: .csv) == nil)
        #expect(RowCountEstimate.estimate(path: "-", format: .csv) == nil)
        // gzip's inflated size is not known before inflating: no estimate, no false refusal.
        #expect(RowCountEstimate.estimate(path: Self.folder + "/panel.csv.gz", format: .csvGzip) == nil)
        // A file that is not what its extension says gives no estimate; the reader reports it.
        let fake = try Self.write("not arrow at all", name: "fake.arrow")
        #expect(RowCountEstimate.estimate(path: fake, format: .arrow) == nil)
        #expect(RowCountEstimate.estimate(path: fake, format: .stata) == nil)
    }

    @Test func byteDescriptions() {
        #expect(byteDescription(812) == "812 B")
        #expect(byteDescription(4 << 20) == "4.0 MiB")
        #expect(byteDescription(Int(5.94 * 1_073_741_824)) == "5.9 GiB")
    }
}
