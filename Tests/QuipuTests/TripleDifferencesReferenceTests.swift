import DiD
import Foundation
import QuipuTestSupport
import Testing

/// `--estimator ddd` against moderndid 0.2.0's `ddd` (the port of R triplediff) on its simulated
/// panels (Tests/Fixtures/ddd: script, pinned versions, README). Estimates to 1e-6; analytic
/// standard errors to 1e-4 relative against the influence-function standard errors of the
/// fixture (`se_if`, see the README for where moderndid's printed ones differ and why).
@Suite struct TripleDifferencesReferenceTests {
    static func reference() throws -> [String: Any] { try Fixture.jsonObject("Tests/Fixtures/ddd/ddd_reference.json") }

    static func run(_ data: String, _ settings: [String: Any]) throws -> DiDLibraryRun {
        try DiDLibraryRun(data: "Tests/Fixtures/ddd/\(data)", outcome: "y", unit: "id", time: "time", cohort: "cohort") { options in
            options.estimator = .ddd
            options.partition = "partition"
            options.callawaySantAnna.method = try #require(TwoByTwoMethod(rawValue: settings["est_method"] as? String ?? ""))
            options.callawaySantAnna.control = (settings["control_group"] as? String) == "notyettreated" ? .notyet : .never
            options.callawaySantAnna.basePeriod = try #require(CallawaySantAnnaOptions.BasePeriod(rawValue: settings["base_period"] as? String ?? "varying"))
            if settings["covariates"] as? Bool == true { options.covariates = ["cov1", "cov2", "cov3", "cov4"] }
        }
    }

    static func row(_ rows: [[String: Any]], _ key: String?, _ value: Int?) -> [String: Any]? {
        rows.first { row in
            let by = (row["by"] as? [[String: Any]]) ?? []
            guard let key else { return by.isEmpty }
            return by.first?[key] as? Int == value
        }
    }

