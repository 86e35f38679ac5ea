import Foundation

extension LineChart {
    /// Rows and centres for marker labels, stacking labels that would otherwise overlap.
    static func placeMarkerLabels(_ markers: [VerticalMarker], axis: LineChartAxis, left: Double,
                                  right: Double, canvasWidth: Double) -> [(row: Int, center: Double)?] {
        var occupied: [[ClosedRange<Double>]] = []
        return markers.map { marker in
            guard !marker.label.isEmpty, isPlottable(marker.x) else { return nil }
            let half = textWidth(marker.label, size: Metrics.smallSize) / 2 + 4
            // Labels are centred on their line but nudged inwards rather than cut off at the edge.
            var center = axis.position(marker.x, from: left, to: right)
            guard center.isFinite else { return nil }
            center = min(max(center, half + 2), max(half + 2, canvasWidth - half - 2))
            let span = (center - half)...(center + half)
            let row = occupied.firstIndex { !$0.contains { $0.overlaps(span) } } ?? occupied.count
            if row == occupied.count { occupied.append([]) }
            occupied[row].append(span)
            return (row, center)
        }
    }

    /// A text box in pixels: `minY` is the top.
    struct Box {
        var minX: Double, minY: Double, maxX: Double, maxY: Double
    }

    /// Where to put the label of a horizontal reference line at pixel height `lineY`: just above or
    /// below the line, at its right or left end, wherever the fewest data lines and error bars pass.
    ///
    /// Ties go to the first candidate, so an uncluttered chart always gets the conventional
    /// right-hand, above-the-line position.
    static func referenceLabelPlacement(_ label: String, lineY: Double, layout: Layout,
                                        obstacles: [[(Double, Double)]]) -> (x: Double, y: Double, anchor: SVGElement.TextAnchor) {
        let size = Metrics.smallSize
        let width = textWidth(label, size: size)
        let above = lineY - 4
        let below = lineY + size + 2
        var candidates: [(x: Double, y: Double, anchor: SVGElement.TextAnchor)] = []
        // Positions that would poke out of the plot are only used when nothing else is left.
        for baseline in [above, below] where baseline - size >= layout.plotTop - 1 && baseline <= layout.plotBottom + 1 {
            candidates.append((layout.plotRight - 4, baseline, .end))
            candidates.append((layout.plotLeft + 4, baseline, .start))
        }
        if candidates.isEmpty { return (layout.plotRight - 4, lineY - layout.plotTop < size + 4 ? below : above, .end) }
        let scored = candidates.map { candidate -> (Int, (x: Double, y: Double, anchor: SVGElement.TextAnchor)) in
            let left = candidate.anchor == .end ? candidate.x - width : candidate.x
            // Padded by a dot's radius so markers next to the text count as collisions too.
            let box = Box(minX: left - 4, minY: candidate.y - size * 0.8 - 4, maxX: left + width + 4, maxY: candidate.y + size * 0.2 + 4)
            return (collisions(of: box, with: obstacles), candidate)
        }
        return scored.min { $0.0 < $1.0 }?.1 ?? candidates[0]
    }

    /// How many pieces of the polylines in `obstacles` pass through `box` (a lone point counts as
    /// a piece of zero length).
    static func collisions(of box: Box, with obstacles: [[(Double, Double)]]) -> Int {
        var count = 0
        for run in obstacles {
            guard let first = run.first else { continue }
            if run.count == 1 {
                if segment(first, first, hits: box) { count += 1 }
                continue
            }
            for (a, b) in zip(run, run.dropFirst()) where segment(a, b, hits: box) {
                count += 1
            }
        }
        return count
    }

    /// Whether the segment from `a` to `b` touches `box`, by Liang–Barsky clipping: the segment is
    /// cut against each of the box's four edges in turn and misses if nothing of it remains.
    static func segment(_ a: (Double, Double), _ b: (Double, Double), hits box: Box) -> Bool {
        let dx = b.0 - a.0, dy = b.1 - a.1
        var enter = 0.0, exit = 1.0
        for (p, q) in [(-dx, a.0 - box.minX), (dx, box.maxX - a.0), (-dy, a.1 - box.minY), (dy, box.maxY - a.1)] {
            if p == 0 {
                // Parallel to this edge: inside the slab or not at all.
                if q < 0 { return false }
                continue
            }
            let t = q / p
            if p < 0 { enter = max(enter, t) } else { exit = min(exit, t) }
            if enter > exit { return false }
        }
        return true
    }
}
