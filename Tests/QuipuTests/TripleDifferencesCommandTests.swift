import Foundation
import QuipuTestSupport
import Testing

/// `quipu did --estimator ddd`: the partition column's checks (one line naming the column, exit 1;
/// option misuse exit 64), the multiplier bootstrap's independence of the thread count, and the
/// covariances output.
@Suite struct TripleDifferencesCommandTests {
    /// 16 units over 2001–2004: units 1–4 start in 2003, 5–8 in 2004, 9–16 never; `q` is 1 for
    /// odd units unless `partition` says otherwise; eligible treated units gain 1 once treated.
    func panel(partition: (_ unit: Int, _ time: Int) -> String = { unit, _ in unit % 2 == 1 ? "1" : "0" }) -> String {
        var lines = ["unit,time,cohort,q,y"]
        for unit in 1...16 {
            let cohort = unit <= 4 ? 2003 : unit <= 8 ? 2004 : 0
            for time in 2001...2004 {
                let treated = cohort > 0 && time >= cohort && unit % 2 == 1
                let y = Double(unit) * 0.3 + Double(time - 2000) * (unit % 2 == 1 ? 0.2 : 0.1) + Double((unit * time) % 7) * 0.05 + (treated ? 1 : 0)
                lines.append("\(unit),\(time),\(cohort),\(partition(unit, time)),\(y)")
            }
        }
        return lines.joined(separator: "\n")
    }

    func run(_ csv: String, _ extra: [String] = ["--estimator", "ddd", "--partition", "q"]) throws -> Invocation {
        try runQuipu(["did", "--data", try temporaryFile(csv), "--outcome", "y", "--unit", "unit", "--time", "time", "--cohort", "cohort"] + extra)
    }

    /// One line on standard error that names the column, and exit 1.
    func expectRefusal(_ invocation: Invocation, _ fragment: String) {
        #expect(invocation.status == 1, "\(invocation.standardError)")
        let lines = invocation.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(invocation.standardError)")
        #expect(invocation.standardError.contains("partition 'q'") && invocation.standardError.contains(fragment), "\(invocation.standardError)")
    }

    @Test func estimatesOnAValidPanel() throws {
        let result = try run(panel())
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("Triple differences (DDD)") && result.standardOutput.contains("q = 1: 8 of 16 units"))
    }

    @Test func partitionThatIsNotBinary() throws {
        expectRefusal(try run(panel { unit, _ in unit == 3 ? "2" : unit % 2 == 1 ? "1" : "0" }), "is 2 for unit 3")
    }

    @Test func partitionThatVariesWithinAUnit() throws {
        expectRefusal(try run(panel { unit, time in unit == 6 && time == 2003 ? "1" : unit % 2 == 1 ? "1" : "0" }), "varies within unit 6")
    }

    @Test func partitionWithOneLevel() throws {
        expectRefusal(try run(panel { _, _ in "1" }), "has one level")
    }

    @Test func partitionThatIsText() throws {
        expectRefusal(try run(panel { unit, _ in unit % 2 == 1 ? "yes" : "no" }), "is text")
    }

    @Test func emptyPartitionByCohortCell() throws {
        // Every unit of cohort 2003 eligible: no ineligible units to difference out their trend.
        expectRefusal(try run(panel { unit, _ in unit <= 4 || unit % 2 == 1 ? "1" : "0" }), "no units with q = 0 in cohort 2003")
        expectRefusal(try run(panel { unit, _ in unit > 8 ? "0" : unit % 2 == 1 ? "1" : "0" }), "no units with q = 1 in the never-treated units")
    }

    @Test func optionMisuseExits64() throws {
        let missing = try run(panel(), ["--estimator", "ddd"])
        #expect(missing.status == 64 && missing.standardError.contains("--partition"), "\(missing.standardError)")
        let stray = try run(panel(), ["--estimator", "cs", "--partition", "q"])
        #expect(stray.status == 64 && stray.standardError.contains("--estimator ddd"), "\(stray.standardError)")
        let poisson = try run(panel(), ["--estimator", "ddd", "--partition", "q", "--model", "poisson"])
        #expect(poisson.status == 64 && poisson.standardError.contains("--model poisson"), "\(poisson.standardError)")
    }

    /// The bootstrap runs through the thread-invariant engine: the same draws for any --threads.
    @Test func bootstrapDoesNotDependOnThreads() throws {
        let options = ["--estimator", "ddd", "--partition", "q", "--control", "notyet", "--bootstrap", "multiplier", "--reps", "199", "--format", "json"]
        let one = try run(panel(), options + ["--threads", "1"]), two = try run(panel(), options + ["--threads", "2"])
        #expect(one.status == 0 && two.status == 0, "\(one.standardError)\(two.standardError)")
        #expect(one.standardOutput == two.standardOutput)
        #expect(one.standardOutput.contains("multiplier bootstrap (199 replicates"))
    }

    /// `--covariances` writes the aggregates' covariance as for the other estimators.
    @Test func covariancesLikeTheOtherEstimators() throws {
        let csv = try run(panel(), ["--estimator", "ddd", "--partition", "q", "--format", "csv", "--covariances"])
        #expect(csv.status == 0, "\(csv.standardError)")
        #expect(csv.standardOutput.split(separator: "\n").contains { $0.hasPrefix("ddd,") && $0.contains("simple") }, "\(csv.standardOutput)")
        let json = try run(panel(), ["--estimator", "ddd", "--partition", "q", "--format", "json"])
        let document = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        let covariances = (document?["covariances"] as? [[String: Any]]) ?? []
        #expect(covariances.contains { $0["estimator"] as? String == "ddd" && $0["aggregate"] as? String == "dynamic" })
    }

    /// Without covariates each 2x2 is a difference of means, so DDD(g,t) = DiD(eligible treated vs
    /// eligible comparison) − DiD(ineligible treated vs ineligible comparison): Callaway–Sant'Anna
    /// on each half of the partition, differenced (the other two 2x2s cancel to that).
    @Test func equalsTheDifferenceOfCallawaySantAnnaOnEachHalf() throws {
        let data = "Tests/Fixtures/ddd/ddd_staggered.csv"
        func cells(_ extra: [String]) throws -> [String: Double] {
            let run = try runQuipu(["did", "--data", data, "--outcome", "y", "--unit", "id", "--time", "time", "--cohort", "cohort",
                                    "--method", "reg", "--format", "json"] + extra)
            #expect(run.status == 0, "\(run.standardError)")
            let document = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
            var found = [String: Double]()
            for cell in (document?["att_gt"] as? [[String: Any]]) ?? [] {
                if let estimate = jsonNumber(cell["estimate"]) { found["\(cell["group"] ?? "")-\(cell["time"] ?? "")"] = estimate }
            }
            return found
        }
        let ddd = try cells(["--estimator", "ddd", "--partition", "partition"])
        let eligible = try cells(["--estimator", "cs", "--subset", "partition == 1"])
        let ineligible = try cells(["--estimator", "cs", "--subset", "partition == 0"])
        #expect(ddd.count == 4)
        for (cell, estimate) in ddd {
            expectClose(estimate, (eligible[cell] ?? .nan) - (ineligible[cell] ?? .nan), absolute: 1e-10, "ATT(\(cell))")
        }
    }
}
