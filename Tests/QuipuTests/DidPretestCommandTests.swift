import Foundation
import QuipuTestSupport
import Testing

/// Issue 23, points 2 and 3 at the command line: pre-trend tests that never mislead (a rank-deficient
/// covariance is tested through its generalized inverse with the rank as df, and says so), the
/// covariance of every aggregate set in the output, and the pre-test's power against a linear trend.
@Suite(.tags(.slow)) struct DidPretestCommandTests {
    static let peru = "Datasets/peru-natural-ingredients/peru.csv"
    static let pum = ["did", "--data", peru, "--outcome", "log(sales)", "--unit", "firm_id", "--time", "year", "--cohort", "pum_cohort",
                      "--estimator", "cs", "--subset", "pum_cohort != 2004 & cbi_start == 0"]

    /// On main, never-treated controls printed no test at all and not-yet-treated ones F(78, 541)
    /// ≈ 10^5 (χ² ≈ 10^7, from the inverse of a covariance of rank 63); after the generalized
    /// inverse, F(63, 541) = 15,770 and F(55, 541) = 545 from cells on one to three firms. Now the
    /// event-time leads on at least 10 treated units against Hotelling's F (PretrendLeads): lead
    /// −12 (2 firms of one cohort) is left out, −11…−1 rest on 66 firms in 12 cohorts.
    @Test("PUM on the Peru panel: Callaway–Sant'Anna's pre-test reads the event-time leads, the thin one left out", arguments: ["never", "notyet"])
    func peruPretest(control: String) throws {
        let text = try runQuipu(Self.pum + ["--control", control])
        #expect(text.status == 0, "\(text.standardError)")
        let line = try #require(text.standardOutput.split(separator: "\n").first { $0.hasPrefix("Pre-trend test, the event-time leads -11…-1 are zero") })
        #expect(line.contains("(Hotelling F on 66 treated units in 12 cohorts): F(11, 44) = "), "\(line)")
        #expect(text.standardOutput.contains("Note: pre-trend test: lead -12 (2 treated units, 1 cohort) left out of the test"))
        let json = try runQuipu(Self.pum + ["--control", control, "--format", "json"])
        let tests = try #require(json.json?["pretrend_tests"] as? [[String: Any]])
        let cs = try #require(tests.first { $0["estimator"] as? String == "cs" })
        let statistic = try #require(cs["statistic"] as? Double)
        #expect(cs["df1"] as? Int == 11 && cs["df2"] as? Double == 44)
        #expect(statistic.isFinite && statistic < 10, "F = \(statistic)")
        let excluded = try #require(cs["excluded"] as? [[String: Any]])
        #expect(excluded.map { $0["label"] as? String } == ["e-12"])
    }

    /// A small staggered panel: 24 units over 2001–2008, cohorts 2005 (8 units) and 2006 (6), the rest never.
    static func panel() throws -> String {
        var lines = ["id,year,cohort,y"]
        for unit in 0..<24 {
            let cohort = unit < 8 ? 2005 : (unit < 14 ? 2006 : 0)
            for year in 2001...2008 {
                let noise = sin(Double(unit) * 12.9898 + Double(year) * 78.233) * 0.3
                let effect = cohort > 0 && year >= cohort ? 0.5 + 0.1 * Double(year - cohort) : 0
                lines.append("\(unit),\(year),\(cohort),\(Double(unit % 5) + 0.2 * Double(year - 2001) + effect + noise)")
            }
        }
        return try temporaryFile(lines.joined(separator: "\n") + "\n")
    }

    @Test("every aggregate set carries its covariance, labelled as --combine names them: its diagonal is the squared standard errors")
    func covarianceTravels() throws {
        let data = try Self.panel()
        let base = ["did", "--data", data, "--outcome", "y", "--unit", "id", "--time", "year", "--cohort", "cohort", "--estimator", "all"]
        let run = try runQuipu(base + ["--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let aggregates = try #require(run.json?["aggregates"] as? [[String: Any]])
        let covariances = try #require(run.json?["covariances"] as? [[String: Any]])
        #expect(Set(covariances.compactMap { $0["estimator"] as? String }) == ["cs", "sunab", "imputation", "etwfe", "twfe"])
        var entries = 0
        for set in covariances {
            let estimator = try #require(set["estimator"] as? String), kind = try #require(set["aggregate"] as? String)
            let labels = try #require(set["labels"] as? [String])
            let matrix = try #require(set["matrix"] as? [[Any]])
            let rows = aggregates.filter { $0["estimator"] as? String == estimator && $0["type"] as? String == kind && $0["scale"] == nil }
            #expect(labels.count == rows.count && matrix.count == labels.count, "\(estimator) \(kind)")
            for (index, row) in rows.enumerated() {
                guard let error = row["std_error"] as? Double, let variance = matrix[index][index] as? Double else { continue }
                expectClose(variance.squareRoot(), error, relative: 1e-10, "\(estimator) \(kind) \(labels[index])")
                entries += 1
            }
        }
        #expect(entries > 20)
        // The long form: one line per entry of every matrix.
        let csv = try runQuipu(base + ["--format", "csv", "--covariances"])
        #expect(csv.status == 0, "\(csv.standardError)")
        let lines = csv.standardOutput.split(separator: "\n")
        #expect(lines.first == "estimator,aggregate,scale,row,column,covariance")
        #expect(lines.count - 1 == covariances.reduce(0) { $0 + (($1["labels"] as? [String])?.count ?? 0) * (($1["labels"] as? [String])?.count ?? 0) })
        #expect(lines.contains { $0.hasPrefix("cs,dynamic,level,e0,e1,") })
        let refused = try runQuipu(base + ["--covariances"])
        #expect(refused.status == 64, "\(refused.standardError)")
        #expect(refused.standardError.contains("--covariances"))
    }

    @Test("feols JSON carries the coefficients' covariance, whose diagonal is their squared standard errors")
    func feolsCovariance() throws {
        let data = try Self.panel()
        let run = try runQuipu(["feols", "--data", data, "--formula", "y ~ cohort + year", "--vcov", "hetero", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let record = try #require(run.json?["vcov_matrix"] as? [String: Any])
        let coefficients = try #require(run.json?["coefficients"] as? [[String: Any]])
        #expect(record["labels"] as? [String] == coefficients.compactMap { $0["term"] as? String })
        let matrix = try #require(record["matrix"] as? [[Double]])
        for (index, coefficient) in coefficients.enumerated() {
            expectClose(matrix[index][index].squareRoot(), coefficient["std_error"] as? Double, relative: 1e-10, "\(coefficient["term"] ?? "")")
        }
    }

    @Test("--pretest-power adds the slopes detected with 50% and 80% power to the text; JSON always has them")
    func pretestPower() throws {
        let data = try Self.panel()
        let base = ["did", "--data", data, "--outcome", "y", "--unit", "id", "--time", "year", "--cohort", "cohort", "--estimator", "sunab"]
        let plain = try runQuipu(base)
        #expect(!plain.standardOutput.contains("Pre-test power"))
        let text = try runQuipu(base + ["--pretest-power"])
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("Pre-test power against a linear trend (Roth 2022"))
        #expect(text.standardOutput.contains("Sun–Abraham: χ²("))
        let json = try runQuipu(base + ["--format", "json"])
        let power = try #require((json.json?["pretrend_power"] as? [[String: Any]])?.first)
        #expect(power["estimator"] as? String == "sunab" && power["alpha"] as? Double == 0.05)
        let detected = try #require(power["detected"] as? [[String: Double]])
        #expect(detected.map { $0["power"] } == [0.5, 0.8])
        let slopes = detected.compactMap { $0["slope"] }
        #expect(slopes.count == 2 && slopes[0] > 0 && slopes[0] < slopes[1])
        // The bias is the slope times the mean of (e − reference) over the post periods.
        let times = try #require(power["target_event_times"] as? [Int])
        let factor = times.reduce(0.0) { $0 + Double($1 + 1) } / Double(times.count)
        expectClose(detected[1]["bias"], slopes[1] * factor, relative: 1e-12, "bias at 80%")
    }
}
