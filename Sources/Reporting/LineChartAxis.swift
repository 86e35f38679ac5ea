import Foundation

/// A numeric chart axis: the value range it spans, its "nice" ticks and their labels.
///
/// Ticks are whole multiples of a step of 1, 2 or 5 times a power of ten, so readers can
/// interpolate by eye. The range is the data's range plus a little padding, so no point sits on
/// the frame, and the ticks are the multiples of the step that fall inside it.
struct LineChartAxis: Sendable, Equatable {
    /// The value at the start (left or bottom) of the axis.
    var lower: Double
    /// The value at the end (right or top) of the axis.
    var upper: Double
    /// The distance between neighbouring ticks.
    var step: Double
    var ticks: [Double]
    var labels: [String]

    /// Values beyond this magnitude are ignored: they cannot be placed on a readable axis and
    /// differences between them could overflow to infinity.
    static let plottableMagnitude = 1e300
    /// The share of the data span added at each end so the extreme points stay clear of the frame.
    static let padding = 0.04

    /// An axis covering every finite value in `values`, for a drawn length of `length` pixels with
    /// ticks roughly `spacing` pixels apart.
    ///
    /// - Parameters:
    ///   - integers: keep ticks on whole numbers (years, counts), so no label reads "2004.5".
    ///   - labelWidth: the drawn width of a label, when labels run along the axis and must not
    ///     collide; the step widens until the widest label fits between neighbouring ticks.
    init(values: [Double], length: Double, spacing: Double, integers: Bool,
         labelWidth: ((String) -> Double)? = nil) {
        let finite = values.filter { $0.isFinite && abs($0) <= Self.plottableMagnitude }
        var low = finite.min() ?? 0
        var high = finite.max() ?? 1
        if high - low > 0 {
            let pad = (high - low) * Self.padding
            low -= pad
            high += pad
        } else {
            // A single value needs a range around it; whole-number axes widen by one unit so a
            // single year gets its neighbours as ticks instead of a span of centuries.
            let pad = integers ? 1 : (low == 0 ? 1 : abs(low) * 0.1)
            low -= pad
            high += pad
        }
        let drawn = length.isFinite && length > 1 ? length : 1
        let target = max(2, drawn / max(1, spacing))
        var step = Self.niceStep(near: (high - low) / target, integers: integers)
        var ticks = Self.ticks(from: low, to: high, step: step)
        var labels = Self.labels(for: ticks, step: step)
        if let labelWidth {
            // Bounded so that a degenerate measure (say, a huge width) cannot loop forever.
            for _ in 0..<40 {
                let widest = labels.map(labelWidth).max() ?? 0
                let gap = step / (high - low) * drawn
                if widest + 12 <= gap || ticks.count <= 2 { break }
                step = Self.niceStep(atLeast: step * 1.000001, integers: integers)
                ticks = Self.ticks(from: low, to: high, step: step)
                labels = Self.labels(for: ticks, step: step)
            }
        }
        self.step = step
        self.ticks = ticks
        self.labels = labels
        // An end tick can land a rounding error outside the range (33 × 0.1 > 3.3); widening the
        // range by that sliver keeps every tick on the axis.
        lower = min(low, ticks.first ?? low)
        upper = max(high, ticks.last ?? high)
    }

    /// Where `value` falls between `start` and `end`, the pixel coordinates of `lower` and `upper`.
    func position(_ value: Double, from start: Double, to end: Double) -> Double {
        let span = upper - lower
        guard span > 0, span.isFinite else { return (start + end) / 2 }
        return start + (value - lower) / span * (end - start)
    }

    /// The step of the form 1, 2 or 5 times a power of ten closest to `raw` in ratio.
    ///
    /// Rounding to the nearest (rather than up) keeps the tick count near the target: a raw step
    /// of 2.2 becomes 2, not 5, which would leave a tall axis with only three ticks.
    static func niceStep(near raw: Double, integers: Bool) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let base = pow(10, floor(log10(raw)))
        let candidates = [1.0, 2, 5, 10].map { $0 * base }
        let step = candidates.min { abs(log($0 / raw)) < abs(log($1 / raw)) } ?? base
        return integers ? max(1, step.rounded()) : step
    }

    /// The smallest step of the form 1, 2 or 5 times a power of ten that is at least `raw`.
    static func niceStep(atLeast raw: Double, integers: Bool) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let base = pow(10, floor(log10(raw)))
        var step = base * 10
        for multiple in [1.0, 2, 5, 10] where base * multiple >= raw * (1 - 1e-9) {
            step = base * multiple
            break
        }
        // Below 1, every 1-2-5 step would put ticks between whole numbers.
        return integers ? max(1, step.rounded()) : step
    }

    /// The multiples of `step` between `low` and `high`, inclusive up to rounding error.
    static func ticks(from low: Double, to high: Double, step: Double) -> [Double] {
        guard step > 0, step.isFinite, low.isFinite, high.isFinite, low <= high else { return [] }
        let first = (low / step - 1e-9).rounded(.up)
        let last = (high / step + 1e-9).rounded(.down)
        // More than a few hundred ticks means the step is meaningless for this range; beyond 2^52
        // consecutive multiples are no longer distinct doubles (values huge next to their spread).
        guard last >= first, last - first <= 500, max(abs(first), abs(last)) < 0x1p52 else { return [] }
        return (0...Int(last - first)).map { offset in
            // Multiplying (not accumulating) keeps ticks exact, and snapping avoids "-0".
            let value = (first + Double(offset)) * step
            return abs(value) < step * 1e-9 ? 0 : value
        }
    }
}
