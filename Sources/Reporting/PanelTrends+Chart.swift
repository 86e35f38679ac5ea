import PanelData

/// The SVG line chart of `quipu trends`.
extension PanelTrends {
    /// A line per group over periods, with a dashed marker where each cohort's support starts.
    public func chart(source: String) -> LineChart {
        let series = groups.map { group in
            LineChart.Series(
                name: Self.displayName(group.name, grouping: grouping),
                points: points.filter { $0.group == group.name }.map { (x: Double($0.period), y: Optional($0.value)) },
                color: nil, dashed: group.name == "never" || group.name == "never_treated", markers: true)
        }
        // A dashed marker where each cohort's support starts; with many cohorts the labels are
        // shortened to the year so that they stay legible.
        let many = cohortStarts.count > 6
        let markers = cohortStarts.map { LineChart.VerticalMarker(x: Double($0), label: many ? String($0) : "cohort \($0) starts") }
        let title = "\(statistic == .mean ? "Mean" : "Median") \(outcome) by \(grouping == .cohort ? "cohort" : "support status")"
        return LineChart(title: title, xLabel: "Period", yLabel: "\(statistic.rawValue) of \(outcome)",
                         series: series, markers: markers)
    }

    static func displayName(_ group: String, grouping: Grouping) -> String {
        switch group {
        case "ever_treated": return "Supported (ever treated)"
        case "never_treated", "never": return "Never supported"
        default: return "Cohort \(group)"
        }
    }
}
