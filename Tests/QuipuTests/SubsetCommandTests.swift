import Foundation
import Testing
import QuipuTestSupport

/// `--subset` end to end: the same numbers as filtering the CSV first, for feols and did, and
/// clear errors for bad filters.
@Suite(.serialized, .tags(.slow)) struct SubsetCommandTests {
    static let peru = "Datasets/peru-natural-ingredients/peru.csv"
    static let filter = "pum_cohort != 2004 & size_class %in% c('small','medium')"

    /// The Peru CSV with only the rows the filter keeps, written by the test's own code.
    static func filteredPeru() throws -> (path: String, rows: Int, total: Int) {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent(peru), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        let cohort = try #require(header.firstIndex(of: "pum_cohort")), size = try #require(header.firstIndex(of: "size_class"))
        let kept = lines.filter { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return fields[cohort] != "2004" && !fields[cohort].isEmpty && ["small", "medium"].contains(fields[size])
        }
        let path = try temporaryFile(([header.joined(separator: ",")] + kept).joined(separator: "\n") + "\n", name: "peru-filtered.csv")
        return (path, kept.count, lines.count)
    }

    static func coefficients(_ json: [String: Any]?) -> [(String, Double, Double)] {
        ((json?["coefficients"] as? [[String: Any]]) ?? []).map { ($0["term"] as? String ?? "", $0["estimate"] as? Double ?? .nan, $0["std_error"] as? Double ?? .nan) }
    }

    @Test("feols --subset equals feols on the CSV filtered first")
    func feolsMatchesFilteredFile() throws {
        let filtered = try Self.filteredPeru()
        let model = ["--formula", "log(sales) ~ export_eu + emp_permanent | firm_id + year", "--vcov", "cluster:firm_id", "--format", "json"]
        let subset = try runQuipu(["feols", "--data", Self.peru, "--subset", Self.filter] + model)
        let direct = try runQuipu(["feols", "--data", filtered.path] + model)
        #expect(subset.status == 0, "\(subset.standardError)")
        #expect(direct.status == 0, "\(direct.standardError)")
        let a = Self.coefficients(subset.json), b = Self.coefficients(direct.json)
        #expect(a.count == 2 && a.count == b.count)
        for (left, right) in zip(a, b) {
            #expect(left.0 == right.0)
            #expect(abs(left.1 - right.1) <= 1e-12 * max(1, abs(right.1)), "\(left.0) estimate")
            #expect(abs(left.2 - right.2) <= 1e-12 * max(1, abs(right.2)), "\(left.0) std. error")
        }
        #expect(subset.json?["nobs"] as? Int == direct.json?["nobs"] as? Int)
        let summary = subset.json?["subset"] as? [String: Any]
        #expect(summary?["rows_kept"] as? Int == filtered.rows)
        #expect(summary?["rows_before"] as? Int == filtered.total)
        #expect((subset.json?["dropped"] as? [String: Any])?["subset"] as? Int == filtered.total - filtered.rows)
        let text = try runQuipu(["feols", "--data", Self.peru, "--subset", Self.filter, "--formula", "log(sales) ~ export_eu | firm_id + year"])
        #expect(text.standardOutput.contains("subset: kept \(filtered.rows) of \(filtered.total) rows (\(Self.filter)); removed \(filtered.total - filtered.rows) rows where the condition is false"))
    }

    @Test("did --subset equals did on the CSV filtered first (cohorts and never-treated from the filtered panel)")
    func didMatchesFilteredFile() throws {
        let filtered = try Self.filteredPeru()
        let design = ["--outcome", "log(export_eu)", "--unit", "firm_id", "--time", "year", "--cohort", "pum_cohort",
                      "--estimator", "all", "--format", "json"]
        let subset = try runQuipu(["did", "--data", Self.peru, "--subset", Self.filter] + design)
        let direct = try runQuipu(["did", "--data", filtered.path] + design)
        #expect(subset.status == 0, "\(subset.standardError)")
        #expect(direct.status == 0, "\(direct.standardError)")
        func figures(_ json: [String: Any]?) -> [Double] {
            var values = [Double]()
            for row in TWFEJSON.rows(json, "2x2") {
                values += [row["estimate"] as? Double ?? .nan, row["std_error"] as? Double ?? .nan]
            }
            // Every estimator's aggregates (CS, Sun–Abraham, imputation, TWFE) and CS's ATT(g,t).
            for key in ["aggregates", "att_gt"] {
                for row in (json?[key] as? [[String: Any]]) ?? [] {
                    values += [row["estimate"] as? Double ?? .nan, row["std_error"] as? Double ?? .nan]
                }
            }
            return values
        }
        let a = figures(subset.json), b = figures(direct.json)
        #expect(a.count > 100 && a.count == b.count)
        for (left, right) in zip(a, b) {
            #expect(abs(left - right) <= 1e-12 * max(1, abs(right)) || (left.isNaN && right.isNaN))
        }
        #expect(subset.json?["cohorts"] as? NSArray == direct.json?["cohorts"] as? NSArray)
        #expect((subset.json?["subset"] as? [String: Any])?["removed"] as? Int == filtered.total - filtered.rows)
    }

    @Test("describe and trends report the subset in text and JSON")
    func describeAndTrends() throws {
        let panel = ["--unit", "firm_id", "--time", "year", "--cohort", "pum_cohort", "--subset", "subsector == 'fruit_ingredients'"]
        let describe = try runQuipu(["describe", "--data", Self.peru] + panel)
        #expect(describe.status == 0, "\(describe.standardError)")
        #expect(describe.standardOutput.hasPrefix("subset: kept "))
        let trends = try runQuipu(["trends", "--data", Self.peru, "--outcome", "sales", "--format", "json"] + panel)
        #expect(trends.status == 0, "\(trends.standardError)")
        #expect((trends.json?["subset"] as? [String: Any])?["expression"] as? String == "subsector == 'fruit_ingredients'")
    }

    @Test("bad filters: clear error, non-zero exit", arguments: [
        ("pum_cohrt == 2004", "did you mean 'pum_cohort'?"),
        ("year > 3000", "leaves no rows"),
        ("year >", "subset error at position 6"),
        ("size_class == 2", "column 'size_class' is text"),
        ("year == '2004'", "column 'year' is numeric"),
        ("size_class %in% c('small', 2)", "mixes texts and numbers"),
    ])
    func badFilters(filter: String, message: String) throws {
        for command in [["feols", "--formula", "log(sales) ~ export_eu"],
                        ["did", "--outcome", "sales", "--unit", "firm_id", "--time", "year", "--cohort", "pum_cohort"]] {
            let result = try runQuipu(command + ["--data", Self.peru, "--subset", filter])
            #expect(result.status != 0, "\(command[0]) \(filter)")
            #expect(result.standardError.contains(message), "\(command[0]) \(filter): \(result.standardError)")
        }
    }

    @Test("rows dropped by log of zero are counted by reason in text and JSON")
    func transformationDrops() throws {
        let csv = "y,x\n1,2\n2,0\n3,-1\n4,6\n4,9\n5,3\n"
        let path = try temporaryFile(csv)
        let text = try runQuipu(["feols", "--data", path, "--formula", "log(x) ~ y"])
        #expect(text.standardOutput.contains("log of zero or negative: 2 rows"), "\(text.standardOutput)")
        let json = try runQuipu(["feols", "--data", path, "--formula", "log(x) ~ y", "--format", "json"])
        let reasons = ((json.json?["dropped"] as? [String: Any])?["undefined_transforms"] as? [[String: Any]]) ?? []
        #expect(reasons.count == 1)
        #expect(reasons.first?["reason"] as? String == "log of zero or negative")
        #expect(reasons.first?["rows"] as? Int == 2)
    }

    @Test("did takes a transformed or extensive-margin outcome")
    func didOutcomeTransformations() throws {
        for outcome in ["I(export_eu > 0)", "asinh(export_eu)", "log1p(export_eu)"] {
            let result = try runQuipu(["did", "--data", Self.peru, "--outcome", outcome, "--unit", "firm_id", "--time", "year",
                                       "--cohort", "pum_cohort", "--estimator", "twfe", "--format", "json"])
            #expect(result.status == 0, "\(outcome): \(result.standardError)")
            #expect(result.json?["dependent"] as? String == outcome)
        }
    }
}
