import Foundation
import Primitives

/// The LaTeX rendering.
extension RegressionTable {
    /// A booktabs `tabular` (needs `\usepackage{booktabs}`): model numbers and dependent
    /// variables over `\midrule`, estimates with marks as superscripts, fixed effects and fit
    /// statistics in their own panels, the notes under `\bottomrule`.
    public var latex: String {
        let escape = CoefficientTable.latexEscape
        let columns = models.count + 1
        let line = { (label: String, cells: [String]) in ([label] + cells).joined(separator: " & ") + " \\\\" }
        var lines = ["\\begin{tabular}{l" + String(repeating: "c", count: models.count) + "}", "\\toprule"]
        lines.append(line("", modelNumbers))
        for row in headerRows { lines.append(line(escape(row.label), row.cells.map { escape($0.text) })) }
        lines.append("\\midrule")
        for row in coefficientRows {
            lines.append(line(escape(row.label), row.cells.map { cell in
                escape(cell.text) + (cell.stars.isEmpty ? "" : "$^{" + escape(cell.stars) + "}$")
            }))
        }
        let effects = fixedEffectRows
        if !effects.isEmpty {
            lines.append("\\midrule")
            lines.append("\\emph{Fixed-effects} " + String(repeating: "& ", count: models.count) + "\\\\")
            for row in effects { lines.append(line(escape(row.label), row.cells.map { escape($0.text) })) }
        }
        lines.append("\\midrule")
        for row in fitRows {
            guard case let .fit(statistic) = row.kind else { continue }
            let label = escape(statistic.rawValue).replacingOccurrences(of: "R2", with: "R$^2$")
            lines.append(line(label, row.cells.map { escape($0.text) }))
        }
        lines.append("\\bottomrule")
        // A bare "<" prints as "¡" in LaTeX's default font encoding: the legend is set in math.
        let legend = options.stars.levels.map { "$^{\(escape($0.symbol))}$\\,$p<\(NumberFormat.significant($0.threshold))$" }
        for note in [escape(statisticNote), legend.isEmpty ? "" : "Signif. codes: " + legend.joined(separator: ", ") + "."] where !note.isEmpty {
            lines.append("\\multicolumn{\(columns)}{l}{\\footnotesize \(note)} \\\\")
        }
        lines.append("\\end{tabular}")
        return lines.joined(separator: "\n") + "\n"
    }
}
