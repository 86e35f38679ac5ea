import Foundation
import QuipuTestSupport
import Testing

/// `quipu did --vcov cr2` (issue 21) and the extended TWFE's logit on perfectly predicted cells
/// (issue 22), through the command line.
@Suite struct DidCR2AndLogitSeparationTests {
    /// 40 units over periods 1–6: 8 supported from 3, 8 from 5, 24 never; a 0/1 outcome with
    /// variation in every cohort, period and cell but two: cell (3, 4) is all 1, cell (5, 6) all 0.
    static func logitPanel(dropping separated: Bool) -> String {
        var lines = ["id,t,y,g"]
        for u in 0..<40 {
            let g = u < 8 ? 3 : (u < 16 ? 5 : 0)
            for t in 1...6 {
                var y = (u * 7 + t * 3) % 5 < 2 ? 1 : 0
                if g == 3 && t == 4 { y = 1 }
                if g == 5 && t == 6 { y = 0 }
                if separated && ((g == 3 && t == 4) || (g == 5 && t == 6)) { continue }
                lines.append("\(u + 1),\(t),\(y),\(g)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The cohort × period cells of a did JSON (`att_gt`), keyed "g,t".
    static func cells(_ json: [String: Any]?) -> [String: Double] {
        var result = [String: Double]()
        for row in json?["att_gt"] as? [[String: Any]] ?? [] {
            guard let g = row["group"] as? Int, let estimate = row["estimate"] as? Double else { continue }
            let t = (row["time"] as? Int) ?? (row["event_time"] as? Int).map { g + $0 } ?? Int.min
            result["\(g),\(t)"] = estimate
        }
        return result
    }

    @Test("a perfectly predicted cell is left out with a note naming it; the other cells equal the fit without its rows")
    func logitSeparatedCellsAreDroppedAndNamed() throws {
        let full = try temporaryFile(Self.logitPanel(dropping: false))
        let without = try temporaryFile(Self.logitPanel(dropping: true))
        let arguments = ["--unit", "id", "--time", "t", "--outcome", "y", "--cohort", "g", "--estimator", "etwfe", "--model", "logit",
                         "--control", "notyet", "--format", "json"]
        let run = try runQuipu(["did", "--data", full] + arguments)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("(3, 4) all 1 in 8 row(s)") && run.standardOutput.contains("(5, 6) all 0 in 8 row(s)"), "\(run.standardOutput)")
        #expect(run.standardOutput.contains("logit: perfectly predicted"))
        let reference = try runQuipu(["did", "--data", without] + arguments)
        #expect(reference.status == 0, "\(reference.standardError)")
        let ours = Self.cells(run.json), theirs = Self.cells(reference.json)
        #expect(ours["3,4"] == nil && ours["5,6"] == nil)
        #expect(!ours.isEmpty && Set(ours.keys) == Set(theirs.keys), "\(ours.keys.sorted()) vs \(theirs.keys.sorted())")
        for (key, value) in ours { expectClose(value, theirs[key] ?? .nan, relative: 1e-9, "cell \(key)") }
    }

    @Test("every cell perfectly predicted: a one-line error and exit 1")
    func logitAllCellsSeparatedIsRefused() throws {
        let path = try temporaryFile("id,t,y,g\n1,1,0,2\n1,2,1,2\n2,1,1,0\n2,2,0,0\n3,1,0,0\n3,2,1,0\n")
        let run = try runQuipu(["did", "--data", path, "--unit", "id", "--time", "t", "--outcome", "y", "--cohort", "g",
                                "--estimator", "etwfe", "--model", "logit", "--control", "notyet"])
        #expect(run.status == 1, "\(run.standardError)")
        #expect(run.standardError.contains("perfectly predicted"), "\(run.standardError)")
        #expect(run.standardError.split(separator: "\n").count == 1, "\(run.standardError)")
    }

    @Test("--vcov cr2: larger SEs than CRV1 for sunab and etwfe on the gappy Peru panel, the same estimates; refusals exit 64")
    func cr2OnThePeruPanel() throws {
        let base = ["did", "--data", "Datasets/peru-natural-ingredients/peru.csv", "--unit", "firm_id", "--time", "year",
                    "--cohort", "pum_cohort", "--outcome", "log(emp_temporary)", "--format", "json", "--aggregate", "simple"]
        for estimator in ["sunab", "etwfe"] {
            let plain = try runQuipu(base + ["--estimator", estimator])
            let cr2 = try runQuipu(base + ["--estimator", estimator, "--vcov", "cr2"])
            #expect(plain.status == 0 && cr2.status == 0, "\(cr2.standardError)")
            func simple(_ run: Invocation) -> (Double, Double)? {
                guard let row = (run.json?["aggregates"] as? [[String: Any]])?.first(where: { $0["type"] as? String == "simple" && $0["overall"] as? Bool == true }),
                      let estimate = row["estimate"] as? Double, let se = row["std_error"] as? Double else { return nil }
                return (estimate, se)
            }
            let a = try #require(simple(plain)), b = try #require(simple(cr2))
            #expect(a.0 == b.0, "\(estimator)")
            #expect(b.1 > a.1, "\(estimator): CR2 \(b.1), default \(a.1)")
            #expect(cr2.standardOutput.contains("CR2 (Bell–McCaffrey)"))
        }
        for (extra, message) in [(["--estimator", "cs"], "applies to --estimator sunab and etwfe"),
                                 (["--estimator", "etwfe", "--model", "poisson"], "adjusts least squares")] {
            let run = try runQuipu(base + extra + ["--vcov", "cr2"])
            #expect(run.status == 64 && run.standardError.contains(message), "\(run.standardError)")
        }
    }
}
