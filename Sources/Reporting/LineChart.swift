/// A line chart of one or more series over a shared numeric x axis, rendered as SVG.
///
/// Made for programme-evaluation plots: outcome trends by group, with dashed vertical markers at
/// treatment or cohort start dates, a horizontal reference line (often zero) and, for event
/// studies, vertical error bars. Axes get "nice" 1-2-5 ticks covering every value drawn; x ticks
/// stay on whole numbers when all x values are whole (years). Missing (`nil`) or non-finite
/// values break a line into separate segments instead of being bridged or failing.
public struct LineChart: Sendable {
    /// One named line. Points are drawn in the order given; a `nil` y leaves a gap.
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double?)]
        /// Any SVG colour; nil takes the next colour of the Okabe–Ito palette.
        public var color: String?
        public var dashed: Bool
        /// Whether to draw a dot at each point (isolated points are always drawn, or they would vanish).
        public var markers: Bool

        /// A series from explicit points.
        public init(name: String, points: [(x: Double, y: Double?)], color: String? = nil,
                    dashed: Bool = false, markers: Bool = true) {
            self.name = name
            self.points = points
            self.color = color
            self.dashed = dashed
            self.markers = markers
        }

        /// A series from parallel x and y arrays; extra values in the longer array are ignored.
        public init(name: String, x: [Double], y: [Double?], color: String? = nil,
                    dashed: Bool = false, markers: Bool = true) {
            self.init(name: name, points: zip(x, y).map { (x: $0, y: $1) }, color: color,
                      dashed: dashed, markers: markers)
        }
    }

    /// A dashed vertical line across the plot with a small label above it, such as a cohort's start.
    public struct VerticalMarker: Sendable {
        public var x: Double
        public var label: String
        /// Any SVG colour; nil uses a neutral grey so markers do not compete with the series.
        public var color: String?

        public init(x: Double, label: String, color: String? = nil) {
            self.x = x
            self.label = label
            self.color = color
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var markers: [VerticalMarker]
    /// Solid reference lines across the plot, such as y = 0, each with an optional small label.
    public var horizontalLines: [(y: Double, label: String?)]
    /// Vertical bars from `low` to `high` at `x`, coloured like the series at `seriesIndex`
    /// (grey if there is no such series).
    public var errorBars: [(seriesIndex: Int, x: Double, low: Double, high: Double)]
    /// A small line under the x-axis label, such as the sample the chart rests on.
    public var caption: String = ""
    /// Canvas size in pixels.
    public var width: Double
    public var height: Double

    /// A chart; everything but the series is optional.
    public init(title: String = "", xLabel: String = "", yLabel: String = "", series: [Series] = [],
                markers: [VerticalMarker] = [], horizontalLines: [(y: Double, label: String?)] = [],
                errorBars: [(seriesIndex: Int, x: Double, low: Double, high: Double)] = [],
                width: Double = 720, height: Double = 440) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.markers = markers
        self.horizontalLines = horizontalLines
        self.errorBars = errorBars
        self.width = width
        self.height = height
    }

    /// The chart as a complete SVG document.
    public func svg() -> String {
        document().render()
    }
}
