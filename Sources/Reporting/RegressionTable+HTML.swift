import Foundation
import Primitives

/// The HTML rendering.
extension RegressionTable {
    /// An HTML fragment: one `<table>` with a `<thead>`, a `<tbody>` per panel and the notes in
    /// a `<tfoot>`; every text escaped, marks in `<sup>`. No styles: the page decides.
    public var html: String {
        let escape = MarkupText.html
        let cells = { (tag: String, texts: [String]) in texts.map { "<\(tag)>\($0)</\(tag)>" }.joined() }
        let row = { (label: String, texts: [String]) in "<tr><th scope=\"row\">\(label)</th>" + cells("td", texts) + "</tr>" }
        var lines = ["<table class=\"quipu-table\">", "<thead>"]
        lines.append("<tr><th></th>" + cells("th", modelNumbers) + "</tr>")
        for header in headerRows { lines.append(row(escape(header.label), header.cells.map { escape($0.text) })) }
        lines.append("</thead>")
        lines.append("<tbody>")
        for coefficient in coefficientRows {
            lines.append(row(escape(coefficient.label), coefficient.cells.map { cell in
                escape(cell.text) + (cell.stars.isEmpty ? "" : "<sup>" + escape(cell.stars) + "</sup>")
            }))
        }
        lines.append("</tbody>")
        let effects = fixedEffectRows
        if !effects.isEmpty {
            lines.append("<tbody>")
            lines.append("<tr><th scope=\"rowgroup\" colspan=\"\(models.count + 1)\">Fixed effects</th></tr>")
            for effect in effects { lines.append(row(escape(effect.label), effect.cells.map { escape($0.text) })) }
            lines.append("</tbody>")
        }
        lines.append("<tbody>")
        for fit in fitRows {
            guard case let .fit(statistic) = fit.kind else { continue }
            let label = escape(statistic.rawValue).replacingOccurrences(of: "R2", with: "R<sup>2</sup>")
            lines.append(row(label, fit.cells.map { escape($0.text) }))
        }
        lines.append("</tbody>")
        let notes = [statisticNote, starsNote].filter { !$0.isEmpty }.map(escape).joined(separator: " ")
        lines.append("<tfoot><tr><td colspan=\"\(models.count + 1)\">\(notes)</td></tr></tfoot>")
        lines.append("</table>")
        return lines.joined(separator: "\n") + "\n"
    }

}
