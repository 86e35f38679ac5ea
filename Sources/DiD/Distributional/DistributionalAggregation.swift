// The aggregations of the distributional estimators' cells, quantile by quantile, with the weights
// of Callaway & Sant'Anna (2021, §3.1.3; R did's `aggte`): `simple` weights each post-treatment
// cell by its cohort's size; `dynamic` averages cohorts at each event time by size, and its
// overall entry averages the event times e ≥ 0 equally; `group` averages each cohort's
// post-treatment cells equally, and its overall entry the cohorts by size.
//
// Each quantile effect is aggregated as the mean effect is: a weighted average of the cells'
// effects at τ, which is not the τ-quantile effect of the pooled treated population (quantiles do
// not average); the notes say so. In a bootstrap replicate the cohort sizes are the draw's.

/// The layout of the aggregates and the weights that produce them from the cells.
struct DistributionalAggregation: Sendable {
    /// One aggregate: its kind and what it is by, and the cells (or aggregates) it averages.
    struct Entry: Sendable {
        let kind: StaggeredEstimateKind
        let eventTime: Int?, group: Int?
        /// Indices of cells, weighted by their cohort's size (`sizeWeighted`) or equally.
        let cells: [Int]
        let sizeWeighted: Bool
        /// Indices of earlier entries averaged equally (dynamic's overall entry), instead of cells.
        let entries: [Int]
    }

    let entries: [Entry]

    init(cells: [DistributionalCell], aggregations: Set<StaggeredAggregation>) {
        let all = aggregations.contains(.all)
        let post = cells.indices.filter { cells[$0].isPost }
        var entries = [Entry]()
        if all || aggregations.contains(.simple) {
            entries.append(Entry(kind: .simple, eventTime: nil, group: nil, cells: post, sizeWeighted: true, entries: []))
        }
        if all || aggregations.contains(.dynamic) {
            let times = Set(cells.map(\.eventTime)).sorted()
            var nonNegative = [Int]()
            for e in times {
                if e >= 0 { nonNegative.append(entries.count) }
                entries.append(Entry(kind: .dynamic, eventTime: e, group: nil, cells: cells.indices.filter { cells[$0].eventTime == e },
                                     sizeWeighted: true, entries: []))
            }
            if !nonNegative.isEmpty {
                entries.append(Entry(kind: .dynamic, eventTime: nil, group: nil, cells: [], sizeWeighted: false, entries: nonNegative))
            }
        }
        if all || aggregations.contains(.group) {
            let groups = Set(cells.map(\.group)).sorted()
            var byGroup = [Int]()
            for g in groups {
                let members = post.filter { cells[$0].group == g }
                guard !members.isEmpty else { continue }
                byGroup.append(entries.count)
                entries.append(Entry(kind: .group, eventTime: nil, group: g, cells: members, sizeWeighted: false, entries: []))
            }
            if !byGroup.isEmpty {
                // Cohorts weighted by size: the cells of one post cell per cohort stand for it.
                entries.append(Entry(kind: .group, eventTime: nil, group: nil, cells: byGroup, sizeWeighted: true, entries: [-1]))
            }
        }
        self.entries = entries
    }

    /// The aggregates (entries × width, row-major) from the cells' effects (cells × width) and
    /// each cell's cohort size; NaN where every weight is zero or an effect is undefined.
    func aggregate(_ effects: [Double], width: Int, cellSizes: [Double], entrySizes: inout [Double]) -> [Double] {
        var out = [Double](repeating: .nan, count: entries.count * width)
        entrySizes = [Double](repeating: 0, count: entries.count)
        for (index, entry) in entries.enumerated() {
            var sums = [Double](repeating: 0, count: width)
            var total = 0.0
            if entry.entries == [-1] {
                // group's overall entry: cohort averages (earlier entries) weighted by cohort size.
                for source in entry.cells {
                    let weight = entrySizes[source]
                    guard weight > 0 else { continue }
                    for j in 0..<width { sums[j] += weight * out[source * width + j] }
                    total += weight
                }
            } else if !entry.entries.isEmpty {
                for source in entry.entries where entrySizes[source] > 0 {
                    for j in 0..<width { sums[j] += out[source * width + j] }
                    total += 1
                }
            } else {
                for cell in entry.cells {
                    let weight = entry.sizeWeighted ? cellSizes[cell] : (cellSizes[cell] > 0 ? 1 : 0)
                    guard weight > 0 else { continue }
                    for j in 0..<width { sums[j] += weight * effects[cell * width + j] }
                    total += weight
                    entrySizes[index] = max(entrySizes[index], cellSizes[cell])
                }
            }
            if entry.entries == [-1] || !entry.entries.isEmpty { entrySizes[index] = total }
            guard total > 0 else { continue }
            for j in 0..<width { out[index * width + j] = sums[j] / total }
        }
        return out
    }
}
