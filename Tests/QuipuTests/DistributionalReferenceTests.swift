import Foundation
import QuipuTestSupport
import Testing

/// `quipu did --estimator cic|qdid|qtt` against the peers (Tests/Fixtures/distributional: diff-diff
/// 3.13's ChangesInChanges and QDiD, ports of R qte 1.3.1, and a dense numpy implementation of
/// Callaway & Li's panel QTT; script and pinned versions beside the fixtures).
@Suite struct DistributionalReferenceTests {
    static let directory = "Tests/Fixtures/distributional/"

    static func expected() throws -> [String: Any] { try Fixture.jsonObject(directory + "expected.json") }

    /// The `simple` aggregate's mean effect and quantile effects (a one-cohort, one-post-period
    /// design's only cell) from `quipu did`'s JSON.
    static func simple(_ file: String, unit: String, cohort: String, outcome: String, estimator: String, reps: Int = 0,
                       extra: [String] = []) throws -> (mean: [String: Any], quantiles: [[String: Any]]) {
        let path = file.hasPrefix("/") ? file : Fixture.path(directory + file)
        let run = try runQuipu(["did", "--data", path, "--unit", unit, "--time", "year", "--cohort", cohort,
                                "--outcome", outcome, "--estimator", estimator, "--reps", String(reps), "--format", "json"] + extra)
        #expect(run.status == 0, "\(run.standardError)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let aggregates = try #require(document["aggregates"] as? [[String: Any]]).filter { $0["type"] as? String == "simple" }
        let mean = try #require(aggregates.first { $0["quantile"] == nil })
        return (mean, aggregates.filter { $0["quantile"] != nil })
    }

    func compare(_ file: String, unit: String, cohort: String, outcome: String, estimator: String, reference: [String: Any]) throws {
        let (mean, quantiles) = try Self.simple(file, unit: unit, cohort: cohort, outcome: outcome, estimator: estimator)
        expectClose(jsonNumber(mean["estimate"]), jsonNumber(reference["att"]), absolute: 1e-10, "\(file) \(estimator) mean")
        let qte = try #require(reference["qte"] as? [Double])
        #expect(quantiles.count == qte.count)
        for (row, value) in zip(quantiles, qte) {
            expectClose(jsonNumber(row["estimate"]), value, absolute: 1e-10, "\(file) \(estimator) τ = \(row["quantile"] ?? "")")
        }
    }

    @Test(arguments: ["cic", "qdid"]) func twoByTwoEqualsDiffDiff(estimator: String) throws {
        let expected = try Self.expected()
        for (key, file, unit, cohort, outcome) in [("mpdta_2x2", "mpdta_2x2.csv", "countyreal", "first.treat", "lemp"),
                                                   ("peru_2x2", "peru_2x2.csv", "firm_id", "cbi_cohort", "log_sales"),
                                                   ("ties_2x2", "ties.csv", "unit", "cohort", "y")] {
            let reference = try #require((expected[key] as? [String: Any])?[estimator] as? [String: Any])
            // ties.csv has three years: the 2x2 is years 2 and 3.
            if key == "ties_2x2" {
                let text = try Fixture.text(Self.directory + file).split(separator: "\n")
                    .filter { $0.split(separator: ",").dropFirst().first != "1" }
                let path = try temporaryFile(text.joined(separator: "\n") + "\n", name: "ties_2x2.csv")
                let (mean, quantiles) = try Self.simple(path, unit: unit, cohort: cohort, outcome: outcome, estimator: estimator)
                expectClose(jsonNumber(mean["estimate"]), jsonNumber(reference["att"]), absolute: 1e-10, "ties \(estimator) mean")
                for (row, value) in zip(quantiles, try #require(reference["qte"] as? [Double])) {
                    expectClose(jsonNumber(row["estimate"]), value, absolute: 1e-10, "ties \(estimator) τ = \(row["quantile"] ?? "")")
                }
                continue
            }
            try compare(file, unit: unit, cohort: cohort, outcome: outcome, estimator: estimator, reference: reference)
        }
    }

    @Test func panelQTTEqualsNumpy() throws {
        let expected = try Self.expected()
        try compare("mpdta_qtt.csv", unit: "countyreal", cohort: "first.treat", outcome: "lemp", estimator: "qtt",
                    reference: try #require(expected["mpdta_qtt"] as? [String: Any]))
        try compare("ties.csv", unit: "unit", cohort: "cohort", outcome: "y", estimator: "qtt",
                    reference: try #require(expected["ties_qtt"] as? [String: Any]))
    }

    /// Bootstrap standard errors (999 unit resamples; IQR-based as the inference core's) within
    /// Monte Carlo error of diff-diff's (999 resamples; standard deviation): 25% leaves room for both
    /// replicate errors (about 2–4% each) and the two scale estimators on skewed replicates.
    @Test(arguments: ["cic", "qdid"]) func bootstrapStandardErrorsNearDiffDiff(estimator: String) throws {
        let reference = try #require((try Self.expected()["mpdta_2x2"] as? [String: Any])?[estimator] as? [String: Any])
        let (mean, quantiles) = try Self.simple("mpdta_2x2.csv", unit: "countyreal", cohort: "first.treat", outcome: "lemp",
                                                estimator: estimator, reps: 999)
        expectClose(jsonNumber(mean["std_error"]), jsonNumber(reference["att_se"]), relative: 0.25, "\(estimator) mean SE")
        for (row, value) in zip(quantiles, try #require(reference["qte_se"] as? [Double])) {
            expectClose(jsonNumber(row["std_error"]), value, relative: 0.25, "\(estimator) SE τ = \(row["quantile"] ?? "")")
            // The uniform band over quantiles is at least as wide as the pointwise interval.
            let low = try #require(jsonNumber(row["uniform_low"])), pointwise = try #require(jsonNumber(row["conf_low"]))
            #expect(low <= pointwise + 1e-12)
        }
    }
}
