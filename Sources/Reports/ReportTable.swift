import Foundation
import Primitives
import Reporting

/// One table of the report, rendered as Markdown, HTML, LaTeX (booktabs) and CSV. Numbers keep
/// full precision in CSV and are rounded for reading elsewhere.
public struct ReportTable: Sendable {
    /// A cell: text, or a number shown with `decimals` decimals (NA when not finite).
    public enum Cell: Sendable {
        case text(String)
        case number(Double, decimals: Int)
        /// An estimate, standard error or interval bound: 4 significant digits, as fixest's
        /// `etable` prints them, so that a small effect in large units (−0.040 jobs) keeps its
        /// digits instead of rounding to −0.0.
        case estimate(Double)
        case integer(Int)
        /// A p-value: three decimals, "<0.001" below that.
        case pValue(Double)
        /// References to the table's footnotes ("[1, 3]"); the CSV, which has no footnotes,
        /// holds their texts.
        case marks([Int], texts: [String])

        var display: String {
            switch self {
            case .text(let text): return text
            case .integer(let value): return NumberFormat.grouped(value)
            case .marks(let numbers, _):
                return numbers.isEmpty ? "" : "[" + numbers.map(String.init).joined(separator: ", ") + "]"
            case .pValue(let value):
                guard value.isFinite else { return "—" }
                return value < 0.001 ? "<0.001" : NumberFormat.fixed(value, decimals: 3)
            case .number(let value, let decimals):
                guard value.isFinite else { return "—" }
                return NumberFormat.fixed(value, decimals: decimals)
            case .estimate(let value):
                guard value.isFinite else { return "—" }
                return NumberFormat.tableDigits(value, digits: Self.estimateDigits)
            }
        }

        /// Significant digits of estimates (fixest's `etable` default, `digits = 4`).
        static let estimateDigits = 4

        var csv: String {
            switch self {
            case .text(let text): return text
            case .integer(let value): return String(value)
            case .marks(_, let texts): return texts.joined(separator: " | ")
            case .number(let value, _), .estimate(let value), .pValue(let value): return value.isFinite ? "\(value)" : "NA"
            }
        }

        /// Numbers, and the dash that stands for a missing one, align right.
        var isNumeric: Bool {
            if case .text(let text) = self { return text == "—" }
            if case .marks = self { return false }
            return true
        }
    }

    /// File name stem: tables/NAME.csv and tables/NAME.tex.
    public var name: String
    public var title: String
    public var header: [String]
    public var rows: [[Cell]]
    /// A sentence under the table saying how to read it.
    public var note: String?
    /// Numbered texts that `.marks` cells refer to, printed under the table.
    public var footnotes: [String] = []

    public var csv: String {
        func quote(_ field: String) -> String {
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }
        return ([header.map(quote).joined(separator: ",")] + rows.map { $0.map { quote($0.csv) }.joined(separator: ",") })
            .joined(separator: "\n") + "\n"
    }

    public var markdown: String {
        func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        var lines = ["| " + header.map(escape).joined(separator: " | ") + " |",
                     "|" + header.indices.map { index in rows.first.map { $0[index].isNumeric } == true ? " ---: |" : " --- |" }.joined()]
        lines += rows.map { "| " + $0.map { escape($0.display) }.joined(separator: " | ") + " |" }
        if !footnotes.isEmpty { lines += [""] + footnotes.enumerated().map { "\($0.offset + 1). \($0.element)" } }
        if let note { lines += ["", "*\(note)*"] }
        return lines.joined(separator: "\n") + "\n"
    }

    public var html: String {
        var out = "<table class=\"data\" id=\"table-\(MarkupText.html(name))\">\n<caption>\(MarkupText.html(title))</caption>\n<thead><tr>"
        out += header.map { "<th>\(MarkupText.html($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr>" + row.map { "<td\($0.isNumeric ? " class=\"num\"" : "")>\(MarkupText.html($0.display))</td>" }.joined() + "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if !footnotes.isEmpty {
            out += "<ol class=\"footnotes\">\n" + footnotes.map { "<li>\(MarkupText.html($0))</li>\n" }.joined() + "</ol>\n"
        }
        if let note { out += "<p class=\"note\">\(MarkupText.html(note))</p>\n" }
        return out
    }

    public var latex: String {
        func escape(_ text: String) -> String {
            var out = ""
            for character in text {
                switch character {
                case "\\": out += "\\textbackslash{}"
                case "&", "%", "$", "#", "_", "{", "}": out += "\\\(character)"
                case "~": out += "\\textasciitilde{}"
                case "^": out += "\\textasciicircum{}"
                case "—": out += "--"
                case "–": out += "--"
                case "×": out += "$\\times$"
                case "−": out += "$-$"
                default: out.append(character)
                }
            }
            return out
        }
        let alignment = header.indices.map { index in rows.first.map { $0[index].isNumeric } == true ? "r" : "l" }.joined()
        var lines = ["% \(title)", "\\begin{tabular}{\(alignment)}", "\\toprule",
                     header.map(escape).joined(separator: " & ") + " \\\\", "\\midrule"]
        lines += rows.map { $0.map { escape($0.display) }.joined(separator: " & ") + " \\\\" }
        lines += ["\\bottomrule", "\\end{tabular}"]
        lines += footnotes.enumerated().map { "\\par{\\footnotesize [\($0.offset + 1)] \(escape($0.element))}" }
        return lines.joined(separator: "\n") + "\n"
    }
}
