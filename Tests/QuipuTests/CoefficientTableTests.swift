import Estimation
import Formula
import Foundation
import Inference
import PanelData
import Primitives
import Reporting
import Testing

/// One coefficient table for feols and fepois: the model adds its statistics, its reference
/// distribution (from EstimateInference) and its own drop reasons, and the shared parts (the
/// sample's accounting, the coefficients' contract records) are written once for both. The panel
/// is built here with a missing regressor, a singleton, an all-zero firm and separated rows.
@Suite struct CoefficientTableTests {
    /// 6 firms × 4 years, firm 7 (y = 0 throughout), firm 8 (one row); d = 1 only where y = 0.
    static func frame() throws -> ModelFrame {
        var lines = ["firm,year,y,x,d"]
        for firm in 1...6 {
            for year in 1...4 {
                let x = firm == 1 && year == 1 ? "" : String(Double(firm * 7 + year * 3 % 5) / 10)
                let separated = (firm == 2 || firm == 3) && year == 4
                lines.append("\(firm),\(year),\(separated ? 0 : 1 + (firm * 3 + year * 5) % 7),\(x),\(separated ? 1 : 0)")
            }
        }
        for year in 1...4 { lines.append("7,\(year),0,\(Double(year) / 4),0") }
        lines.append("8,1,3,0.5,0")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quipu-coefficient-table-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("panel.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return try ModelFrame(table: try CSVReader.read(path: path), formula: try ModelFormula.parse("y ~ x + d | firm"))
    }

    static func object(_ value: JSONValue) -> [(String, JSONValue)] {
        if case .object(let pairs) = value { return pairs }
        return []
    }

    static func integer(_ pairs: [(String, JSONValue)], _ key: String) -> Int? {
        if case .integer(let value)? = pairs.first(where: { $0.0 == key })?.1 { return value }
        return nil
    }

    @Test func leastSquaresTestsAgainstTAndKeepsTheCommonDrops() throws {
        let fit = try LinearModel.fit(try Self.frame())
        let covariance = try fit.covariance(.iid)
        let table = CoefficientTable(fit: fit, covariance: covariance, weights: nil)
        #expect(table.command == "feols")
        #expect(table.distribution == .studentT(degreesOfFreedom: covariance.degreesOfFreedom))
        #expect(table.text.contains("t value") && !table.text.contains("z value"))
        let json = Self.object(table.json)
        #expect(json.contains { $0.0 == "df_t" } && !json.contains { $0.0 == "distribution" })
        let dropped = Self.object(json.first { $0.0 == "dropped" }?.1 ?? .null)
        #expect(!dropped.contains { $0.0 == "separated" || $0.0 == "all_zero_fixed_effect" })
        #expect(Self.integer(json, "nobs") == table.sample.rowsUsed)
        #expect(table.sample.isBalanced)
    }

    @Test func poissonAddsItsDistributionDropsAndPercentages() throws {
        let fit = try PoissonModel.fit(try Self.frame())
        let table = CoefficientTable(fit: fit, covariance: try fit.covariance(.hetero), weights: nil)
        #expect(table.command == "fepois")
        #expect(table.distribution == .standardNormal)
        #expect(table.text.contains("z value") && !table.text.contains("t value"))
        let json = Self.object(table.json)
        let dropped = Self.object(json.first { $0.0 == "dropped" }?.1 ?? .null)
        #expect(Self.integer(dropped, "all_zero_fixed_effect") == 4)
        #expect(Self.integer(dropped, "separated") == fit.sample.separated)
        #expect(fit.sample.separated > 0)
        // The drops and the observations add up to the rows read, as the JSON writes them.
        let drops = ["subset", "missing", "non_finite", "undefined_transform", "singletons", "zero_weight", "all_zero_fixed_effect", "separated"]
            .compactMap { Self.integer(dropped, $0) }.reduce(0, +)
        #expect(drops + (Self.integer(json, "nobs") ?? 0) == Self.integer(json, "nobs_read"))
        // Each coefficient is its contract record, then the percentage effect.
        guard case .array(let coefficients)? = json.first(where: { $0.0 == "coefficients" })?.1 else {
            Issue.record("no coefficients")
            return
        }
        #expect(coefficients.count == table.rows.count && !coefficients.isEmpty)
        for (entry, row) in zip(coefficients, table.rows) {
            let keys = Self.object(entry).map(\.0)
            #expect(keys == ["term", "estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high",
                             "percent_change", "percent_conf_low", "percent_conf_high"])
            #expect(Self.object(entry).first?.1 == .string(row.term))
        }
        #expect(table.csv.hasPrefix("term,estimate,std_error,statistic,p_value,conf_low,conf_high,percent_change"))
    }
}
