import Primitives

/// Aligned plain-text columns, or a Markdown table, shared by the human-readable reports.
enum TextGrid {
    /// The rows (header first) as aligned lines, or as a Markdown table.
    static func lines(_ rows: [[String]], markdown: Bool) -> [String] {
        guard let header = rows.first else { return [] }
        if markdown {
            var lines = ["| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in "--:" }.joined(separator: "|") + "|"]
            for row in rows.dropFirst() { lines.append("| " + row.joined(separator: " | ") + " |") }
            return lines
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { NumberFormat.leftPad($1, widths[$0]) }.joined(separator: "  ")
        }
    }
}
