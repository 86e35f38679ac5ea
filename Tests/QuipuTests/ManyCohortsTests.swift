import Foundation
import Testing
import QuipuTestSupport

/// Issue 19, point 10: a panel where every period starts a cohort (300 cohorts × 300 periods, a
/// 2 MB CSV) made Callaway–Sant'Anna and Sun–Abraham abort on allocation. They now refuse before
/// estimating, with the number of cells and the memory they would need, and point to what works.
@Suite("many cohorts", .tags(.slow))
struct ManyCohortsTests {
    /// `cohorts` single-unit cohorts starting in periods 2, 3, … and 100 never-treated units over
    /// `periods` periods, with an effect of 0.5 after treatment.
    static func panel(cohorts: Int, periods: Int) throws -> String {
        var lines = ["unit,time,cohort,y"]
        lines.reserveCapacity((cohorts + 100) * periods + 1)
        for unit in 0..<(cohorts + 100) {
            let cohort = unit < cohorts && unit + 2 <= periods ? unit + 2 : 0
            for time in 1...periods {
                let noise = Double((unit * 7919 + time * 104_729) % 1000) / 1000 - 0.5
                lines.append("\(unit),\(time),\(cohort),\(noise + (cohort > 0 && time >= cohort ? 0.5 : 0))")
            }
        }
        return try temporaryFile(lines.joined(separator: "\n") + "\n", name: "many-cohorts.csv")
    }

    static let arguments = ["--unit", "unit", "--time", "time", "--cohort", "cohort", "--outcome", "y"]

    @Test("300 cohorts × 300 periods: CS and Sun–Abraham refuse with the figure; imputation runs")
    func tooManyCellsAreRefusedWithTheFigure() throws {
        let data = try Self.panel(cohorts: 300, periods: 300)
        let cs = try runQuipu(["did", "--data", data, "--estimator", "cs"] + Self.arguments)
        #expect(cs.status == 1)
        #expect(cs.standardError.contains("Callaway–Sant'Anna would estimate 89401 ATT(g,t) cells (299 cohorts × 300 periods)"), "\(cs.standardError)")
        #expect(cs.standardError.contains("GB of memory, more than the"))
        #expect(cs.standardError.contains("--estimator imputation"))
        let sunab = try runQuipu(["did", "--data", data, "--estimator", "sunab"] + Self.arguments)
        #expect(sunab.status == 1)
        #expect(sunab.standardError.contains("Sun–Abraham would add 89401 cohort × event-time indicator columns (299 cohorts)"), "\(sunab.standardError)")
        for run in [cs, sunab] { #expect(!run.standardError.contains("Fatal error") && run.standardOutput.isEmpty) }
        let imputation = try runQuipu(["did", "--data", data, "--estimator", "imputation", "--format", "json"] + Self.arguments)
        #expect(imputation.status == 0, "\(imputation.standardError)")
    }

    @Test("100 cohorts × 100 periods: Sun–Abraham refuses the minutes-long fit with its operation count")
    func sunAbrahamRefusesMinutesOfWork() throws {
        let data = try Self.panel(cohorts: 100, periods: 100)
        let run = try runQuipu(["did", "--data", data, "--estimator", "sunab"] + Self.arguments)
        #expect(run.status == 1)
        #expect(run.standardError.contains("9801 cohort × event-time indicator columns (99 cohorts) to a regression over 20000 rows, about 2.9·10^12 floating-point operations"), "\(run.standardError)")
    }
}
