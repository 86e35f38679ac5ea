import Foundation
import Testing

/// `quipu did`'s staggered estimators from the command line: refusals where no estimate can be
/// made, warnings where one rests on little, and the options around them (--combine, --fe, csv,
/// --plot, the multiplier bootstrap).
@Suite struct StaggeredCommandTests {
    /// A panel of `units` units over 2001–2006 with the cohort and covariate each unit gets.
    func panel(units: Int = 40, cohort: (Int) -> Int, covariate: (Int, Int) -> Double = { unit, _ in Double(unit % 5) * 0.1 }) throws -> String {
        var lines = ["unit,time,cohort,y,x,size"]
        for unit in 1...units {
            for time in 2001...2006 {
                let noise = Double((unit * 7919 + time * 104_729) % 1000) / 1000 - 0.5
                let effect = cohort(unit) > 0 && time >= cohort(unit) ? 0.5 : 0
                lines.append("\(unit),\(time),\(cohort(unit)),\(Double(unit) * 0.1 + Double(time - 2000) * 0.2 + 0.1 * noise + effect),\(covariate(unit, time)),\(unit % 2 == 0 ? "large" : "small")")
            }
        }
        return try temporaryFile(lines.joined(separator: "\n"))
    }

    func did(_ path: String, _ extra: [String]) throws -> Invocation {
        try runQuipu(["did", "--data", path, "--outcome", "y", "--unit", "unit", "--time", "time", "--cohort", "cohort"] + extra)
    }

