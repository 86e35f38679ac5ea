import DiD
import Foundation
import Inference
import QuipuTestSupport
import Testing

/// `DiDAnalysis` (TWFE, the event study, the 2x2) against pyfixest 0.60.0 on mpdta
/// (Tests/Fixtures/did, with script and versions), run in process (`DiDLibraryRun`).
@Suite struct DidReferenceTests {
    static func reference() throws -> [String: Any] {
        try Fixture.jsonObject("Tests/Fixtures/did/did_reference.json")
    }

    @Test(arguments: [("cluster", nil), ("iid", "iid"), ("hetero", "hetero")] as [(String, String?)])
    func twoWayFixedEffects(fitName: String, vcov: String?) throws {
        let fits = try #require((try Self.reference()["twfe"] as? [String: Any])?["fits"] as? [String: Any])
        let expected = try #require(fits[fitName] as? [String: Any])
        let run = try DiDLibraryRun.mpdta { options in
            if let vcov { options.covariance = try CovarianceType(parsing: vcov) }
        }
        let ours = try #require(run.estimates("twfe").first)
        expectClose(ours["estimate"] as? Double, expected["estimate"] as? Double, relative: 1e-8)
        expectClose(ours["std_error"] as? Double, expected["std_error"] as? Double, relative: 1e-6)
        #expect(abs((ours["p_value"] as? Double ?? 9) - (expected["p_value"] as? Double ?? 0)) < 1e-7)
        #expect(run.json["nobs"] as? Int == expected["nobs"] as? Int)
    }

    @Test(arguments: [("full", nil), ("window_-2_2", -2...2)] as [(String, ClosedRange<Int>?)])
    func eventStudyAndPretrendTest(variant: String, window: ClosedRange<Int>?) throws {
        let studies = try #require(try Self.reference()["event_study"] as? [String: Any])
        let expected = try #require(studies[variant] as? [String: Any])
        let run = try DiDLibraryRun.mpdta { options in
            options.eventStudy = true
            options.window = window
        }
        let ours = run.estimates("event_study")
        let theirs = try #require(expected["coefficients"] as? [[String: Any]])
        #expect(ours.map { $0["event_time"] as? Int } == theirs.map { $0["event_time"] as? Int })
        for (mine, reference) in zip(ours, theirs) {
            expectClose(mine["estimate"] as? Double, reference["estimate"] as? Double, relative: 1e-8, "e=\(reference["event_time"] ?? "")")
            expectClose(mine["std_error"] as? Double, reference["std_error"] as? Double, relative: 1e-6, "e=\(reference["event_time"] ?? "")")
            expectClose(mine["conf_low"] as? Double, reference["conf_low"] as? Double, relative: 1e-6)
        }
        let test = try #require(TWFEJSON.pretrendTest(run.json))
        let reference = try #require(expected["pre_trend_test"] as? [String: Any])
        expectClose(test["statistic"] as? Double, reference["f_statistic"] as? Double, relative: 1e-6)
        #expect(test["df1"] as? Int == reference["df1"] as? Int)
        expectClose(test["df2"] as? Double, (reference["df2"] as? NSNumber)?.doubleValue, relative: 0)
        #expect(abs((test["p_value"] as? Double ?? 9) - (reference["p_value"] as? Double ?? 0)) < 1e-7)
    }

    @Test func twoByTwo() throws {
        let expected = try #require(try Self.reference()["two_by_two"] as? [String: Any])
        let regressionFit = try #require(expected["regression"] as? [String: Any])
        let interaction = regressionFit["interaction_term"] as? String
        let coefficients = try #require(regressionFit["coefficients"] as? [[String: Any]])
        let regression = try #require(coefficients.first { $0["term"] as? String == interaction })
        // The fixture's sample: never-treated counties and the 2004 cohort, in 2003 and 2004.
        let text = try Fixture.text("Datasets/mpdta/mpdta.csv")
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        let year = try #require(header.firstIndex(of: "year")), cohort = try #require(header.firstIndex(of: "first.treat"))
        let kept = lines.filter { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return ["2003", "2004"].contains(String(fields[year])) && ["0", "2004"].contains(String(fields[cohort]))
        }
        let path = try temporaryFile(([header.joined(separator: ",")] + kept).joined(separator: "\n"))
        let run = try DiDLibraryRun(data: path, outcome: "lemp", unit: "countyreal", time: "year", cohort: "first.treat")
        let ours = try #require(run.estimates("2x2").first)
        let means = try #require(ours["difference_of_means"] as? Double)
        expectClose(means, expected["did_of_means"] as? Double, relative: 1e-12)
        #expect(abs((ours["estimate"] as? Double ?? 9) - means) <= 1e-12, "the 2x2 regression equals the difference of means")
        expectClose(ours["std_error"] as? Double, regression["std_error"] as? Double, relative: 1e-6)
        #expect(run.json["n_clusters"] as? Int == regressionFit["n_clusters"] as? Int)
    }
}

/// The Goodman-Bacon decomposition from the command line: weights sum to one and the weighted
/// 2x2 estimates reproduce the TWFE coefficient of the same run.
@Suite struct BaconCommandTests {
    @Test(arguments: [
        ["--data", "Datasets/mpdta/mpdta.csv", "--outcome", "lemp", "--unit", "countyreal", "--time", "year", "--cohort", "first.treat"],
        ["--data", "Datasets/peru-natural-ingredients/peru.csv", "--outcome", "log(sales)", "--unit", "firm_id", "--time", "year",
         "--cohort", "pum_cohort", "--balance"],
    ])
    func decompositionReproducesTWFE(arguments: [String]) throws {
        let run = try runQuipu(["did"] + arguments + ["--decompose", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let bacon = try #require(TWFEJSON.bacon(run.json))
        let comparisons = try #require(bacon["comparisons"] as? [[String: Any]])
        let weights = comparisons.compactMap { $0["weight"] as? Double }
        #expect(abs(weights.reduce(0, +) - 1) < 1e-12)
        let weighted = comparisons.reduce(0.0) { $0 + ($1["weight"] as? Double ?? 0) * ($1["estimate"] as? Double ?? 0) }
        let twfe = try #require(TWFEJSON.rows(run.json, "twfe").first?["estimate"] as? Double)
        #expect(abs(weighted - twfe) <= 1e-10 * max(1, abs(twfe)), "Bacon \(weighted) vs TWFE regression \(twfe)")
    }

    @Test func unbalancedPanelIsExplained() throws {
        let run = try runQuipu(["did", "--data", "Datasets/peru-natural-ingredients/peru.csv", "--outcome", "log(sales)", "--unit", "firm_id",
                                "--time", "year", "--cohort", "pum_cohort", "--decompose"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("balanced") && run.standardError.contains("--balance"))
    }
}
