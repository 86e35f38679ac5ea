/// The Okabe–Ito colour-blind-safe palette, ordered for lines on a white background.
enum LineChartPalette {
    /// Colours in the order series receive them. Yellow comes last because it is hard to see on
    /// white, and black late so that it does not read as an axis or reference line.
    static let colors = [
        "#0072B2", // blue
        "#D55E00", // vermillion
        "#009E73", // bluish green
        "#E69F00", // orange
        "#CC79A7", // reddish purple
        "#56B4E9", // sky blue
        "#000000", // black
        "#F0E442", // yellow
    ]

    /// The colour for the series at `index`, cycling when there are more series than colours.
    static func color(at index: Int) -> String {
        colors[((index % colors.count) + colors.count) % colors.count]
    }

    /// Neutral ink for reference lines, markers and orphan error bars.
    static let neutral = "#555555"
    /// Ink for titles and axis labels.
    static let text = "#222222"
    /// Ink for tick labels, a step lighter than titles.
    static let tickText = "#444444"
    /// Gridlines: visible enough to read values, faint enough to stay behind the data.
    static let grid = "#E5E5E5"
    /// Axis lines and tick marks.
    static let axis = "#888888"
}
