// One sample of a distributional 2x2 cell (a group's outcomes, or changes, in one period), sorted
// once, and read under any integer unit weights: all ones for the estimate, a bootstrap draw's
// resampling counts for a replicate. Reading a sorted sample under counts is exactly the
// estimator on the resampled data (ties included), at O(n) per replicate instead of a sort.
//
// Quantile definitions (as R `qte` 1.3.1 and diff-diff 3.13's port of it, the peers):
// - type 1 (the inverse of the empirical CDF, Athey & Imbens 2006 eq. 35), with R's fuzz
//   (Primitives/EmpiricalQuantile);
// - type 7 (R's default, numpy's `linear`): interpolation at (n − 1)·p between order statistics,
//   which `qte::QDiD` uses.
// The empirical CDF counts values ≤ y.

import Primitives

/// A sample sorted by value, with the unit behind each value.
struct SortedSample: Sendable {
    /// The values, ascending.
    let values: [Double]
    /// The unit (index into the panel's units) of each value.
    let units: [Int32]

    /// Sorts `values` of `units` (ties in unit order, so that the layout is deterministic).
    init(values unsorted: [Double], units unsortedUnits: [Int32]) {
        let order = unsorted.indices.sorted { unsorted[$0] < unsorted[$1] || (unsorted[$0] == unsorted[$1] && $0 < $1) }
        values = order.map { unsorted[$0] }
        units = order.map { unsortedUnits[$0] }
    }

    /// Values already in ascending order (or, for counterfactual draws, in the order of the
    /// sample whose weights they take), with their units.
    init(sortedValues: [Double], units: [Int32]) {
        values = sortedValues
        self.units = units
    }

    var count: Int { values.count }

    /// The number of values ≤ `y`.
    func countAtOrBelow(_ y: Double) -> Int {
        var low = 0, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] <= y { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The sample under unit weights `counts` (nil: every unit once).
    func weighted(_ counts: [Int32]?) -> WeightedSample {
        var cumulative = [Int](repeating: 0, count: values.count)
        var total = 0
        if let counts {
            for k in values.indices {
                total += Int(counts[Int(units[k])])
                cumulative[k] = total
            }
        } else {
            for k in values.indices { cumulative[k] = k + 1 }
            total = values.count
        }
        return WeightedSample(sample: self, cumulative: cumulative)
    }
}

/// A sorted sample with integer weights: the resampled data set, read without expanding it.
struct WeightedSample: Sendable {
    let sample: SortedSample
    /// Running totals of the weights in sorted order; the last is the resampled size.
    let cumulative: [Int]

    var total: Int { cumulative.last ?? 0 }

    /// The value at 1-based position `rank` of the resampled (expanded) sorted data.
    func value(atRank rank: Int) -> Double {
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] >= rank { high = middle } else { low = middle + 1 }
        }
        return sample.values[low]
    }

    /// R's type-1 quantile (see the file header); NaN for an empty sample.
    func quantileType1(_ p: Double) -> Double {
        let n = total
        guard n > 0 else { return .nan }
        return value(atRank: EmpiricalQuantile.type1Rank(p, count: n))
    }

    /// R's type-7 quantile (numpy's `linear`); NaN for an empty sample.
    func quantileType7(_ p: Double) -> Double {
        let n = total
        guard n > 0 else { return .nan }
        let position = Double(n - 1) * min(max(p, 0), 1)
        let lower = Int(position.rounded(.down))
        let fraction = position - Double(lower)
        let low = value(atRank: lower + 1)
        guard fraction > 0, lower + 1 < n else { return low }
        let high = value(atRank: lower + 2)
        return low + fraction * (high - low)
    }

    /// The weight at or below sorted position `position` (exclusive end): the empirical CDF's
    /// numerator at a value with `position` values at or below it.
    func weight(below position: Int) -> Int { position > 0 ? cumulative[position - 1] : 0 }

    /// The weighted mean.
    func mean(_ counts: [Int32]?) -> Double {
        var sum = 0.0
        if let counts {
            for k in sample.values.indices { sum += Double(counts[Int(sample.units[k])]) * sample.values[k] }
        } else {
            for value in sample.values { sum += value }
        }
        return sum / Double(total)
    }
}
