import Foundation
import Testing

@Suite struct FeolsCommandTests {
    let jtrain = "Datasets/jtrain/jtrain.csv"
    let example141 = "lscrap ~ grant + grant_1 | fcode + year"

    func coefficient(_ json: [String: Any]?, _ term: String) -> [String: Any]? {
        (json?["coefficients"] as? [[String: Any]])?.first { $0["term"] as? String == term }
    }

    @Test func reproducesWooldridgeExample14_1() throws {
        let run = try runQuipu(["feols", "--data", jtrain, "--formula", example141, "--vcov", "iid", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = run.json
        #expect(json?["nobs"] as? Int == 162)
        #expect(json?["vcov"] as? String == "iid")
        let grant = try #require(coefficient(json, "grant"))
        let grant1 = try #require(coefficient(json, "grant_1"))
        // Wooldridge, Introductory Econometrics, Example 14.1 (printed to three decimals).
        #expect(abs((grant["estimate"] as? Double ?? 0) - -0.252) < 0.0005)
        #expect(abs((grant["std_error"] as? Double ?? 0) - 0.151) < 0.0005)
        #expect(abs((grant1["estimate"] as? Double ?? 0) - -0.422) < 0.0005)
        #expect(abs((grant1["std_error"] as? Double ?? 0) - 0.210) < 0.0005)
        let dropped = json?["dropped"] as? [String: Any]
        #expect(dropped?["missing"] as? Int == 309)
    }

    @Test func textOutputReadsLikeFixest() throws {
        let run = try runQuipu(["feols", "--data", jtrain, "--formula", example141, "--vcov", "cluster:fcode"])
        #expect(run.status == 0)
        for fragment in ["OLS estimation, Dep. Var.: lscrap", "Observations: 162", "Fixed-effects: fcode: 54,  year: 3",
                         "Clustered by fcode (54 clusters)", "grant_1", "Within R2"] {
            #expect(run.standardOutput.contains(fragment), "missing '\(fragment)'")
        }
    }

    @Test(arguments: ["markdown", "latex", "csv"])
    func otherFormats(format: String) throws {
        let run = try runQuipu(["feols", "--data", jtrain, "--formula", example141, "--format", format])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains(format == "latex" ? "grant\\_1" : "grant_1"))
        if format == "latex" { #expect(run.standardOutput.contains("\\begin{tabular}") && run.standardOutput.contains("grant\\_1")) }
        if format == "csv" { #expect(run.standardOutput.hasPrefix("term,estimate,std_error,statistic,p_value,conf_low,conf_high\n")) }
    }

    @Test func jsonNumbersRoundTrip() throws {
        let json = try runQuipu(["feols", "--data", jtrain, "--formula", example141, "--format", "json"])
        let csv = try runQuipu(["feols", "--data", jtrain, "--formula", example141, "--format", "csv"])
        // CSV prints Swift's shortest round-trip representation; JSON must carry the same doubles.
        let csvEstimate = try #require(Double(csv.standardOutput.split(separator: "\n")[1].split(separator: ",")[1]))
        let jsonEstimate = try #require(coefficient(json.json, "grant")?["estimate"] as? Double)
        #expect(csvEstimate == jsonEstimate)
    }

    @Test func readsStandardInput() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent(jtrain), encoding: .utf8)
        let run = try runQuipu(["feols", "--data", "-", "--formula", example141, "--format", "json"], standardInput: text)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.json?["nobs"] as? Int == 162)
    }

    @Test func writesOutputFileAtomically() throws {
        let path = try temporaryOutputPath()
        let run = try runQuipu(["feols", "--data", jtrain, "--formula", example141, "--format", "json", "--output", path])
        #expect(run.status == 0)
        #expect(run.standardOutput.isEmpty)
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect((try JSONSerialization.jsonObject(with: written) as? [String: Any])?["nobs"] as? Int == 162)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(leftovers == ["out.json"])
        // Writing again replaces the file.
        let again = try runQuipu(["feols", "--data", jtrain, "--formula", example141, "--format", "csv", "--output", path])
        #expect(again.status == 0, "\(again.standardError)")
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("term,estimate"))
    }

    @Test func twoWayClusteringReportsBothDimensions() throws {
        let run = try runQuipu(["feols", "--data", jtrain, "--formula", example141, "--vcov", "cluster:fcode+year", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.json?["n_clusters"] as? Int == 3)
        #expect(run.json?["cluster_sizes"] as? [Int] == [54, 3])
    }
}
