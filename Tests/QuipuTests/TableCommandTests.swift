import Foundation
import Testing

/// `quipu table` end to end, on the JSON of real `feols` and `did` runs: the numbers it shows are
/// the runs' numbers (parsed back, not compared as strings), every format renders them, the
/// options select and rename as documented, and bad input fails with a message and no file.
@Suite struct TableCommandTests {
    /// JSON results of earlier runs, written once for all tests.
    struct Runs: Sendable {
        let clustered: String, iid: String, didAll: String, peru: String

        init() throws {
            let jtrain = "Datasets/jtrain/jtrain.csv"
            clustered = try Self.save(["feols", "--data", jtrain, "--formula", "lscrap ~ grant + grant_1 | fcode + year",
                                       "--vcov", "cluster:fcode"], name: "clustered.json")
            iid = try Self.save(["feols", "--data", jtrain, "--formula", "lscrap ~ grant | fcode + year"], name: "iid.json")
            didAll = try Self.save(["did", "--data", "Datasets/mpdta/mpdta.csv", "--outcome", "lemp", "--unit", "countyreal",
                                    "--time", "year", "--cohort", "first.treat", "--estimator", "all"], name: "did.json")
            peru = try Self.save(["did", "--data", "Datasets/peru-natural-ingredients/peru.csv", "--outcome", "log(sales)",
                                  "--unit", "firm_id", "--time", "year", "--cohort", "cbi_cohort", "--event-study",
                                  "--window", "-3:3"], name: "peru.json")
        }

        static func save(_ arguments: [String], name: String) throws -> String {
            let path = try temporaryOutputPath(name)
            let run = try runQuipu(arguments + ["--format", "json", "--output", path])
            guard run.status == 0 else { throw QuipuBinaryError.notBuilt("\(arguments.joined(separator: " ")): \(run.standardError)") }
            return path
        }
    }

    static let runs = Result { try Runs() }