    /// Two periods, one start year: ddd_panel's ATT for reg, IPW and DR with and without covariates.
    @Test(arguments: ["dr_cov", "ipw_cov", "reg_cov", "dr_nocov", "ipw_nocov", "reg_nocov"])
    func twoPeriods(configuration: String) throws {
        let expected = try #require((try Self.reference()["two_periods"] as? [String: Any])?[configuration] as? [String: Any])
        let run = try Self.run("ddd_2periods.csv", try #require(expected["settings"] as? [String: Any]))
        let simple = try #require(run.aggregates(estimator: "ddd", type: "simple").first)
        expectClose(jsonNumber(simple["estimate"]), jsonNumber(expected["estimate"]), absolute: 1e-6, "\(configuration) ATT")
        expectClose(jsonNumber(simple["std_error"]), jsonNumber(expected["se_if"]), relative: 1e-4, "\(configuration) SE")
        // moderndid prints sd(ψ)/√n with n − 1: the same up to √(n/(n − 1)) and the mean of ψ.
        expectClose(jsonNumber(simple["std_error"]), jsonNumber(expected["std_error"]), relative: 2e-3, "\(configuration) printed SE")
        let cells = (run.json["att_gt"] as? [[String: Any]]) ?? []
        #expect(cells.count == 1 && cells.first?["group"] as? Int == 2 && cells.first?["time"] as? Int == 2)
    }

    /// Staggered adoption: every ATT(g,t), the simple, event-study and group aggregates.
    @Test(arguments: ["dr_never", "ipw_never", "reg_never", "dr_never_nocov", "dr_notyet", "reg_notyet", "dr_universal"])
    func staggered(configuration: String) throws {
        try checkStaggered(key: "staggered", data: "ddd_staggered.csv", configuration: configuration)
    }

    /// A panel with gaps (60 units miss one period): each cell on the units observed in both of
    /// its periods, as moderndid's `ddd_mp` does.
    @Test(arguments: ["dr_never", "dr_notyet"])
    func staggeredWithGaps(configuration: String) throws {
        try checkStaggered(key: "staggered_gaps", data: "ddd_staggered_gaps.csv", configuration: configuration)
    }

    func checkStaggered(key: String, data: String, configuration: String) throws {
        let expected = try #require((try Self.reference()[key] as? [String: Any])?[configuration] as? [String: Any])
        let run = try Self.run(data, try #require(expected["settings"] as? [String: Any]))
        let cells = (run.json["att_gt"] as? [[String: Any]]) ?? []
        let theirCells = try #require(expected["att_gt"] as? [[String: Any]])
        #expect(cells.count == theirCells.count)
        for reference in theirCells {
            let mine = cells.first { $0["group"] as? Int == reference["group"] as? Int && $0["time"] as? Int == reference["time"] as? Int }
            let label = "\(configuration) ATT(\(reference["group"] ?? ""), \(reference["time"] ?? ""))"
            expectClose(jsonNumber(mine?["estimate"]), jsonNumber(reference["estimate"]), absolute: 1e-6, label)
            if let se = jsonNumber(reference["se_if"]), se > 0 {
                expectClose(jsonNumber(mine?["std_error"]), se, relative: 1e-4, "\(label) SE")
            } else {
                #expect(mine?["std_error"] is NSNull, "\(label): the reference cell's SE is undefined")
            }
        }
        let simple = try #require(run.aggregates(estimator: "ddd", type: "simple").first)
        let theirSimple = try #require(expected["simple"] as? [String: Any])
        expectClose(jsonNumber(simple["estimate"]), jsonNumber(theirSimple["estimate"]), absolute: 1e-6, "\(configuration) simple")
        expectClose(jsonNumber(simple["std_error"]), jsonNumber(theirSimple["se_if"]), relative: 1e-4, "\(configuration) simple SE")
        let dynamic = run.aggregates(estimator: "ddd", type: "dynamic")
        for reference in try #require(expected["dynamic"] as? [[String: Any]]) {
            let mine = Self.row(dynamic, "event_time", reference["event_time"] as? Int)
            let label = "\(configuration) e = \(reference["event_time"] ?? "")"
            expectClose(jsonNumber(mine?["estimate"]), jsonNumber(reference["estimate"]), absolute: 1e-6, label)
            if let se = jsonNumber(reference["se_if"]), se > 0 { expectClose(jsonNumber(mine?["std_error"]), se, relative: 1e-4, "\(label) SE") }
        }
        let overall = try #require(expected["dynamic_overall"] as? [String: Any])
        expectClose(jsonNumber(Self.row(dynamic, nil, nil)?["estimate"]), jsonNumber(overall["estimate"]), absolute: 1e-6, "\(configuration) dynamic")
        expectClose(jsonNumber(Self.row(dynamic, nil, nil)?["std_error"]), jsonNumber(overall["se_if"]), relative: 1e-4, "\(configuration) dynamic SE")
        // moderndid's group aggregates carry the cohort shares' influence as R triplediff does:
        // its printed standard errors are the reference here.
        let group = run.aggregates(estimator: "ddd", type: "group")
        for reference in try #require(expected["group"] as? [[String: Any]]) {
            let mine = Self.row(group, "group", reference["group"] as? Int)
            expectClose(jsonNumber(mine?["estimate"]), jsonNumber(reference["estimate"]), absolute: 1e-6, "\(configuration) group")
            expectClose(jsonNumber(mine?["std_error"]), jsonNumber(reference["std_error"]), relative: 1e-4, "\(configuration) group SE")
        }
        let groupOverall = try #require(expected["group_overall"] as? [String: Any])
        expectClose(jsonNumber(Self.row(group, nil, nil)?["estimate"]), jsonNumber(groupOverall["estimate"]), absolute: 1e-6, "\(configuration) group average")
        expectClose(jsonNumber(Self.row(group, nil, nil)?["std_error"]), jsonNumber(groupOverall["std_error"]), relative: 1e-4, "\(configuration) group average SE")
    }
}
