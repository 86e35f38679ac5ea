import Primitives

/// Plain-text and Markdown renderings.
extension RegressionTable {
    /// Aligned columns in the layout of fixest's `etable` printout, the statistics below the
    /// estimates, with the legend after a `---` rule.
    public var text: String {
        let width = options.stars.width
        var lines: [TextLine] = [.cells([""] + modelNumbers)]
        lines += headerRows.map { .cells([$0.label] + $0.cells.map(\.text)) }
        lines.append(.cells([]))
        for row in coefficientRows {
            // Marks are padded to one width (and statistics given the same padding) so that the
            // numbers of a column line up.
            lines.append(.cells([row.label] + row.cells.map { $0.text.isEmpty ? "" : $0.text + NumberFormat.rightPad($0.stars, width) }))
        }
        let effects = fixedEffectRows
        if !effects.isEmpty {
            lines.append(.rule(label: "Fixed-Effects:", fill: "-"))
            lines += effects.map { .cells([$0.label] + $0.cells.map(\.text)) }
        }
        lines.append(.rule(label: "", fill: "_"))
        lines += fitRows.map { .cells([$0.label] + $0.cells.map(\.text)) }
        let widths = (0...models.count).map { column in
            lines.map { line in
                switch line {
                case let .cells(cells): return column < cells.count ? cells[column].count : 0
                case let .rule(label, _): return column == 0 ? label.count : 0
                }
            }.max() ?? 0
        }
        var output = [String]()
        for line in lines {
            switch line {
            case let .cells(cells):
                guard !cells.isEmpty else {
                    output.append("")
                    continue
                }
                var text = NumberFormat.rightPad(cells[0], widths[0])
                for column in 1..<cells.count { text += "  " + NumberFormat.leftPad(cells[column], widths[column]) }
                output.append(String(text.reversed().drop { $0 == " " }.reversed()))
            case let .rule(label, fill):
                let first = label.isEmpty ? String(repeating: fill, count: widths[0]) : NumberFormat.rightPad(label, widths[0])
                output.append(([first] + widths.dropFirst().map { String(repeating: fill, count: $0) }).joined(separator: "  "))
            }
        }
        output.append("---")
        output.append(statisticNote)
        if !starsNote.isEmpty { output.append(starsNote) }
        return output.joined(separator: "\n") + "\n"
    }

    /// A line of the plain-text table: cells, or a rule across every column (fixest draws
    /// dashes after "Fixed-Effects:" and underscores above the fit statistics).
    private enum TextLine {
        case cells([String])
        case rule(label: String, fill: Character)
    }

    /// A GitHub-flavoured Markdown table; marks and names escaped so they print as written.
    public var markdown: String {
        let escape = Self.markdownEscape
        var lines = ["| " + ([""] + modelNumbers).joined(separator: " | ") + " |",
                     "|:--" + String(repeating: "|:-:", count: models.count) + "|"]
        let line = { (label: String, cells: [String]) in "| " + ([label] + cells).joined(separator: " | ") + " |" }
        for row in headerRows { lines.append(line(escape(row.label), row.cells.map { escape($0.text) })) }
        for row in coefficientRows {
            lines.append(line(escape(row.label), row.cells.map { escape($0.text) + escape($0.stars) }))
        }
        let effects = fixedEffectRows
        if !effects.isEmpty {
            lines.append(line("*Fixed effects*", models.map { _ in "" }))
            for row in effects { lines.append(line(escape(row.label), row.cells.map { escape($0.text) })) }
        }
        for row in fitRows {
            guard case let .fit(statistic) = row.kind else { continue }
            lines.append(line(escape(statistic.unicodeLabel), row.cells.map { escape($0.text) }))
        }
        lines.append("")
        lines.append(escape(([statisticNote] + (starsNote.isEmpty ? [] : [starsNote])).joined(separator: " ")))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text as Markdown shows it literally: the characters that would start emphasis, code, a
    /// cell boundary or HTML are backslash-escaped.
    static func markdownEscape(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\`*_|<>[]".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
