import PanelData
import Primitives

/// The plain-text rendering of `quipu trends`: one row per period, one column pair (statistic,
/// units) per group, so that the groups' paths can be read across.
extension PanelTrends {
    /// The aligned text table.
    public var text: String {
        let periods = Array(Set(points.map(\.period))).sorted()
        var cells = [String: Point]()
        for point in points { cells["\(point.group)\u{1F}\(point.period)"] = point }
        let grouping = self.grouping == .status ? ", units ever supported against never supported" : " and cohort (first treated period)"
        var lines = ["\(outcome): \(statistic.rawValue) by period\(grouping)", ""]
        var table = [["period"] + groups.flatMap { [$0.name, "n"] }]
        for period in periods {
            var row = [String(period)]
            for group in groups {
                if let point = cells["\(group.name)\u{1F}\(period)"] {
                    row += [NumberFormat.significant(point.value, digits: 5), String(point.count)]
                } else {
                    // No unit of the group has the outcome in this period.
                    row += ["-", "0"]
                }
            }
            table.append(row)
        }
        lines.append(contentsOf: TextGrid.lines(table, markdown: false))
        return lines.joined(separator: "\n") + "\n"
    }
}
