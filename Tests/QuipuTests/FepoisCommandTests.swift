import Foundation
import Testing

@Suite struct FepoisCommandTests {
    let panel = "Tests/Fixtures/fepois/poisson_panel.csv"
    let peru = "Datasets/peru-natural-ingredients/peru.csv"

    func coefficient(_ json: [String: Any]?, _ term: String) -> [String: Any]? {
        (json?["coefficients"] as? [[String: Any]])?.first { $0["term"] as? String == term }
    }

    @Test func matchesTheReferenceThroughTheCommandLine() throws {
        let run = try runQuipu(["fepois", "--data", panel, "--formula", "y ~ x1 + treat | firm + year",
                                "--vcov", "cluster:firm", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = run.json
        #expect(json?["command"] as? String == "fepois")
        #expect(json?["nobs"] as? Int == 2585)
        #expect(json?["n_clusters"] as? Int == 278)
        let dropped = json?["dropped"] as? [String: Any]
        #expect(dropped?["all_zero_fixed_effect"] as? Int == 201)
        // pyfixest 0.60.0 (Tests/Fixtures/fepois/fepois_reference.json, case fe2_cluster_firm).
        let treat = try #require(coefficient(json, "treat"))
        let estimate = try #require(treat["estimate"] as? Double)
        #expect(abs(estimate - 0.26893679745306354) < 1e-9)
        let percent = try #require(treat["percent_change"] as? Double)
        #expect(abs(percent - 100 * (exp(estimate) - 1)) < 1e-9)
        let low = try #require(treat["conf_low"] as? Double)
        let percentLow = try #require(treat["percent_conf_low"] as? Double)
        #expect(abs(percentLow - 100 * (exp(low) - 1)) < 1e-9)
    }

    @Test func textOutputShowsPercentagesAndTheDrops() throws {
        let run = try runQuipu(["fepois", "--data", panel, "--formula", "y ~ x1 + treat | firm + year", "--vcov", "hetero"])
        #expect(run.status == 0, "\(run.standardError)")
        for fragment in ["Poisson estimation, Dep. Var.: y", "Observations: 2585", "201 in fixed-effect groups with an all-zero outcome",
                         "Heteroskedasticity-robust (HC1)", "z value", "% change", "Pseudo R2 (McFadden)"] {
            #expect(run.standardOutput.contains(fragment), "missing '\(fragment)'")
        }
    }

    @Test(arguments: ["markdown", "latex", "csv"])
    func otherFormats(format: String) throws {
        let run = try runQuipu(["fepois", "--data", panel, "--formula", "y ~ x1 + treat | firm + year", "--format", format])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("treat"))
        if format == "csv" { #expect(run.standardOutput.hasPrefix("term,estimate,std_error,statistic,p_value,conf_low,conf_high,percent_change")) }
    }

    @Test func separationIsReportedByName() throws {
        let run = try runQuipu(["fepois", "--data", panel, "--formula", "y ~ x1 + treat + xsep | firm + year",
                                "--vcov", "cluster:firm", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("separation: regressor xsep"))
        let json = run.json
        let dropped = json?["dropped"] as? [String: Any]
        #expect(dropped?["separated"] as? Int == 146)
        #expect(json?["separating_regressors"] as? [String] == ["xsep"])
        #expect(json?["nobs"] as? Int == 2439)
    }

    @Test func estimatesTheCBIEffectOnEUExportsInThePeruPanel() throws {
        let run = try runQuipu(["fepois", "--data", peru, "--formula", "export_eu ~ cbi_treated | firm_id + year",
                                "--vcov", "cluster:firm_id", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = run.json
        #expect(json?["nobs"] as? Int == 3311)
        let effect = try #require(coefficient(json, "cbi_treated"))
        // pyfixest 0.60.0 fepois on the same data: 0.2957404, SE (CRV1, firm) 0.0891489.
        #expect(abs((effect["estimate"] as? Double ?? 0) - 0.295740) < 1e-5)
        #expect(abs((effect["std_error"] as? Double ?? 0) - 0.0891489) < 1e-6)
    }

    @Test func negativeOutcomeFailsNamingTheColumn() throws {
        let path = try temporaryFile("firm,year,x,exports\n1,1,0.5,3\n1,2,0.1,-2\n2,1,0.3,0\n2,2,0.9,4\n")
        let run = try runQuipu(["fepois", "--data", path, "--formula", "exports ~ x | firm"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("outcome 'exports'"))
        #expect(run.standardError.contains("negative"))
        #expect(run.standardOutput.isEmpty)
    }

    @Test func allZeroOutcomeFailsNamingTheColumn() throws {
        let path = try temporaryFile("x,exports\n0.5,0\n0.1,0\n0.3,0\n0.7,0\n")
        let run = try runQuipu(["fepois", "--data", path, "--formula", "exports ~ x"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("outcome 'exports' is zero in all 4 observations"))
    }

    @Test func allZeroWithinEveryGroupFailsNamingTheColumn() throws {
        let path = try temporaryFile("firm,x,exports\n1,0.5,0\n1,0.1,0\n2,0.3,0\n2,0.7,0\n")
        let run = try runQuipu(["fepois", "--data", path, "--formula", "exports ~ x | firm"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("'exports'"))
    }

    @Test(arguments: [
        (["--formula", "y ~ nosuch | firm"], "nosuch"),
        (["--formula", "y ~ x1 | firm", "--vcov", "cluster"], "vcov"),
        (["--formula", "y ~ x1 | firm", "--separation", "simplex"], "--separation"),
        (["--formula", "y ~ x1 | firm", "--tol", "0"], "--tol"),
    ])
    func badOptionsFailCleanly(arguments: [String], mention: String) throws {
        let run = try runQuipu(["fepois", "--data", panel] + arguments)
        #expect(run.status != 0)
        #expect(run.standardError.contains(mention), "\(run.standardError)")
    }

    @Test("no residual degrees of freedom: estimates, but standard errors and tests NA with a note")
    func saturatedModelHasUndefinedInference() throws {
        let data = try temporaryFile("y,x,z,f\n1,2,1,1\n3,3,5,1\n4,1,2,2\n5,5,7,2\n")
        let run = try runQuipu(["fepois", "--data", data, "--formula", "y ~ x + z | f", "--vcov", "hetero", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(run.json)
        let rows = try #require(json["coefficients"] as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0["estimate"] is Double && $0["std_error"] is NSNull && $0["p_value"] is NSNull })
        #expect((json["notes"] as? [String] ?? []).contains { $0.contains("no residual degrees of freedom") })
    }

    /// Firms exporting only in the first half and firms exporting only in the second, joined
    /// through rows where y = 0: the rectifier check's weighted absorption (1 against n/tol²)
    /// does not converge, at any --fixef-iter (issue 19, point 14), while the model has estimates
    /// (pyfixest's rectifier finds no separation here and gives the same coefficient).
    @Test("a separation check that does not converge falls back to fitting without it, with a note")
    func unsettledSeparationCheckFallsBack() throws {
        var state: UInt64 = 15
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 40) / Double(1 << 24)
        }
        var rows = ["firm,year,x,y"]
        for firm in 0..<40 {
            for year in 0..<6 {
                let active = (year < 3) == (firm % 2 == 0)
                let x = String(format: "%.4f", uniform() - 0.5)
                let y = active && uniform() > 0.3 ? 1 + Int(4 * uniform()) : 0
                rows.append("\(firm),\(year),\(x),\(y)")
            }
        }
        let data = try temporaryFile(rows.joined(separator: "\n"))
        let arguments = ["fepois", "--data", data, "--formula", "y ~ x | firm + year", "--format", "json"]
        let checked = try runQuipu(arguments)
        #expect(checked.status == 0, "\(checked.standardError)")
        let notes = checked.json?["notes"] as? [String] ?? []
        #expect(notes.contains { $0.hasPrefix("separation not checked: the rectifier check stopped without an answer (its fixed-effect absorption did not converge") && $0.contains("--separation none") }, "\(notes)")
        #expect(checked.standardError.contains("separation not checked"))
        let unchecked = try runQuipu(arguments + ["--separation", "none"])
        #expect(unchecked.status == 0, "\(unchecked.standardError)")
        let (a, b) = (try #require(coefficient(checked.json, "x")), try #require(coefficient(unchecked.json, "x")))
        #expect(a["estimate"] as? Double == b["estimate"] as? Double && a["std_error"] as? Double == b["std_error"] as? Double)
        #expect(checked.json?["nobs"] as? Int == unchecked.json?["nobs"] as? Int)
        // More sweeps do not help the check, and it stays bounded: the same fallback.
        let patient = try runQuipu(arguments + ["--fixef-iter", "30000"])
        #expect(patient.status == 0 && (patient.json?["notes"] as? [String] ?? []).contains { $0.hasPrefix("separation not checked") })
    }

    /// fepois reports the design notes feols does: i()'s automatic reference and repeated columns.
    @Test("fepois notes i() references and columns repeated by a second i() term")
    func designNotesReachTheTable() throws {
        let single = try runQuipu(["fepois", "--data", panel, "--formula", "y ~ x1 + i(port) | firm + year", "--format", "json"])
        #expect((single.json?["notes"] as? [String] ?? []).contains { $0.hasPrefix("i(port): reference level 1 (its first level") })
        let repeated = try runQuipu(["fepois", "--data", panel, "--formula", "y ~ x1 + i(port, ref = 3) + i(port) | firm + year", "--format", "json"])
        #expect(repeated.status == 0, "\(repeated.standardError)")
        let notes = repeated.json?["notes"] as? [String] ?? []
        #expect(notes.contains("i(port): port::1, port::2, port::4, port::5, port::6 repeat columns of an earlier term, estimated once"), "\(notes)")
        #expect(!notes.contains { $0.contains("reference level 3") }, "\(notes)")
        #expect(coefficient(repeated.json, "port::3") == nil && coefficient(repeated.json, "port::1") != nil)
    }
}