    func document(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// The coefficients of a feols JSON by term.
    func coefficients(_ path: String) throws -> [String: [String: Any]] {
        let list = try #require(try document(path)["coefficients"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: list.compactMap { entry in (entry["term"] as? String).map { ($0, entry) } })
    }

    /// did's aggregate of one estimator, by label.
    func aggregate(_ path: String, estimator: String, label: String) throws -> [String: Any] {
        let list = try #require(try document(path)["aggregates"] as? [[String: Any]])
        return try #require(list.first { $0["estimator"] as? String == estimator && $0["label"] as? String == label })
    }

    func table(_ arguments: [String], standardInput: String? = nil) throws -> Invocation {
        let run = try runQuipu(["table"] + arguments, standardInput: standardInput)
        #expect(run.status == 0, "\(run.standardError)")
        return run
    }

    /// The numbers in a line of text, as written ("-0.2523***", "(0.1434)", "[-0.54; 0.035]").
    func numbers(in line: Substring) -> [Double] {
        line.split(whereSeparator: { " ()[];*|&$^{}<>\\".contains($0) }).compactMap { Double($0) }
    }

    /// The value `digits` significant digits of `value` stand for, with the tolerance of rounding.
    func matches(_ shown: Double, _ value: Double, digits: Int = 4) -> Bool {
        let scale = pow(10, floor(log10(abs(value))) - Double(digits - 1))
        return abs(shown - value) <= scale / 2 * 1.0001
    }

    @Test func textShowsTheRunsNumbers() throws {
        let runs = try Self.runs.get()
        let run = try table([runs.clustered, runs.iid, runs.didAll])
        let lines = run.standardOutput.split(separator: "\n")
        let clustered = try coefficients(runs.clustered), iid = try coefficients(runs.iid)
        let grantLine = try #require(lines.firstIndex { $0.hasPrefix("grant ") })
        let estimates = numbers(in: lines[grantLine]), errors = numbers(in: lines[grantLine + 1])
        #expect(estimates.count == 2 && errors.count == 2)
        #expect(matches(estimates[0], try #require(clustered["grant"]?["estimate"] as? Double)))
        #expect(matches(estimates[1], try #require(iid["grant"]?["estimate"] as? Double)))
        #expect(matches(errors[0], try #require(clustered["grant"]?["std_error"] as? Double)))
        #expect(matches(errors[1], try #require(iid["grant"]?["std_error"] as? Double)))
        // did gives a column per estimator, its overall ATT in the ATT row.
        let attLine = try #require(lines.first { $0.hasPrefix("ATT ") })
        let atts = numbers(in: attLine)
        #expect(atts.count == 5)
        for (shown, estimator) in zip(atts, ["cs", "sunab", "imputation", "etwfe", "twfe"]) {
            #expect(matches(shown, try #require(try aggregate(runs.didAll, estimator: estimator, label: "att")["estimate"] as? Double)))
        }
        for fragment in ["(1)", "(6)", "Dependent Var.:", "lscrap", "lemp", "Callaway–Sant'Anna", "Clustered (fcode)", "IID",
                         "Observations", "2,500", "Within R2", "Fixed-Effects:", "Signif. codes: *** p < 0.01, ** p < 0.05, * p < 0.1."] {
            #expect(run.standardOutput.contains(fragment), "missing '\(fragment)'")
        }
        // Event-time aggregates stay hidden unless --keep names them.
        #expect(!lines.contains { $0.hasPrefix("e0 ") })
        let fcode = try #require(lines.first { $0.hasPrefix("fcode ") })
        #expect(fcode.split(separator: " ") == ["fcode", "Yes", "Yes", "No", "No", "No", "No", "No"])
        let r2 = try #require(lines.first { $0.hasPrefix("R2 ") })
        #expect(matches(numbers(in: r2)[0], try #require(try document(runs.clustered)["r2"] as? Double), digits: 5))
    }

    @Test func starsFollowThePValues() throws {
        let runs = try Self.runs.get()
        let run = try table([runs.clustered, "--format", "csv"])
        for row in run.standardOutput.split(separator: "\n").dropFirst() {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            let p = try #require(Double(fields[8]))
            let expected = p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : ""
            #expect(String(fields[11]) == expected)
        }
        let legend = try table([runs.clustered, "--stars", "***=0.001,**=0.01,*=0.05,.=0.1"])
        #expect(legend.standardOutput.contains("Signif. codes: *** p < 0.001, ** p < 0.01, * p < 0.05, . p < 0.1."))
        #expect(legend.standardOutput.contains("-0.2523.")) // p = 0.084
        let none = try table([runs.clustered, "--stars", "none"])
        #expect(!none.standardOutput.contains("Signif.") && !none.standardOutput.contains("*"))
    }

    @Test func csvAndJSONCarryFullPrecision() throws {
        let runs = try Self.runs.get()
        let clustered = try coefficients(runs.clustered)
        let csv = try table([runs.clustered, runs.didAll, "--format", "csv"])
        let rows = csv.standardOutput.split(separator: "\n")
        #expect(rows.first == "model,source,dependent,estimator,term,estimate,std_error,statistic,p_value,conf_low,conf_high,stars")
        let grant = try #require(rows.first { $0.hasPrefix("1,") && $0.contains(",grant,") }).split(separator: ",")
        // Foundation's JSONSerialization on Linux can round a 17-digit number to the neighbouring
        // double (0.1434398541551275 read as 0.14343985415512747), so the CSV's value, parsed
        // exactly by Double(String), may differ from the JSON's by that one unit in the last place.
        for (index, key) in [(5, "estimate"), (6, "std_error"), (9, "conf_low")] {
            let ours = try #require(Double(grant[index]))
            let json = try #require(clustered["grant"]?[key] as? Double)
            #expect(abs(ours - json) <= json.ulp, "\(key): CSV \(ours), JSON \(json)")
            #expect(grant[index].count >= 15, "\(key) written with full precision: \(grant[index])")
        }
        #expect(rows.count == 1 + 2 + 5) // two feols coefficients, an ATT per did estimator

        let json = try table([runs.clustered, runs.didAll, "--format", "json"]).json
        let models = try #require(json?["models"] as? [[String: Any]])
        #expect(models.count == 6)
        #expect(models.map { $0["estimator"] as? String } == ["OLS", "Callaway–Sant'Anna", "Sun–Abraham", "Imputation (BJS)", "Extended TWFE (Wooldridge)", "TWFE"])
        let first = try #require((models[0]["coefficients"] as? [[String: Any]])?.first)
        #expect(first["estimate"] as? Double == clustered["grant"]?["estimate"] as? Double)
        #expect(models[0]["n_clusters"] as? Int == 54 && models[0]["nobs"] as? Int == 162)
        let cs = try #require((models[1]["coefficients"] as? [[String: Any]])?.first)
        #expect(cs["term"] as? String == "ATT")
        #expect(cs["estimate"] as? Double == (try aggregate(runs.didAll, estimator: "cs", label: "att")["estimate"] as? Double))
    }

    @Test func tablesJSONReadsBack() throws {
        let runs = try Self.runs.get()
        let saved = try temporaryOutputPath("table.json")
        _ = try table([runs.clustered, runs.didAll, "--keep", ".", "--format", "json", "--output", saved])
        let again = try table([saved, "--keep", ".", "--format", "csv"])
        let direct = try table([runs.clustered, runs.didAll, "--keep", ".", "--format", "csv"])
        // Identical but for the source column.
        let strip = { (text: String) in text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).enumerated().filter { $0.offset != 1 }.map(\.element) } }
        #expect(strip(again.standardOutput) == strip(direct.standardOutput))
    }

    @Test(arguments: ["markdown", "latex", "html"])
    func everyFormatShowsTheNumbers(format: String) throws {
        let runs = try Self.runs.get()
        let run = try table([runs.clustered, runs.didAll, "--format", format])
        let output = run.standardOutput
        let clustered = try coefficients(runs.clustered)
        let estimate = try #require(clustered["grant_1"]?["estimate"] as? Double)
        let lines = output.split(separator: "\n")
        let term = format == "latex" ? "grant\\_1" : format == "markdown" ? "grant\\_1" : "grant_1"
        let line = try #require(lines.first { $0.contains(term) })
        #expect(matches(try #require(numbers(in: line.replacingOccurrences(of: term, with: "")[...]).first), estimate))
        switch format {
        case "latex":
            for fragment in ["\\begin{tabular}{lcccccc}", "\\toprule", "\\midrule", "\\bottomrule", "\\end{tabular}",
                             "$^{***}$", "R$^2$", "Callaway–Sant'Anna"] {
                #expect(output.contains(fragment), "missing '\(fragment)'")
            }
        case "html":
            #expect(output.hasPrefix("<table") && output.hasSuffix("</table>\n"))
            #expect(output.contains("<sup>***</sup>") && output.contains("Callaway–Sant&#39;Anna") && output.contains("p &lt; 0.01"))
            #expect(!output.contains("<html") && !output.contains("<body"))
        default:
            #expect(lines[0].hasPrefix("|  | (1) | (2)") && lines[1].hasPrefix("|:--|"))
            #expect(output.contains("\\*\\*\\*") && output.contains("| R² |"))
        }
    }

    @Test func latexAndHTMLEscapeNames() throws {
        let runs = try Self.runs.get()
        let latex = try table([runs.clustered, "--rename", "grant=Grant & 50% $ #1_x", "--format", "latex"]).standardOutput
        #expect(latex.contains("Grant \\& 50\\% \\$ \\#1\\_x"))
        let html = try table([runs.clustered, "--rename", "grant=<b>\"Grant\" & co</b>", "--format", "html"]).standardOutput
        #expect(html.contains("&lt;b&gt;&quot;Grant&quot; &amp; co&lt;/b&gt;") && !html.contains("<b>"))
    }

    @Test func keepDropRenameAndDigits() throws {
        let runs = try Self.runs.get()
        let kept = try table([runs.clustered, runs.iid, "--keep", "_1$"]).standardOutput
        #expect(kept.contains("grant_1") && !kept.split(separator: "\n").contains { $0.hasPrefix("grant ") })
        let dropped = try table([runs.clustered, "--drop", "^grant$"]).standardOutput
        #expect(dropped.contains("grant_1") && !dropped.split(separator: "\n").contains { $0.hasPrefix("grant ") })
        let inverted = try table([runs.clustered, "--keep", "!_1"]).standardOutput
        #expect(!inverted.contains("grant_1") && inverted.contains("grant "))
        // Renaming comes first: --keep sees the new names, as in fixest.
        let renamed = try table([runs.clustered, "--rename", "grant=Support", "--rename", "fcode=Firm", "--rename", "lscrap=log(scrap)",
                                 "--keep", "^Support$"]).standardOutput
        #expect(renamed.contains("Support") && !renamed.contains("grant") && renamed.contains("Firm") && renamed.contains("log(scrap)"))
        #expect(renamed.contains("Clustered (Firm)"))
        let estimate = try #require(try coefficients(runs.clustered)["grant"]?["estimate"] as? Double)
        for digits in [2, 6] {
            let lines = try table([runs.clustered, "--digits", String(digits)]).standardOutput.split(separator: "\n")
            let line = try #require(lines.first { $0.hasPrefix("grant ") })
            let shown = try #require(numbers(in: line).first)
            #expect(matches(shown, estimate, digits: digits))
            #expect(!matches(shown, estimate, digits: digits + 1) || digits == 6)
        }
    }

    @Test func didEventTimeWhenKept() throws {
        let runs = try Self.runs.get()
        let run = try table([runs.didAll, runs.peru, "--keep", "^ATT$|^e-?[0-9]+$", "--ci"])
        let lines = run.standardOutput.split(separator: "\n")
        let labels = lines.compactMap { $0.split(separator: " ").first }.filter { $0.hasPrefix("e") }
        #expect(labels == ["e-4", "e-3", "e-2", "e-1", "e0", "e1", "e2", "e3"])
        let e2Index = try #require(lines.firstIndex { $0.hasPrefix("e2 ") })
        let cs = try aggregate(runs.didAll, estimator: "cs", label: "e2")
        #expect(matches(numbers(in: lines[e2Index])[0], try #require(cs["estimate"] as? Double)))
        let interval = numbers(in: lines[e2Index + 1])
        let low = try #require(cs["conf_low"] as? Double), high = try #require(cs["conf_high"] as? Double)
        #expect(matches(interval[0], low) && matches(interval[1], high))
        #expect(run.standardOutput.contains("95% confidence intervals in brackets."))
        #expect(run.standardOutput.contains("log(sales)") && run.standardOutput.contains("firm_id"))
    }

    @Test func readsStandardInputAndArrays() throws {
        let runs = try Self.runs.get()
        let text = try String(contentsOfFile: runs.clustered, encoding: .utf8)
        let piped = try table(["-", runs.iid, "--format", "csv"], standardInput: text)
        let rows = piped.standardOutput.split(separator: "\n")
        #expect(rows[1].hasPrefix("1,standard input,lscrap,OLS,grant,") && rows.last?.hasPrefix("2,") == true)
        let iid = try String(contentsOfFile: runs.iid, encoding: .utf8)
        let array = try temporaryFile("[" + text + "," + iid + "]", name: "array.json")
        let wrapped = try temporaryFile("{\"models\": [" + text + "," + iid + "]}", name: "models.json")
        for path in [array, wrapped] {
            let run = try table([path, "--format", "json"])
            #expect((run.json?["models"] as? [Any])?.count == 2)
        }
    }

    @Test func acceptsAPseudoR2() throws {
        // fepois's JSON: feols's fields and a pseudo R²; also a model with no inference at all.
        let poisson = try temporaryFile("""
            {"command": "fepois", "dependent": "patents", "nobs": 1000, "vcov": "hetero", "pseudo_r2": 0.4123456,
             "deviance": 812.5, "fixed_effects": [{"name": "firm", "levels": 50}],
             "coefficients": [{"term": "rd", "estimate": 0.25, "std_error": 0.05, "p_value": 0.0000005}]}
            """, name: "fepois.json")
        let bare = try temporaryFile("{\"dependent\": \"y\", \"coefficients\": [{\"term\": \"x\", \"estimate\": 1.5}]}", name: "bare.json")
        let run = try table([poisson, bare])
        let lines = run.standardOutput.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("Pseudo R2") && $0.contains("0.41235") })
        #expect(lines.contains { $0.hasPrefix("Estimator:") && $0.contains("Poisson") })
        #expect(lines.contains { $0.hasPrefix("rd ") && $0.contains("0.2500***") })
        #expect(lines.contains { $0.hasPrefix("S.E. type") && $0.contains("Heteroskedast.-robust") })
    }

    @Test func badInputFailsClearlyAndWritesNothing() throws {
        let runs = try Self.runs.get()
        let notJSON = try temporaryFile("year,fcode\n1987,1\n", name: "data.csv")
        let describe = try temporaryFile("{\"command\": \"describe\", \"units\": 54}", name: "describe.json")
        let noEstimate = try temporaryFile("{\"coefficients\": [{\"term\": \"x\", \"std_error\": 1}]}", name: "partial.json")
        let cases: [(arguments: [String], message: String)] = [
            (["/nonexistent/a.json"], "/nonexistent/a.json: no such file"),
            ([notJSON], "data.csv: not valid JSON"),
            ([describe], "describe.json: not a quipu result with estimates (command 'describe')"),
            ([noEstimate], "partial.json: coefficients[0] ('x'): has no numeric 'estimate'"),
            ([runs.clustered, "--keep", "grant("], "--keep 'grant(' is not a valid regular expression"),
            ([runs.clustered, "--drop", "[a-"], "--drop '[a-' is not a valid regular expression"),
            ([runs.clustered, "--rename", "grant"], "--rename 'grant': expected OLD=NEW"),
            ([runs.clustered, "--stars", "0.05,lots"], "--stars '0.05,lots'"),
            ([runs.clustered, "--digits", "0"], "--digits must be between 1 and 15"),
            ([runs.clustered, "--keep", "^nothing$"], "no coefficient is left to show"),
            ([runs.clustered, "-", "-"], "standard input (-) can be read once only"),
            ([], "give the JSON of at least one run"),
        ]
        for (arguments, message) in cases {
            let output = try temporaryOutputPath("table.tex")
            let run = try runQuipu(["table"] + arguments + ["--output", output], standardInput: "")
            #expect(run.status != 0, "\(arguments) succeeded")
            #expect(run.standardError.contains(message), "\(arguments): \(run.standardError)")
            #expect(!FileManager.default.fileExists(atPath: output), "\(arguments) left \(output)")
            let directory = URL(fileURLWithPath: output).deletingLastPathComponent().path
            #expect((try FileManager.default.contentsOfDirectory(atPath: directory)).isEmpty, "\(arguments) left a temporary file")
        }
        let empty = try runQuipu(["table", "-"], standardInput: "")
        #expect(empty.status != 0 && empty.standardError.contains("standard input is empty"))
    }

    @Test func outputReplacesAFileAtomically() throws {
        let runs = try Self.runs.get()
        let output = try temporaryOutputPath("table.tex")
        try Data("old".utf8).write(to: URL(fileURLWithPath: output))
        let failed = try runQuipu(["table", runs.clustered, "/nonexistent.json", "--output", output])
        #expect(failed.status != 0)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "old")
        _ = try table([runs.clustered, "--format", "latex", "--output", output])
        #expect(try String(contentsOfFile: output, encoding: .utf8).hasPrefix("\\begin{tabular}"))
    }
}
