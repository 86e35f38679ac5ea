import Foundation
import PanelData
import Testing

/// The memory check in the library (issue 20, point 5: it was the command line's): it decides,
/// from the file's estimated rows, whether a command's columns cannot fit, might not fit, or fit.
@Suite struct MemoryCheckAssessmentTests {
    static func csv(rows: Int) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quipu-memory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("panel.csv").path
        let lines = ["firm,year,y"] + (0..<rows).map { "\($0 / 10),\(2000 + $0 % 10),\(Double($0) * 0.5)" }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func refusesWarnsOrPasses() throws {
        let path = try Self.csv(rows: 20_000)
        let demand = MemoryDemand.leastSquares
        let tight = try #require(MemoryCheck.assess(path: path, format: .csv, columns: 3, demand: demand, limit: 1 << 20))
        #expect(tight.cannotFit)
        #expect(tight.rows.rows > 15_000 && tight.rows.rows < 25_000, "\(tight.rows)")
        #expect(tight.columnBytes == Double(tight.rows.rows * 3 * 8))
        // Between the least and the most the command needs: a warning, not a refusal.
        let between = Int((tight.least + tight.most) / 2)
        let warned = try #require(MemoryCheck.assess(path: path, format: .csv, columns: 3, demand: demand, limit: between))
        #expect(!warned.cannotFit)
        #expect(MemoryCheck.assess(path: path, format: .csv, columns: 3, demand: demand, limit: Int(tight.most) + 1) == nil)
        #expect(MemoryCheck.assess(path: path, format: .csv, columns: 3, demand: demand, limit: nil) == nil)
    }
}
