import Foundation
import QuipuTestSupport
import Testing

/// `quipu did --estimator dcdh`: what it refuses (one line, exit 1 for data, 64 for options), the
/// text and chart it writes, and the Peru panel's PUM missions as a discrete treatment.
@Suite struct SwitchingTreatmentCommandTests {
    /// A small panel: units 1–4 switch on in period 3 (unit 4 off again in period 5), units 5–8
    /// never switch; `d` is `dose` unless `text` replaces one cell with a word.
    func panel(units: Int = 8, switchers: Int = 4, periods: Int = 6, textCell: Bool = false) -> String {
        var lines = ["unit,time,d,y"]
        for unit in 1...units {
            for time in 1...periods {
                var dose = unit <= switchers && time >= 3 ? 1 : 0
                if unit == 4 && time >= 5 { dose = 0 }
                let y = Double(unit) * 0.4 + Double(time) * 0.2 + Double(dose) * 1.5 + Double((unit * 7 + time * 3) % 5) * 0.1
                let cell = textCell && unit == 2 && time == 4 ? "yes" : "\(dose)"
                lines.append("\(unit),\(time),\(cell),\(y)")
            }
        }
        return lines.joined(separator: "\n")
    }

    func run(_ csv: String, _ extra: [String]) throws -> Invocation {
        let path = try temporaryFile(csv)
        return try runQuipu(["did", "--data", path, "--outcome", "y", "--unit", "unit", "--time", "time", "--estimator", "dcdh", "--treatment", "d"] + extra)
    }

    /// One line on standard error, after "quipu: error:" or ArgumentParser's "Error:".
    func expectOneLine(_ run: Invocation, status: Int32, containing parts: [String]) {
        #expect(run.status == status, "\(run.standardError)")
        let lines = run.standardError.split(separator: "\n").filter { !$0.isEmpty && !$0.hasPrefix("Usage:") && !$0.hasPrefix("  See") }
        #expect(lines.count == 1, "\(run.standardError)")
        for part in parts { #expect(run.standardError.contains(part), "\(part) in \(run.standardError)") }
    }

    @Test func textTreatmentIsRefused() throws {
        expectOneLine(try run(panel(textCell: true), []), status: 1, containing: ["treatment 'd' is not numeric", "'yes'"])
    }

    @Test func noSwitchersIsRefused() throws {
        expectOneLine(try run(panel(switchers: 0), []), status: 1, containing: ["no unit's treatment changes"])
        // Unit 4 switches off only after switching on: its first change rises, so no leavers.
        expectOneLine(try run(panel(), ["--switchers", "out"]), status: 1, containing: ["no unit's treatment first falls"])
    }

    @Test func moreEffectsOrPlacebosThanThePanelAllows() throws {
        // First change in period 3 of 6: effects 1–4, one period before it for placebo 1.
        expectOneLine(try run(panel(), ["--effects", "5"]), status: 1, containing: ["--effects 5", "at most --effects 4"])
        expectOneLine(try run(panel(), ["--placebo", "2"]), status: 1, containing: ["--placebo 2", "at most --placebo 1"])
        #expect(try run(panel(), ["--effects", "4", "--placebo", "1"]).status == 0)
    }

    @Test func optionsOutsideDcdhAreRefused() throws {
        let path = try temporaryFile(panel())
        let base = ["did", "--data", path, "--outcome", "y", "--unit", "unit", "--time", "time"]
        expectOneLine(try runQuipu(base + ["--estimator", "dcdh"]), status: 64, containing: ["needs --treatment"])
        expectOneLine(try runQuipu(base + ["--cohort", "d", "--treatment", "d"]), status: 64, containing: ["--treatment is the switching treatment of --estimator dcdh"])
        expectOneLine(try runQuipu(base + ["--estimator", "dcdh", "--treatment", "d", "--covariates", "y"]), status: 64, containing: ["no --covariates"])
        // --treat names dcdh when the treatment switches off.
        expectOneLine(try runQuipu(base + ["--treat", "d"]), status: 1, containing: ["switches off", "--estimator dcdh --treatment d"])
    }

    /// The text names the estimator, its cohorts of first change and the mapping of effects to
    /// event times; --plot draws its effects and placebos on the event-study chart.
    @Test func textAndPlot() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dcdh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let plot = directory.appendingPathComponent("effects.svg").path
        let run = try run(panel(), ["--effects", "3", "--placebo", "1", "--plot", plot])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("== de Chaisemartin–D'Haultfœuille (headline) =="))
        #expect(run.standardOutput.contains("Cohorts: 3: 4, never treated: 4"))
        #expect(run.standardOutput.contains("e = ℓ − 1 is did_multiplegt_dyn's effect ℓ"))
        let svg = try String(contentsOfFile: plot, encoding: .utf8)
        #expect(svg.contains("de Chaisemartin–D&apos;Haultfœuille"))  // the series' name, XML-escaped
    }

    /// The Peru panel (README): PUM missions so far (0–3) as a discrete treatment; three firms
    /// received a second or third mission, which raises their treatment again.
    @Test func peruPumMissions() throws {
        let run = try runQuipu(["did", "--data", "Datasets/peru-natural-ingredients/peru.csv", "--outcome", "emp_permanent", "--unit", "firm_id",
                                "--time", "year", "--estimator", "dcdh", "--treatment", "pum_missions", "--effects", "3", "--placebo", "2", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let rows = ((json["aggregates"] as? [[String: Any]]) ?? []).filter { $0["estimator"] as? String == "dcdh" }
        #expect(rows.map { $0["label"] as? String } == ["e-3", "e-2", "e0", "e1", "e2", "att"])
        #expect(rows.allSatisfy { jsonNumber($0["std_error"]).map { $0 > 0 && $0.isFinite } == true })
    }
}
