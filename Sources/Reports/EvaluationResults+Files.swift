import Foundation
import Reporting

extension EvaluationResults {
    /// Every file of the report directory but the manifest, relative path → contents.
    public var files: [(path: String, contents: String)] {
        let document = self.document
        var files: [(path: String, contents: String)] = [
            ("report.html", document.html), ("report.md", document.markdown), ("results.json", json.serialized() + "\n"),
        ]
        for table in tables {
            files.append(("tables/\(table.name).csv", table.csv))
            files.append(("tables/\(table.name).tex", table.latex))
        }
        for plot in plots { files.append(("plots/\(plot.name).svg", plot.svg)) }
        return files
    }

    /// The headline numbers for a terminal, with the truth beside them when the spec names it;
    /// the warnings' texts are too long for a terminal, so it says which rows have some.
    public var headlineText: String {
        let table = headlineTable
        var rows = [table.header] + table.rows.map { $0.map(\.display) }
        rows = rows.map { Array($0.prefix(table.header.count)) }
        let widths = table.header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        let numeric = table.header.indices.map { column in table.rows.first.map { $0[column].isNumeric } ?? false }
        var text = rows.map { row in
            row.enumerated().map { index, cell in
                !numeric[index] ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ").replacingOccurrences(of: " +$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
        if !table.footnotes.isEmpty {
            text += "\nWarnings [n] qualify some of these estimates: they are listed under the headline table of report.md and report.html.\n"
        }
        return text
    }
}
