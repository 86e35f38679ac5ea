import Primitives
import Reporting

/// The report as a sequence of blocks, rendered once as Markdown and once as self-contained HTML
/// so that the two always say the same thing.
public struct ReportDocument: Sendable {
    public enum Block: Sendable {
        case heading(String, id: String)
        case paragraph(String)
        case bullets([String])
        case table(ReportTable)
        case plot(EvaluationResults.Plot)
    }

    public var title: String
    public var blocks: [Block]

    public var markdown: String {
        var out = "# \(title)\n\n"
        for block in blocks {
            switch block {
            case .heading(let text, _): out += "## \(text)\n\n"
            case .paragraph(let text): out += text + "\n\n"
            case .bullets(let items): out += items.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
            case .table(let table): out += "**\(table.title)** ([CSV](tables/\(table.name).csv), [LaTeX](tables/\(table.name).tex))\n\n" + table.markdown + "\n"
            // The caption also stands as text: an image's alt text is shown only when the image is not.
            case .plot(let plot): out += "![\(plot.title)](plots/\(plot.name).svg)\n\n*\(plot.caption)*\n\n"
            }
        }
        return out
    }

    static let style = """
        body { font-family: "DejaVu Serif", Georgia, serif; max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; color: #1a1a1a; line-height: 1.45; }
        h1 { font-size: 1.9rem; border-bottom: 2px solid #1a1a1a; padding-bottom: .3rem; }
        h2 { font-size: 1.35rem; margin-top: 2.2rem; border-bottom: 1px solid #bbb; padding-bottom: .2rem; }
        nav { font-family: "DejaVu Sans", Arial, sans-serif; font-size: .9rem; background: #f4f4f0; padding: .6rem 1rem; border-left: 4px solid #0072B2; }
        nav a { color: #0b4f7c; text-decoration: none; margin-right: 1rem; white-space: nowrap; }
        table.data { border-collapse: collapse; margin: .8rem 0; font-family: "DejaVu Sans", Arial, sans-serif; font-size: .82rem; width: 100%; }
        table.data caption { text-align: left; font-weight: bold; padding: .3rem 0; font-size: .9rem; }
        table.data th { border-top: 2px solid #1a1a1a; border-bottom: 1px solid #1a1a1a; text-align: left; padding: .25rem .45rem; vertical-align: bottom; }
        table.data td { padding: .2rem .45rem; border-bottom: 1px solid #e2e2e2; }
        table.data td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        table.data tbody tr:last-child td { border-bottom: 2px solid #1a1a1a; }
        p.note { font-size: .85rem; color: #444; font-style: italic; margin-top: -.3rem; }
        ol.footnotes { font-family: "DejaVu Sans", Arial, sans-serif; font-size: .8rem; color: #333; margin-top: -.4rem; }
        figure { margin: 1rem 0; page-break-inside: avoid; }
        figure svg { max-width: 100%; height: auto; }
        figcaption { font-size: .85rem; color: #444; }
        code { font-family: "DejaVu Sans Mono", monospace; font-size: .85em; background: #f1f1ee; padding: 0 .2em; }
        @media print { body { max-width: none; margin: 0; } nav { display: none; } h2 { page-break-after: avoid; } table.data { page-break-inside: avoid; } }
        """

    public var html: String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>\(MarkupText.html(title))</title>\n<style>\n\(Self.style)\n</style>\n</head>\n<body>\n<h1>\(MarkupText.html(title))</h1>\n"
        let headings = blocks.compactMap { block -> (String, String)? in
            if case .heading(let text, let id) = block { return (text, id) }
            return nil
        }
        out += "<nav>" + headings.map { "<a href=\"#\($0.1)\">\(MarkupText.html($0.0))</a>" }.joined(separator: " ") + "</nav>\n"
        for block in blocks {
            switch block {
            case .heading(let text, let id): out += "<h2 id=\"\(id)\">\(MarkupText.html(text))</h2>\n"
            case .paragraph(let text): out += "<p>\(Self.inline(text))</p>\n"
            case .bullets(let items): out += "<ul>\n" + items.map { "<li>\(Self.inline($0))</li>\n" }.joined() + "</ul>\n"
            case .table(let table): out += table.html
            case .plot(let plot):
                // Inline SVG: the XML declaration is only valid at the start of a file.
                let svg = plot.svg.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("<?xml") }.joined(separator: "\n")
                out += "<figure id=\"plot-\(plot.name)\">\n\(svg)\n<figcaption>\(MarkupText.html(plot.caption))</figcaption>\n</figure>\n"
            }
        }
        return out + "</body>\n</html>\n"
    }

    /// Escapes text and turns Markdown's **bold** into <strong> and `code` into <code>.
    static func inline(_ text: String) -> String {
        let bold = MarkupText.html(text).components(separatedBy: "**")
            .enumerated().map { $0.offset % 2 == 1 ? "<strong>\($0.element)</strong>" : $0.element }.joined()
        return bold.components(separatedBy: "`").enumerated().map { $0.offset % 2 == 1 ? "<code>\($0.element)</code>" : $0.element }.joined()
    }
}
