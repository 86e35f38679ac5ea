import DiD
import Primitives

/// The distributional estimators' parts of `quipu did`'s output: the uniform bands over quantiles
/// (text and JSON) and the quantile-effect curve (SVG).
extension DiDResults {
    /// The overall entry a distributional result's curve and headline show: `simple` (the 2x2's
    /// one cell when there is one cohort and one post period), else the first post-treatment cell.
    static func headlineFamily(_ result: StaggeredResult) -> String? {
        let means = result.estimates.filter { $0.quantile == nil }
        return (means.first { $0.kind == .simple } ?? means.first { $0.kind == .attGT && ($0.eventTime ?? -1) >= 0 })?.familyLabel
    }

    /// Text lines naming the critical values of the bands over quantiles.
    func quantileBandLines(_ result: StaggeredResult) -> [String] {
        guard !result.quantileCriticalValues.isEmpty else { return [] }
        let percent = Int((confidenceLevel * 100).rounded())
        let shown = result.quantileCriticalValues.filter { !$0.key.hasPrefix("att_gt") }.sorted { $0.key < $1.key }
        return shown.map { "Uniform \(percent)% band over quantiles (\($0.key)): critical value \(NumberFormat.significant($0.value, digits: 4))" }
            + (shown.count < result.quantileCriticalValues.count ? ["Uniform bands over quantiles of each cell: in JSON and CSV (uniform_low, uniform_high)"] : [])
    }

    /// The JSON fields of the bands over quantiles (none for other estimators).
    func quantileBandJSON(_ result: StaggeredResult) -> [(String, JSONValue)] {
        guard !result.quantileCriticalValues.isEmpty else { return [] }
        return [("quantile_band_critical_values", .object(result.quantileCriticalValues.sorted { $0.key < $1.key }.map { ($0.key, .finite($0.value)) }))]
    }

    /// The quantile effects of the first distributional estimator's headline entry against τ, with
    /// pointwise intervals, the uniform band (dashed) and the mean effect as a reference line; nil
    /// without quantile effects.
    public func quantileEffectChart() -> LineChart? {
        guard let result = staggered.first(where: { $0.estimates.contains { $0.quantile != nil } }),
              let family = Self.headlineFamily(result) else { return nil }
        let rows = result.rows(level: confidenceLevel).filter { $0.estimate.familyLabel == family }
        let quantileRows = rows.filter { $0.estimate.quantile != nil && $0.estimate.estimate.isFinite }
        guard !quantileRows.isEmpty else { return nil }
        let color = "#0072B2"
        let x = quantileRows.map { $0.estimate.quantile ?? 0 }
        var series = [LineChart.Series(name: "quantile effect", x: x, y: quantileRows.map { Optional($0.estimate.estimate) }, color: color)]
        if quantileRows.contains(where: { $0.uniformLow != nil }) {
            series.append(LineChart.Series(name: "uniform band", x: x, y: quantileRows.map { $0.uniformLow }, color: color, dashed: true, markers: false))
            series.append(LineChart.Series(name: "", x: x, y: quantileRows.map { $0.uniformHigh }, color: color, dashed: true, markers: false))
        }
        let bars = quantileRows.filter { $0.low.isFinite }.map { (seriesIndex: 0, x: $0.estimate.quantile ?? 0, low: $0.low, high: $0.high) }
        var lines: [(y: Double, label: String?)] = [(y: 0, label: nil)]
        if let mean = rows.first(where: { $0.estimate.quantile == nil }), mean.estimate.estimate.isFinite {
            lines.append((y: mean.estimate.estimate, label: "mean effect \(NumberFormat.significant(mean.estimate.estimate, digits: 3))"))
        }
        var chart = LineChart(title: "\(result.estimator.displayName): quantile effects on \(outcome) (\(family))", xLabel: "Quantile τ",
                              yLabel: "Effect on \(outcome) (\(Int((confidenceLevel * 100).rounded()))% CI)", series: series,
                              horizontalLines: lines, errorBars: bars, width: 760, height: 460)
        chart.caption = "\(result.inference)"
        return chart
    }
}
