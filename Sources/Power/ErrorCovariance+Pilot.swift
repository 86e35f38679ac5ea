// Calibrating the error covariance from a pilot panel, as Burlig, Preonas & Woerman (2020,
// section 4) do and pcpanel's `pc_dd_covar` computes: for every window of m + r consecutive
// periods, remove unit and period effects, and average the residuals' variance and their
// within-unit covariances over the pairs of pre-periods (ψ̂ᴮ), post-periods (ψ̂ᴬ) and pre × post
// (ψ̂ˣ); then average the windows. The residual-based MDE formula in `DesignPower` corrects the
// bias the demeaning puts into these averages.
//
// One deliberate difference from pcpanel: a window uses the units observed (with a finite
// outcome) in every one of its periods, so the two-way demeaning is exact in closed form;
// pcpanel's `reghdfe` also keeps units with gaps and `correlate` pairs whatever overlaps. On a
// balanced pilot both are the same computation.

import PanelData

extension ErrorCovariance {
    /// Estimates the structure for a design with `pre` and `post` periods from `outcome` (one value
    /// per row of `structure`; NaN is missing) of a pilot panel. Throws when no window of
    /// `pre + post` consecutive periods has two or more complete units.
    public init(pilot structure: PanelStructure, outcome: [Double], pre: Int, post: Int) throws(PowerError) {
        guard pre >= 1 else { throw .prePeriods(pre) }
        guard post >= 1 else { throw .postPeriods(post) }
        let length = pre + post
        let periodCount = structure.periodValues.count
        // Each unit's outcome by period index (NaN where absent).
        var periodIndex = [Int: Int]()
        for (index, period) in structure.periodValues.enumerated() { periodIndex[period] = index }
        var grid = [Double](repeating: .nan, count: structure.unitCount * periodCount)
        for row in 0..<structure.rowCount {
            guard let column = periodIndex[structure.periods[row]] else { continue }
            grid[Int(structure.unitCodes[row]) * periodCount + column] = outcome[row]
        }
        var sums = (variance: 0.0, pre: 0.0, post: 0.0, cross: 0.0, units: 0.0)
        var windows = 0
        if periodCount >= length {
            for start in 0...(periodCount - length) {
                guard let window = Self.windowMoments(grid: grid, units: structure.unitCount, periods: periodCount,
                                                      start: start, pre: pre, post: post) else { continue }
                sums.variance += window.variance
                sums.pre += window.pre
                sums.post += window.post
                sums.cross += window.cross
                sums.units += window.units
                windows += 1
            }
        }
        guard windows > 0 else { throw .noPilotWindow(source: structure.source, periods: length, available: periodCount) }
        let count = Double(windows)
        self.init(variance: sums.variance / count, preCovariance: sums.pre / count, postCovariance: sums.post / count,
                  crossCovariance: sums.cross / count, origin: .pilot(units: sums.units / count, windows: windows))
    }

    /// One window's residual variance and average covariances, from its complete units' two-way
    /// demeaned outcomes; nil with fewer than two complete units. Sums of squares and products are
    /// divided by the unit count (pcpanel's covariances times (n−1)/n, and its variance times
    /// (nT−1)/(nT)).
    private static func windowMoments(grid: [Double], units: Int, periods: Int, start: Int, pre: Int, post: Int)
        -> (variance: Double, pre: Double, post: Double, cross: Double, units: Double)? {
        let length = pre + post
        var rows = [[Double]]()
        for unit in 0..<units {
            let base = unit * periods + start
            let values = Array(grid[base..<(base + length)])
            if values.allSatisfy({ $0.isFinite }) { rows.append(values) }
        }
        let n = rows.count
        guard n >= 2 else { return nil }
        // Two-way demeaning of a balanced block: y − unit mean − period mean + grand mean.
        var periodMeans = [Double](repeating: 0, count: length)
        for values in rows { for t in 0..<length { periodMeans[t] += values[t] } }
        for t in 0..<length { periodMeans[t] /= Double(n) }
        let grandMean = periodMeans.reduce(0, +) / Double(length)
        let residuals = rows.map { values -> [Double] in
            let unitMean = values.reduce(0, +) / Double(length)
            return (0..<length).map { values[$0] - unitMean - periodMeans[$0] + grandMean }
        }
        // The within-unit cross-product matrix, divided by n.
        var products = [Double](repeating: 0, count: length * length)
        for e in residuals {
            for t in 0..<length { for s in t..<length { products[t * length + s] += e[t] * e[s] } }
        }
        let scale = 1 / Double(n)
        func average(_ pairs: [(Int, Int)]) -> Double {
            pairs.isEmpty ? 0 : pairs.reduce(0) { $0 + products[$1.0 * length + $1.1] } * scale / Double(pairs.count)
        }
        let diagonal = (0..<length).reduce(0) { $0 + products[$1 * length + $1] } * scale / Double(length)
        let prePairs = (0..<pre).flatMap { t in ((t + 1)..<pre).map { (t, $0) } }
        let postPairs = (pre..<length).flatMap { t in ((t + 1)..<length).map { (t, $0) } }
        let crossPairs = (0..<pre).flatMap { t in (pre..<length).map { (t, $0) } }
        return (diagonal, average(prePairs), average(postPairs), average(crossPairs), Double(n))
    }
}
