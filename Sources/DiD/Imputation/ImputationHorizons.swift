// The horizons (periods since treatment) of the imputation estimator's dynamic estimands,
// Borusyak, Jaravel & Spiess (2024, REStud), §3: one equally weighted average per horizon.
// Goals: the same horizons as did_imputation's `horizons` (every one present, ascending); one pass
// through a lookup array over the range of horizons (sorting when that range is sparse).

/// The horizons (periods since treatment) present among the imputed rows, ascending, with each
/// row's position among them.
struct ImputationHorizons {
    /// The horizons present, ascending.
    let values: [Int]
    /// Each treated row's position in `values`.
    let index: [Int]
    /// Rows per horizon.
    let counts: [Int]

    init(horizons: [Int]) {
        let low = horizons.min() ?? 0, high = horizons.max() ?? 0
        guard high - low <= 4 * horizons.count + 65_536 else {
            // Sparse horizons over a wide range (unusual period codes): sort instead of a table.
            let values = Array(Set(horizons)).sorted()
            var counts = [Int](repeating: 0, count: values.count)
            let index = horizons.map { horizon -> Int in
                var lower = 0, upper = values.count - 1
                while lower < upper {
                    let middle = (lower + upper) / 2
                    if values[middle] < horizon { lower = middle + 1 } else { upper = middle }
                }
                return lower
            }
            for position in index { counts[position] += 1 }
            self.values = values
            self.counts = counts
            self.index = index
            return
        }
        var counts = [Int](repeating: 0, count: high - low + 1)
        for horizon in horizons { counts[horizon - low] += 1 }
        var position = [Int](repeating: -1, count: counts.count)
        var values = [Int]()
        var present = [Int]()
        for offset in counts.indices where counts[offset] > 0 {
            position[offset] = values.count
            values.append(low + offset)
            present.append(counts[offset])
        }
        self.values = values
        self.counts = present
        self.index = horizons.map { position[$0 - low] }
    }
}
