import DiD
import Estimation
import Formula
import Foundation
import Inference
import PanelData
import QuipuTestSupport
import Testing

/// `quipu did --estimator etwfe` (Wooldridge's extended TWFE): against diff-diff 3.13.0's
/// `WooldridgeDiD` on mpdta (Tests/Fixtures/etwfe, script and versions there), against a dense
/// Poisson GLM with explicit unit, period and cell dummies, against the imputation estimator
/// (Wooldridge 2021: equal with not-yet-treated controls), and its refusals.
@Suite struct ExtendedTwoWayFixedEffectsTests {
    static func reference(_ configuration: String) throws -> [String: Any] {
        try #require(try Fixture.jsonObject("Tests/Fixtures/etwfe/etwfe_reference.json")[configuration] as? [String: Any])
    }

    /// Cells and every aggregate to 1e-6; standard errors to 1e-4 relative, after the one named
    /// convention difference: the small-sample factor (n − 1)/(n − K) counts K as fepois does
    /// (cells, periods, one for the unit effects nested in the clusters), diff-diff's Poisson K
    /// counts its intercept, cohort and period dummies (three more on mpdta); least squares agree.
    /// The logit (K: every column on both sides) is on 1{lemp > its median}, the fixture's threshold.
    /// linear_lpop adds the time-invariant covariate lpop (Wooldridge's cell and period interactions).
    @Test(arguments: ["linear_notyet", "linear_never", "poisson_notyet", "logit_notyet", "linear_lpop", "logit_lpop"])
    func mpdtaAgainstDiffDiff(configuration: String) throws {
        let expected = try Self.reference(configuration)
        let poisson = configuration.hasPrefix("poisson")
        let logit = configuration.hasPrefix("logit")
        let outcome = poisson ? "exp(lemp)" : logit ? "I(lemp > \(try #require(jsonNumber(expected["threshold"]))))" : "lemp"
        let run = try DiDLibraryRun(data: "Datasets/mpdta/mpdta.csv", outcome: outcome, unit: "countyreal",
                                    time: "year", cohort: "first.treat") { options in
            options.estimator = .etwfe
            options.model = poisson ? .poisson : logit ? .logit : .linear
            options.callawaySantAnna.control = configuration.hasSuffix("never") ? .never : .notyet
            if configuration.hasSuffix("lpop") { options.covariates = ["lpop"] }
        }
        let theirCells = try #require(expected["cells"] as? [[String: Any]])
        var seFactor = 1.0
        if poisson {
            let n = Double(try #require(expected["n_obs"] as? Int))
            let ours = Double(theirCells.count + 5)  // cells + 4 period dummies + 1 for the nested unit effects
            let theirs = Double(1 + theirCells.count + 3 + 4)  // intercept, cells, 3 cohort and 4 period dummies
            seFactor = ((n - ours) / (n - theirs)).squareRoot()
        }
        func compare(_ ours: [String: Any]?, _ theirs: [String: Any], _ label: String) {
            expectClose(jsonNumber(ours?["estimate"]), jsonNumber(theirs["estimate"]), absolute: 1e-6, "\(configuration) \(label) estimate")
            expectClose(jsonNumber(ours?["std_error"]).map { $0 * seFactor }, jsonNumber(theirs["std_error"]), relative: 1e-4, "\(configuration) \(label) SE")
        }
        let cells = ((run.json["att_gt"] as? [[String: Any]]) ?? []).filter { $0["estimator"] as? String == "etwfe" }
        #expect(cells.count == theirCells.count)
        for cell in theirCells {
            let ours = cells.first { $0["group"] as? Int == cell["group"] as? Int && $0["time"] as? Int == cell["time"] as? Int }
            compare(ours, cell, "ATT(\(cell["group"] ?? ""),\(cell["time"] ?? ""))")
        }
        compare(run.aggregates(estimator: "etwfe", type: "simple").first { $0["scale"] == nil }, try #require(expected["simple"] as? [String: Any]), "simple")
        for (type, key, theirKey) in [("group", "group", "group"), ("calendar", "time", "time"), ("dynamic", "event_time", "event_time")] {
            let ours = run.aggregates(estimator: "etwfe", type: type).filter { $0["scale"] == nil && $0["overall"] as? Bool == false }
            let theirs = try #require(expected[type] as? [[String: Any]])
            #expect(ours.count == theirs.count, "\(configuration) \(type)")
            for entry in theirs {
                let match = ours.first { (($0["by"] as? [[String: Any]])?.first?[key] as? Int) == entry[theirKey] as? Int }
                compare(match, entry, "\(type) \(entry[theirKey] ?? "")")
            }
        }
    }

    /// Firms whose outcome is zero throughout (two in each cohort and two never treated, in
    /// Tests/Fixtures/etwfe/poisson_zeros_panel.csv): the level ATT averages over them, as diff-diff's
    /// cohort-dummy Poisson does (Quipu averaged over the fit's firms only and came out 10–15% above
    /// here), cells and every aggregate to 1e-8; SEs to 1e-6 relative with their clusters counted
    /// (G = 60, as diff-diff), after the named (n − 1)/(n − K) difference: ours counts the fit's n
    /// (all-zero firms out) and fepois's K, diff-diff all 360 rows and its intercept and dummies.
    @Test func poissonAllZeroFirmsAgainstDiffDiff() throws {
        let expected = try Self.reference("poisson_zeros")
        let run = try DiDLibraryRun(data: "Tests/Fixtures/etwfe/poisson_zeros_panel.csv", outcome: "y", unit: "firm",
                                    time: "year", cohort: "first_treat") { options in
            options.estimator = .etwfe
            options.model = .poisson
            options.callawaySantAnna.control = .notyet
        }
        let theirCells = try #require(expected["cells"] as? [[String: Any]])
        #expect(run.json["n_clusters"] as? Int == expected["n_clusters"] as? Int)
        let ourN = Double(try #require(run.json["nobs"] as? Int)), theirN = Double(try #require(expected["n_obs"] as? Int))
        let ourK = Double(theirCells.count + 5 + 1)  // cells, 5 period dummies, 1 for the nested unit effects
        let theirK = Double(1 + theirCells.count + 2 + 5)  // intercept, cells, 2 cohort and 5 period dummies
        let seFactor = (((theirN - 1) / (theirN - theirK)) / ((ourN - 1) / (ourN - ourK))).squareRoot()
        func compare(_ ours: [String: Any]?, _ theirs: [String: Any], _ label: String) {
            expectClose(jsonNumber(ours?["estimate"]), jsonNumber(theirs["estimate"]), relative: 1e-8, "\(label) estimate")
            expectClose(jsonNumber(ours?["std_error"]).map { $0 * seFactor }, jsonNumber(theirs["std_error"]), relative: 1e-6, "\(label) SE")
        }
        let cells = ((run.json["att_gt"] as? [[String: Any]]) ?? []).filter { $0["estimator"] as? String == "etwfe" }
        #expect(cells.count == theirCells.count)
        for cell in theirCells {
            compare(cells.first { $0["group"] as? Int == cell["group"] as? Int && $0["time"] as? Int == cell["time"] as? Int },
                    cell, "ATT(\(cell["group"] ?? ""),\(cell["time"] ?? ""))")
        }
        compare(run.aggregates(estimator: "etwfe", type: "simple").first { $0["scale"] == nil }, try #require(expected["simple"] as? [String: Any]), "simple")
        for (type, key) in [("group", "group"), ("calendar", "time"), ("dynamic", "event_time")] {
            let ours = run.aggregates(estimator: "etwfe", type: type).filter { $0["scale"] == nil && $0["overall"] as? Bool == false }
            for entry in try #require(expected[type] as? [[String: Any]]) {
                compare(ours.first { (($0["by"] as? [[String: Any]])?.first?[key] as? Int) == entry[key] as? Int }, entry, "\(type) \(entry[key] ?? "")")
            }
        }
    }

    /// A small firm × year panel with zeros, an all-zero firm and staggered support: the Poisson
    /// ETWFE cells equal the average effects on the treated of a dense Poisson GLM (fepois without
    /// fixed effects) on explicit firm, year and cell dummies, averaged over every treated firm of
    /// the cell (the all-zero one, out of the GLM, with effect 0), to 1e-6 relative; with a covariate
    /// `size` (time-invariant), the GLM adds year × size and cell × (size − its cohort's mean), and
    /// the effect switches off the whole treatment block, δ + ξ·(size − mean) (Wooldridge 2023, eq. 3.15).
    @Test(arguments: [false, true]) func poissonEqualsDenseGLM(withCovariate: Bool) throws {
        let panel = Self.simulatedPanel()
        var options = DiDOptions(outcome: "y", covariance: .cluster(["firm"]))
        if withCovariate { options.covariates = ["size"] }
        options.estimator = .etwfe
        options.model = .poisson
        options.callawaySantAnna.control = .notyet
        let results = try DiDAnalysis.run(table: panel.table, unit: "firm", time: "year", treatment: .cohort("cohort", neverTreated: nil), options: options)
        let etwfe = try #require(results.staggered.first { $0.estimator == .etwfe })
        let cells = etwfe.estimates.filter { $0.kind == .attGT }
        #expect(cells.count == 6)  // cohort 2012: 2012–2015; cohort 2014: 2014–2015
        #expect(results.samples.first?.sample.drops.contains { $0.reason.contains("zero throughout") } == true)

        // The dense GLM: the all-zero firm left out (its dummy would be −∞, as fepois drops it).
        let keep = (0..<panel.rows.count).filter { panel.firmTotal[panel.rows[$0].firm] ?? 0 > 0 }
        let firms = Set(keep.map { panel.rows[$0].firm }).sorted()
        let years = Set(panel.rows.map(\.year)).sorted()
        let cellKeys = cells.map { ($0.group ?? 0, $0.time ?? 0) }
        var names = ["y"], columns = [Column.numeric(keep.map { panel.rows[$0].y })]
        for firm in firms.dropFirst() { names.append("f\(firm)"); columns.append(.numeric(keep.map { panel.rows[$0].firm == firm ? 1 : 0 })) }
        for year in years.dropFirst() { names.append("t\(year)"); columns.append(.numeric(keep.map { panel.rows[$0].year == year ? 1 : 0 })) }
        // The covariate centred at its cohort's mean over the GLM's rows (the ETWFE's usable rows).
        func size(_ firm: Int) -> Double { Double(firm % 7) }
        var cohortMean = [Int: Double]()
        for cohort in [2012, 2014] {
            let members = keep.filter { panel.rows[$0].cohort == cohort }
            cohortMean[cohort] = members.reduce(0) { $0 + size(panel.rows[$1].firm) } / Double(members.count)
        }
        for (g, t) in cellKeys {
            names.append("c\(g)_\(t)")
            columns.append(.numeric(keep.map { panel.rows[$0].cohort == g && panel.rows[$0].year == t ? 1 : 0 }))
            if withCovariate {
                names.append("c\(g)_\(t)_x")
                columns.append(.numeric(keep.map { panel.rows[$0].cohort == g && panel.rows[$0].year == t ? size(panel.rows[$0].firm) - (cohortMean[g] ?? 0) : 0 }))
            }
        }
        if withCovariate {
            for year in years.dropFirst() { names.append("t\(year)_x"); columns.append(.numeric(keep.map { panel.rows[$0].year == year ? size(panel.rows[$0].firm) : 0 })) }
        }
        let table = DataTable(source: "dense", names: names, columns: columns, rowCount: keep.count)
        let formula = try ModelFormula.parse("y ~ " + names.dropFirst().joined(separator: " + "))
        let dense = try PoissonModel.fit(try ModelFrame(table: table, formula: formula))
        let coefficient = Dictionary(uniqueKeysWithValues: zip(dense.coefficientNames, dense.coefficients))
        for (index, (g, t)) in cellKeys.enumerated() {
            var sum = 0.0, count = 0.0
            for row in panel.rows where row.cohort == g && row.year == t {
                // The all-zero firm is out of the GLM (μ̂ = 0) but one of the cell's treated firms.
                count += 1
                guard panel.firmTotal[row.firm] ?? 0 > 0 else { continue }
                let slope = withCovariate ? (coefficient["c\(g)_\(t)_x"] ?? 0) * (size(row.firm) - (cohortMean[g] ?? 0)) : 0
                let delta = try #require(coefficient["c\(g)_\(t)"]) + slope
                let trend = withCovariate ? (coefficient["t\(row.year)_x"] ?? 0) * size(row.firm) : 0
                let eta = (coefficient["(Intercept)"] ?? 0) + (coefficient["f\(row.firm)"] ?? 0) + (coefficient["t\(row.year)"] ?? 0) + trend + delta
                sum += exp(eta) - exp(eta - delta)
            }
            expectClose(cells[index].estimate, sum / count, relative: 1e-6, "ATT(\(g),\(t))")
        }
    }

    /// Wooldridge (2021): with unit and period effects and not-yet-treated controls, the extended
    /// TWFE's cells are the imputation estimator's, so its cell-size-weighted simple and event-time
    /// aggregates equal imputation's (which average the imputed effects over treated observations).
    @Test func linearEqualsImputation() throws {
        let etwfe = try DiDLibraryRun.mpdta { options in
            options.estimator = .etwfe
            options.callawaySantAnna.control = .notyet
        }
        let imputation = try DiDLibraryRun.mpdta { options in options.estimator = .imputation }
        let ours = try #require(etwfe.aggregates(estimator: "etwfe", type: "simple").first)
        let theirs = try #require(imputation.aggregates(estimator: "imputation", type: "simple").first)
        expectClose(jsonNumber(ours["estimate"]), jsonNumber(theirs["estimate"]), absolute: 1e-10, "simple")
        for e in 0...3 {
            func entry(_ run: DiDLibraryRun, _ estimator: String) -> [String: Any]? {
                run.aggregates(estimator: estimator, type: "dynamic").first { (($0["by"] as? [[String: Any]])?.first?["event_time"] as? Int) == e }
            }
            expectClose(jsonNumber(entry(etwfe, "etwfe")?["estimate"]), jsonNumber(entry(imputation, "imputation")?["estimate"]), absolute: 1e-10, "e = \(e)")
        }
    }

    /// Poisson log ratios: lr_att is log(ȳ₁ / (ȳ₁ − ATT)) over the post-treatment cells, with its
    /// percent change in the JSON.
    @Test func poissonLogRatioOfMeans() throws {
        let run = try DiDLibraryRun(data: "Datasets/mpdta/mpdta.csv", outcome: "exp(lemp)", unit: "countyreal", time: "year", cohort: "first.treat") { options in
            options.estimator = .etwfe
            options.model = .poisson
            options.callawaySantAnna.control = .notyet
        }
        let simple = run.aggregates(estimator: "etwfe", type: "simple")
        let level = try #require(simple.first { $0["scale"] == nil })
        let ratio = try #require(simple.first { $0["scale"] as? String == "log_ratio" })
        #expect(ratio["label"] as? String == "lr_att")
        // ȳ₁ over the post-treatment cells, from the data.
        let table = try Fixture.text("Datasets/mpdta/mpdta.csv").split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        let treated = table.filter { Int($0[4]) ?? 0 > 0 && Int($0[0]) ?? 0 >= Int($0[4]) ?? 0 }
        let mean = treated.reduce(0.0) { $0 + exp(Double($1[3]) ?? .nan) } / Double(treated.count)
        let att = try #require(jsonNumber(level["estimate"]))
        expectClose(jsonNumber(ratio["estimate"]), log(mean / (mean - att)), relative: 1e-9, "lr_att")
        expectClose(jsonNumber(ratio["percent_change"]), 100 * expm1(log(mean / (mean - att))), relative: 1e-9, "percent")
        #expect((jsonNumber(ratio["std_error"]) ?? 0) > 0)
    }

    /// The JSON of both models validates against docs/schema/did.schema.json (the log ratios' scale
    /// and percent fields included).
    @Test func jsonFollowsTheSchema() throws {
        for (outcome, model) in [("lemp", "linear"), ("exp(lemp)", "poisson"), ("I(lemp > 5.7)", "logit")] {
            let arguments = ["did", "--data", "Datasets/mpdta/mpdta.csv", "--outcome", outcome, "--unit", "countyreal", "--time", "year",
                             "--cohort", "first.treat", "--estimator", "etwfe", "--model", model, "--control", "never"]
            try OutputSchemaTests.check("did", arguments)
        }
    }

    /// `--aggregate` selects the extended TWFE's aggregates as it does Callaway–Sant'Anna's (it
    /// printed every aggregate whatever was asked): `simple` alone gives the cells and the simple
    /// ATT (and, for Poisson, its log ratio), with the same estimate and SE as under `all`.
    @Test(arguments: ["linear", "poisson"]) func aggregateOptionIsHonoured(model: String) throws {
        func run(_ aggregate: String) throws -> [String: Any] {
            let outcome = model == "poisson" ? "exp(lemp)" : "lemp"
            let invocation = try runQuipu(["did", "--data", "Datasets/mpdta/mpdta.csv", "--outcome", outcome, "--unit", "countyreal",
                                           "--time", "year", "--cohort", "first.treat", "--estimator", "etwfe", "--model", model,
                                           "--aggregate", aggregate, "--format", "json"])
            #expect(invocation.status == 0, "\(invocation.standardError)")
            return try #require(invocation.json)
        }
        func types(_ json: [String: Any]) -> Set<String> {
            Set(((json["aggregates"] as? [[String: Any]]) ?? []).compactMap { $0["type"] as? String })
        }
        func simple(_ json: [String: Any]) -> [[String: Any]] {
            ((json["aggregates"] as? [[String: Any]]) ?? []).filter { $0["type"] as? String == "simple" }
        }
        let all = try run("all"), only = try run("simple"), two = try run("simple,dynamic")
        #expect(types(all) == ["simple", "group", "dynamic", "calendar"])
        #expect(types(only) == ["simple"])
        #expect(types(two) == ["simple", "dynamic"])
        #expect(simple(only).count == (model == "poisson" ? 2 : 1))
        #expect((only["att_gt"] as? [[String: Any]])?.count == (all["att_gt"] as? [[String: Any]])?.count)
        for (ours, full) in zip(simple(only), simple(all)) {
            expectClose(jsonNumber(ours["estimate"]), jsonNumber(full["estimate"]), relative: 1e-12, "\(model) simple")
            expectClose(jsonNumber(ours["std_error"]), jsonNumber(full["std_error"]), relative: 1e-12, "\(model) simple SE")
        }
    }

    /// One-line refusals with exit 1, naming the column at fault.
    @Test func refusals() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("etwfe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ name: String, _ text: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let negative = try write("negative.csv", "id,t,y,g\n1,1,1,2\n1,2,-2,2\n2,1,1,0\n2,2,1,0\n3,1,2,0\n3,2,1,0\n")
        let varying = try write("varying.csv", "id,t,y,g\n1,1,1,2\n1,2,2,3\n2,1,1,0\n2,2,1,0\n")
        let timeVarying = try write("timevarying.csv", "id,t,y,g,x\n1,1,1,2,1\n1,2,2,2,1\n2,1,1,0,3\n2,2,1,0,4\n3,1,2,0,1\n3,2,1,0,1\n")
        let noNever = try write("nonever.csv", "id,t,y,g\n1,1,1,2\n1,2,2,2\n2,1,1,3\n2,2,1,3\n2,3,4,3\n1,3,2,2\n")
        let cases: [(String, [String], String)] = [
            (negative, ["--model", "poisson"], "non-negative outcome, but 'y'"),
            (negative, ["--model", "logit"], "0/1 outcome, but 'y'"),
            (varying, [], "cohort column 'g' is not constant within unit 1"),
            (noNever, ["--control", "never"], "no cohort × period cell has an untreated comparison"),
            (timeVarying, ["--covariates", "x"], "covariate 'x' varies within unit 2"),
        ]
        // A logit without a finite maximum (lpop nearly separates cohort 2004's first cells at the
        // median split, where diff-diff's coefficients diverge) is refused, not reported as ≈ 0.
        let separated = try runQuipu(["did", "--data", "Datasets/mpdta/mpdta.csv", "--unit", "countyreal", "--time", "year", "--outcome",
                                      "I(lemp > 5.6970934865054)", "--cohort", "first.treat", "--estimator", "etwfe", "--model", "logit",
                                      "--control", "notyet", "--covariates", "lpop"])
        #expect(separated.status == 1 && separated.standardError.contains("no finite maximum"), "\(separated.standardError)")
        for (path, extra, message) in cases {
            let run = try runQuipu(["did", "--data", path, "--unit", "id", "--time", "t", "--outcome", "y", "--cohort", "g", "--estimator", "etwfe"] + extra)
            #expect(run.status == 1, "\(path): \(run.standardError)")
            #expect(run.standardError.contains(message), "\(run.standardError)")
            #expect(run.standardError.split(separator: "\n").count == 1, "\(run.standardError)")
        }
    }

    /// 40 firms over 2010–2015: 10 supported from 2012, 10 from 2014, 20 never; Poisson counts whose
    /// effect grows with time since support; firm 0 has no positive outcome.
    static func simulatedPanel() -> (table: DataTable, rows: [(firm: Int, year: Int, cohort: Int, y: Double)], firmTotal: [Int: Double]) {
        var state: UInt64 = 20_261_207
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        func poisson(_ mean: Double) -> Double {
            var k = 0.0, product = uniform()
            let limit = exp(-mean)
            while product > limit { k += 1; product *= uniform() }
            return k
        }
        var rows = [(firm: Int, year: Int, cohort: Int, y: Double)]()
        for firm in 0..<40 {
            let cohort = firm < 10 ? 2012 : firm < 20 ? 2014 : 0
            let level = -0.5 + 1.5 * uniform()
            for year in 2010...2015 {
                let effect = cohort > 0 && year >= cohort ? 0.2 + 0.15 * Double(year - cohort) : 0
                rows.append((firm, year, cohort, firm == 0 ? 0 : poisson(exp(level + 0.1 * Double(year - 2010) + effect))))
            }
        }
        let table = DataTable(source: "simulated", names: ["firm", "year", "cohort", "y", "size"],
                              columns: [.numeric(rows.map { Double($0.firm) }), .numeric(rows.map { Double($0.year) }),
                                        .numeric(rows.map { Double($0.cohort) }), .numeric(rows.map(\.y)),
                                        .numeric(rows.map { Double($0.firm % 7) })], rowCount: rows.count)
        return (table, rows, Dictionary(rows.map { ($0.firm, $0.y) }, uniquingKeysWith: +))
    }
}