    @Test func noNeverTreatedUnitsWithNeverTreatedControls() throws {
        let path = try panel(cohort: { $0 <= 20 ? 2003 : 2005 })
        let run = try did(path, ["--estimator", "cs"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("no never-treated units") && run.standardError.contains("--control notyet"))
        let notYet = try did(path, ["--estimator", "cs", "--control", "notyet", "--format", "json"])
        #expect(notYet.status == 0, "\(notYet.standardError)")
    }

    @Test func cohortWithOneUnitIsFlagged() throws {
        let run = try did(try panel(cohort: { $0 == 1 ? 2003 : ($0 <= 15 ? 2005 : 0) }), ["--estimator", "cs"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("cohort(s) 2003 have a single unit"))
    }

    @Test func covariateThatVariesWithinAUnit() throws {
        let run = try did(try panel(cohort: { $0 <= 15 ? 2004 : 0 }, covariate: { unit, time in Double(unit) + Double(time) * 0.01 }),
                          ["--estimator", "cs", "--covariates", "x"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("covariate 'x' varies within unit 1") && run.standardError.contains("baseline value"))
    }

    @Test func perfectSeparationIsAnOverlapProblem() throws {
        let run = try did(try panel(cohort: { $0 <= 15 ? 2004 : 0 }, covariate: { unit, _ in unit <= 15 ? 1 : 0 }),
                          ["--estimator", "cs", "--covariates", "x"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("overlap fails") && !run.standardError.lowercased().contains("nan"))
    }

    @Test func anticipationBeyondThePanel() throws {
        let run = try did(try panel(cohort: { $0 <= 15 ? 2004 : 0 }), ["--estimator", "cs", "--anticipation", "5"])
        #expect(run.status != 0)
        #expect(run.standardError.contains("--anticipation 5 leaves no cohort a pre-treatment period"))
        let negative = try did(try panel(cohort: { $0 <= 15 ? 2004 : 0 }), ["--anticipation", "-1"])
        #expect(negative.status != 0)
    }

    @Test func tooFewBootstrapReplicatesAndUnsupportedWeights() throws {
        let path = try panel(cohort: { $0 <= 15 ? 2004 : 0 })
        let few = try did(path, ["--estimator", "cs", "--bootstrap", "multiplier", "--reps", "5"])
        #expect(few.status != 0 && few.standardError.contains("too few"))
        let weighted = try did(path, ["--estimator", "cs", "--weights", "x"])
        #expect(weighted.status != 0 && weighted.standardError.contains("--weights"))
    }

    /// A categorical covariate enters as indicators (R's treatment coding).
    @Test func textCovariateEntersAsIndicators() throws {
        let run = try did(try panel(cohort: { $0 <= 15 ? 2004 : ($0 <= 25 ? 2005 : 0) }), ["--estimator", "cs", "--covariates", "size", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let notes = ((run.json?["inference"] as? [[String: Any]])?.first?["notes"] as? [String]) ?? []
        #expect(notes.contains { $0.contains("size::small") })
    }

    /// `--combine` is the linear combination with its delta-method SE from the joint covariance.
    @Test func combinationOfEventTimes() throws {
        let path = try panel(cohort: { $0 <= 15 ? 2003 : ($0 <= 25 ? 2004 : 0) })
        let run = try did(path, ["--estimator", "cs", "--combine", "(e0 + e1 + e2)/3", "--combine", "e1 - e0", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let dynamic = ((run.json?["aggregates"] as? [[String: Any]]) ?? []).filter { $0["type"] as? String == "dynamic" }
        func effect(_ e: Int) -> Double? {
            dynamic.first { (($0["by"] as? [[String: Any]])?.first?["event_time"] as? Int) == e }?["estimate"] as? Double
        }
        let combinations = (run.json?["combinations"] as? [[String: Any]]) ?? []
        #expect(combinations.count == 2)
        let average = try #require(combinations.first?["estimate"] as? Double)
        let parts = try [0, 1, 2].map { try #require(effect($0)) }
        #expect(abs(average - parts.reduce(0, +) / 3) < 1e-12)
        #expect((combinations.first?["std_error"] as? Double ?? 0) > 0)
        let unknown = try did(path, ["--estimator", "cs", "--combine", "e9 + e0"])
        #expect(unknown.status != 0 && unknown.standardError.contains("no estimate 'e9'"))
    }

    @Test func csvFormatAndComparisonPlot() throws {
        let path = try panel(cohort: { $0 <= 15 ? 2003 : ($0 <= 25 ? 2004 : 0) })
        let plot = try temporaryOutputPath("profiles.svg")
        let run = try did(path, ["--estimator", "all", "--format", "csv", "--plot", plot])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n")
        #expect(lines.first?.hasPrefix("estimator,type,group,time,event_time,estimate,std_error") == true)
        #expect(lines.contains { $0.hasPrefix("cs,att_gt,2003,2004,1,") })
        let svg = try String(contentsOfFile: plot, encoding: .utf8)
        for name in ["Callaway–Sant", "Sun–Abraham", "Imputation (BJS)", "TWFE"] { #expect(svg.contains(name)) }
        #expect(svg.contains("rows"), "the caption states the samples")
        let same = try did(path, ["--estimator", "cs", "--plot", plot, "--output", plot])
        #expect(same.status != 0)
    }

    /// Extra fixed effects (`--fe`) reach the regression estimators.
    @Test func extraFixedEffects() throws {
        let path = try panel(cohort: { $0 <= 15 ? 2003 : ($0 <= 25 ? 2004 : 0) })
        let plain = try did(path, ["--estimator", "sunab", "--format", "json"])
        let extra = try did(path, ["--estimator", "sunab", "--fe", "time^size", "--format", "json"])
        #expect(plain.status == 0 && extra.status == 0, "\(extra.standardError)")
        let a = ((plain.json?["aggregates"] as? [[String: Any]]) ?? []).first { $0["type"] as? String == "simple" }?["estimate"] as? Double
        let b = ((extra.json?["aggregates"] as? [[String: Any]]) ?? []).first { $0["type"] as? String == "simple" }?["estimate"] as? Double
        #expect(a != nil && b != nil && a != b)
        let imputation = try did(path, ["--estimator", "imputation", "--fe", "time^size", "--format", "json"])
        #expect(imputation.status == 0, "\(imputation.standardError)")
    }

    /// The multiplier bootstrap gives the same numbers for any thread count, and a uniform band
    /// at least as wide as the pointwise one.
    @Test func bootstrapIsThreadInvariant() throws {
        let path = try panel(cohort: { $0 <= 15 ? 2003 : ($0 <= 25 ? 2004 : 0) })
        let runs = try [1, 2, 4].map { threads in
            try did(path, ["--estimator", "cs", "--bootstrap", "multiplier", "--reps", "499", "--seed", "11", "--threads", String(threads), "--format", "json"])
        }
        for run in runs { #expect(run.status == 0, "\(run.standardError)") }
        let outputs = runs.map { ($0.json?["aggregates"] as? [[String: Any]]).map { $0.map { "\($0["std_error"] ?? "")" } } }
        #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2])
        let dynamic = ((runs[0].json?["aggregates"] as? [[String: Any]]) ?? []).filter { $0["type"] as? String == "dynamic" && $0["overall"] as? Bool == false }
        for entry in dynamic {
            let low = entry["conf_low"] as? Double ?? 0, uniformLow = entry["uniform_low"] as? Double ?? 0
            #expect(uniformLow <= low)
        }
    }

    /// Clustering: by the unit is the default; coarser clusters sum influence functions within them.
    @Test func clusteredStandardErrors() throws {
        let path = try panel(cohort: { $0 <= 15 ? 2003 : ($0 <= 25 ? 2004 : 0) })
        func simple(_ extra: [String]) throws -> (Double, Int?) {
            let run = try did(path, ["--estimator", "cs", "--format", "json"] + extra)
            #expect(run.status == 0, "\(run.standardError)")
            let entry = ((run.json?["aggregates"] as? [[String: Any]]) ?? []).first { $0["type"] as? String == "simple" }
            return (entry?["std_error"] as? Double ?? .nan, (run.json?["inference"] as? [[String: Any]])?.first?["n_clusters"] as? Int)
        }
        let byDefault = try simple([]), byUnit = try simple(["--cluster", "unit"]), bySize = try simple(["--cluster", "size"])
        #expect(byDefault.0 == byUnit.0 && byDefault.1 == 40)
        #expect(bySize.1 == 2 && bySize.0 != byDefault.0)
        let varying = try did(path, ["--estimator", "cs", "--cluster", "time"])
        #expect(varying.status != 0 && varying.standardError.contains("clusters must contain whole units"))
    }

    @Test func markdownAndLatexShowTheRobustEstimates() throws {
        let path = try panel(cohort: { $0 <= 15 ? 2003 : ($0 <= 25 ? 2004 : 0) })
        let markdown = try did(path, ["--estimator", "cs", "--format", "markdown"])
        #expect(markdown.status == 0 && markdown.standardOutput.contains("| simple |") && markdown.standardOutput.contains("event time 0"))
        let latex = try did(path, ["--estimator", "all", "--format", "latex"])
        #expect(latex.status == 0 && latex.standardOutput.contains("Sun–Abraham") && latex.standardOutput.contains("\\end{tabular}"))
    }
}
