import Foundation
import Inference
import Testing

/// `quipu did --model poisson`: TWFE and the event study as Poisson regressions on the Peru panel.
@Suite struct DidPoissonCommandTests {
    let peru = "Datasets/peru-natural-ingredients/peru.csv"
    var base: [String] {
        ["did", "--data", peru, "--outcome", "export_eu", "--unit", "firm_id", "--time", "year", "--treat", "cbi_treated", "--model", "poisson"]
    }


    @Test func twfeEqualsFepois() throws {
        let did = try runQuipu(base + ["--format", "json"])
        #expect(did.status == 0, "\(did.standardError)")
        let fepois = try runQuipu(["fepois", "--data", peru, "--formula", "export_eu ~ cbi_treated | firm_id + year",
                                   "--vcov", "cluster:firm_id", "--format", "json"])
        let twfe = try #require(TWFEJSON.rows(did.json, "twfe").first)
        let reference = try #require((fepois.json?["coefficients"] as? [[String: Any]])?.first)
        #expect(did.json?["model"] as? String == "poisson")
        #expect(did.json?["nobs"] as? Int == 3311)
        #expect(abs((twfe["estimate"] as? Double ?? 0) - (reference["estimate"] as? Double ?? 1)) < 1e-12)
        #expect(abs((twfe["std_error"] as? Double ?? 0) - (reference["std_error"] as? Double ?? 1)) < 1e-12)
        // fepois tests with the normal, as fixest and pyfixest do for GLMs; did tests every clustered
        // estimate with t(G − 1) (issue 19: one few-cluster rule for all of did's estimators).
        let clusters = try #require(did.json?["n_clusters"] as? Int)
        let statistic = try #require(reference["statistic"] as? Double)
        #expect(abs((twfe["statistic"] as? Double ?? 0) - statistic) < 1e-9 * abs(statistic))
        let expected = StudentT(degreesOfFreedom: Double(clusters - 1)).twoSidedPValue(statistic)
        #expect(abs((twfe["p_value"] as? Double ?? 0) - expected) < 1e-12)
        #expect(abs((twfe["percent_change"] as? Double ?? 0) - (reference["percent_change"] as? Double ?? 1)) < 1e-9)
    }

    @Test func eventStudyMatchesPyfixest() throws {
        let run = try runQuipu(base + ["--event-study", "--window", "-4:4", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        // pyfixest 0.60.0: fepois("export_eu ~ i(rel, ref=-1) | firm_id + year", vcov={"CRV1": "firm_id"},
        // iwls_tol=1e-12) with rel = year − first CBI year, clipped to [−4, 4], never-treated −1000.
        let expected: [Int: (Double, Double)] = [-4: (-0.267453, 0.132122), -2: (0.114100, 0.130351), 2: (0.306987, 0.122460)]
        for (eventTime, (estimate, error)) in expected {
            let row = try #require(TWFEJSON.rows(run.json, "event_study").first { $0["event_time"] as? Int == eventTime })
            #expect(abs((row["estimate"] as? Double ?? 0) - estimate) < 1e-6)
            #expect(abs((row["std_error"] as? Double ?? 0) - error) < 1e-6)
        }
    }

    @Test func textSaysPoissonAndShowsPercentages() throws {
        let run = try runQuipu(base)
        #expect(run.status == 0, "\(run.standardError)")
        // Clustered by firm (the default), so tested with t(G − 1), as every clustered estimate of did.
        for fragment in ["Model: Poisson pseudo-maximum likelihood", "t value", "% change",
                         "Poisson: 3519 observations dropped in fixed-effect groups whose outcome is zero throughout"] {
            #expect(run.standardOutput.contains(fragment), "missing '\(fragment)'")
        }
    }

    @Test(arguments: [(["--estimator", "sunab"], "--model poisson"), (["--estimator", "cs", "--effect", "level"], "--model poisson"),
                      (["--decompose"], "--decompose")])
    func unsupportedCombinationsAreRefused(extra: [String], mention: String) throws {
        let run = try runQuipu(base + extra)
        #expect(run.status != 0)
        #expect(run.standardError.contains(mention), "\(run.standardError)")
    }
}
