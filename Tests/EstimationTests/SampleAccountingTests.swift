import Estimation
import Formula
import Foundation
import PanelData
import Primitives
import Testing

/// The fitted-model core's sample accounting: feols and fepois fill one `SampleAccounting`, and
/// the rows used and dropped by reason add up to the rows read. The panel is built here with each
/// reason in it: two rows with a missing regressor, a firm seen once (a singleton), a firm whose
/// outcome is zero throughout (Poisson drops it), and two rows where an indicator predicts y = 0
/// perfectly (separation).
@Suite struct SampleAccountingTests {
    /// 6 regular firms × 4 years, firm 7 (4 years, y = 0 throughout), firm 8 (1 row).
    static func panel() throws -> String {
        var lines = ["firm,year,y,x,d"]
        for firm in 1...6 {
            for year in 1...4 {
                // x missing in two rows of firms that keep three rows each.
                let missing = (firm == 1 && year == 1) || (firm == 4 && year == 2)
                let x = missing ? "" : String(Double(firm * 7 + year * 3 % 5) / 10)
                // d = 1 only where y = 0: firm 2 and firm 3 in year 4.
                let separated = (firm == 2 || firm == 3) && year == 4
                let y = separated ? 0 : 1 + (firm * 3 + year * 5) % 7
                lines.append("\(firm),\(year),\(y),\(x),\(separated ? 1 : 0)")
            }
        }
        for year in 1...4 { lines.append("7,\(year),0,\(Double(year) / 4),0") }
        lines.append("8,1,3,0.5,0")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quipu-sample-accounting-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("panel.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func frame(_ path: String) throws -> ModelFrame {
        try ModelFrame(table: try CSVReader.read(path: path), formula: try ModelFormula.parse("y ~ x + d | firm"))
    }

    @Test func leastSquaresAccountsForEveryRow() throws {
        let fit = try LinearModel.fit(try Self.frame(try Self.panel()))
        let sample = fit.sample
        #expect(sample.rowsRead == 29)
        #expect(sample.missing == 2)
        #expect(sample.singletons == 1)
        #expect(sample.separated == 0 && sample.allZeroGroups == 0)
        #expect(sample.rowsUsed == 26)
        #expect(sample.rowsUsed == fit.observationCount)
        #expect(sample.isBalanced)
        #expect(sample.rowsUsed + sample.dropped == sample.rowsRead)
    }

    @Test func poissonAddsOnlyItsOwnDrops() throws {
        let fit = try PoissonModel.fit(try Self.frame(try Self.panel()))
        let sample = fit.sample
        #expect(sample.rowsRead == 29)
        #expect(sample.missing == 2)
        #expect(sample.singletons == 1)
        #expect(sample.allZeroGroups == 4)
        #expect(sample.separated == 2)
        #expect(sample.rowsUsed == 29 - 2 - 1 - 4 - 2)
        #expect(sample.rowsUsed == fit.observationCount)
        #expect(sample.isBalanced)
        // The separation is a typed diagnostic: found by its code, not by its words.
        #expect(fit.separationDiagnostics.map(\.code) == [.separation])
        #expect(fit.separationDiagnostics.first?.severity == .warning)
    }

    @Test func aSubsetCountsAsTheFirstReason() throws {
        let fit = try LinearModel.fit(try Self.frame(try Self.panel()))
        let summary = SubsetSummary(expression: "year > 0", rowsBefore: 40, rowsKept: 29, removedFalse: 10, removedMissing: 1)
        let counted = fit.sample.including(subset: summary)
        #expect(counted.rowsRead == 40)
        #expect(counted.subset == 11)
        #expect(counted.isBalanced)
        #expect(fit.sample.including(subset: nil).rowsRead == 29)
    }
}
