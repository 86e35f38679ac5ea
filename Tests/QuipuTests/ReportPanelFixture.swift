import Foundation

/// A small simulated panel for `quipu report` tests, built in the test so that every expected
/// number follows from how it was made: 60 units over 2001–2008; units 0–19 supported from 2005,
/// units 20–29 from 2006, the rest never. `jobs` moves by `jobsEffect` (in jobs) once support
/// starts, with a little deterministic noise; `sales` is skewed (a few units sell 100 times
/// more) and grows 10% a year, 5% more with support; `size` is "large" for units 0, 1 (the only
/// supported large units) and 40–49, "small" otherwise; `nobody` is a cohort column that is 0
/// throughout; `exports` is zero for even units (a log drops half the rows); `trending` has no
/// effect but rises 0.3 a year for units that will be supported (a pre-trend).
enum ReportPanelFixture {
    static let units = 60
    static let years = 2001...2008
    static let jobsEffect = -0.04

    static func cohort(_ unit: Int) -> Int { unit < 20 ? 2005 : (unit < 30 ? 2006 : 0) }

    static var csv: String {
        var lines = ["id,year,cohort,nobody,jobs,sales,size,exports,trending"]
        for unit in 0..<units {
            let large = unit < 2 || (40..<50).contains(unit)
            for year in years {
                let treated = cohort(unit) > 0 && year >= cohort(unit)
                let noise = Double((unit * 31 + year * 17) % 11 - 5) * 0.002
                let jobs = 10 + Double(unit % 7) + 0.1 * Double(year - 2001) + (treated ? jobsEffect : 0) + noise
                let scale = unit % 10 == 3 ? 100.0 : 1.0
                let sales = scale * (50 + Double(unit % 5)) * exp(0.1 * Double(year - 2001) + (treated ? 0.05 : 0) + noise)
                let exports = unit % 2 == 0 ? 0 : 100 * exp(noise)
                let trending = 5 + (cohort(unit) > 0 ? 0.3 * Double(year - 2001) : 0) + noise
                lines.append("\(unit),\(year),\(cohort(unit)),0,\(jobs),\(sales),\(large ? "large" : "small"),\(exports),\(trending)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A spec on the panel at `data`; `programme` and `outcomes` are YAML lines, `extra` top-level keys.
    static func spec(data: String, programme: String = "  - { name: Grant, cohort: cohort, estimators: [cs, twfe], window: [-3, 2] }",
                     outcomes: String = "  - { column: jobs, scale: level }", extra: String = "") -> String {
        """
        title: Fixture report
        data: \(data)
        unit: id
        time: year
        programmes:
        \(programme)
        outcomes:
        \(outcomes)
        \(extra)
        """
    }

    /// The panel as a CSV and a spec on it, in a fresh directory; returns the spec's path.
    static func write(programme: String? = nil, outcomes: String? = nil, extra: String = "") throws -> String {
        let data = try temporaryFile(csv, name: "panel.csv")
        let text = spec(data: data, programme: programme ?? "  - { name: Grant, cohort: cohort, estimators: [cs, twfe], window: [-3, 2] }",
                        outcomes: outcomes ?? "  - { column: jobs, scale: level }", extra: extra)
        let path = URL(fileURLWithPath: data).deletingLastPathComponent().appendingPathComponent("spec.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The Markdown table whose bold title starts with `title`: its header and rows, as cells.
    static func markdownTable(_ markdown: String, title: String) -> (header: [String], rows: [[String]]) {
        guard let start = markdown.range(of: "**\(title)") else { return ([], []) }
        let lines = markdown[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var rows = [[String]]()
        var inTable = false
        for line in lines.dropFirst() {
            if line.hasPrefix("|") {
                inTable = true
                rows.append(line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                    .map { $0.trimmingCharacters(in: .whitespaces) })
            } else if inTable {
                break
            }
        }
        return (rows.first ?? [], Array(rows.dropFirst(2)))
    }
}
