import PanelData

/// Compares two tables value for value (numbers bit for bit, NaN equal to NaN).
enum TableComparison {
    /// Where `a` and `b` first differ, or `nil` when they are identical (sources and read
    /// statistics aside).
    static func difference(_ a: DataTable, _ b: DataTable) -> String? {
        if a.names != b.names { return "names \(a.names) against \(b.names)" }
        if a.rowCount != b.rowCount { return "\(a.rowCount) rows against \(b.rowCount)" }
        for (index, (x, y)) in zip(a.columns, b.columns).enumerated() {
            let name = a.names[index]
            switch (x, y) {
            case (.numeric(let u), .numeric(let v)):
                if u.count != v.count { return "column '\(name)': \(u.count) values against \(v.count)" }
                for row in u.indices where !(u[row].bitPattern == v[row].bitPattern || (u[row].isNaN && v[row].isNaN)) {
                    return "column '\(name)', row \(row + 1): \(u[row]) against \(v[row])"
                }
            case (.text(let u), .text(let v)):
                if u.levels != v.levels { return "column '\(name)': levels \(u.levels.prefix(8)) against \(v.levels.prefix(8))" }
                if u.codes != v.codes { return "column '\(name)': different codes" }
                if u.firstNonNumeric?.row != v.firstNonNumeric?.row || u.firstNonNumeric?.value != v.firstNonNumeric?.value {
                    return "column '\(name)': first non-number \(String(describing: u.firstNonNumeric)) against \(String(describing: v.firstNonNumeric))"
                }
            case (.numeric, .text):
                return "column '\(name)' is numeric against text"
            case (.text, .numeric):
                return "column '\(name)' is text against numeric"
            }
        }
        return nil
    }
}
