// The extended TWFE's aggregates, as `jwdid_estat` and diff-diff's `WooldridgeDiDResults.aggregate`
// weight them: each cell by its observations in the estimation sample. simple: the post-treatment
// cells; group: one cohort's post-treatment cells; dynamic: the cells of one event time (leads
// included with never-treated controls); calendar: one period's post-treatment cells. The overall
// entries follow Quipu's Callaway–Sant'Anna: groups weighted by their units, the mean over event
// times e ≥ 0, the mean over periods. Every aggregate is a fixed combination w of the cells, so its
// covariance is the delta method J·B·Jᵀ on the basis covariance B.
//
// Poisson adds each aggregate as a log ratio of means (Chen & Roth 2024, "Logs with zeros?"):
// log(Ȳ₁ / Ȳ₀) with Ȳ₁ = w·ȳ the observed mean of its treated cells and Ȳ₀ = Ȳ₁ − w·τ the mean of
// their counterfactual (the cell indicators make Σ μ̂ = Σ y in every cell), with gradient
// w/Ȳ₀ on the effects and w(1/Ȳ₁ − 1/Ȳ₀) on the observed means.

import Foundation
import Inference
import LinearAlgebra

extension ExtendedTwoWayFixedEffectsEstimator {
    /// The reported estimates (cells, aggregates, and for Poisson their log ratios) with their covariance.
    func assemble(_ effects: CellEffects, cells: [Cell], unitsPerCohort: [Int: Int], poisson: Bool) throws
        -> (estimates: [StaggeredEstimate], covariance: Matrix)
    {
        let c = cells.count
        let basisCount = effects.basisCovariance.rows
        var estimates = [StaggeredEstimate]()
        var jacobian = [[Double]]()
        for (index, cell) in cells.enumerated() {
            estimates.append(StaggeredEstimate(kind: .attGT, eventTime: cell.eventTime, group: cell.group, time: cell.time,
                                               estimate: effects.effects[index], treatedUnits: unitsPerCohort[cell.group] ?? 0, cohortCount: 1))
            var row = [Double](repeating: 0, count: basisCount)
            row[index] = 1
            jacobian.append(row)
        }
        /// Cell-size weights over `members` (indices of cells), nil when empty.
        func weights(_ members: [Int]) -> [Double]? {
            let total = Double(members.reduce(0) { $0 + cells[$1].size })
            guard total > 0 else { return nil }
            var w = [Double](repeating: 0, count: c)
            for member in members { w[member] = Double(cells[member].size) / total }
            return w
        }
        var aggregates = [(kind: StaggeredEstimateKind, eventTime: Int?, group: Int?, time: Int?, weights: [Double])]()
        func add(_ kind: StaggeredEstimateKind, eventTime: Int? = nil, group: Int? = nil, time: Int? = nil, _ w: [Double]?) {
            if let w { aggregates.append((kind, eventTime, group, time, w)) }
        }
        let post = cells.indices.filter { cells[$0].eventTime >= 0 }
        add(.simple, weights(post))
        let groups = Set(post.map { cells[$0].group }).sorted()
        var byGroup = [(Int, [Double])]()
        for g in groups {
            let w = weights(post.filter { cells[$0].group == g })
            add(.group, group: g, w)
            if let w { byGroup.append((g, w)) }
        }
        add(.group, average(byGroup.map { (Double(unitsPerCohort[$0.0] ?? 0), $0.1) }))
        let eventTimes = Set(cells.map(\.eventTime)).sorted()
        var postEvents = [[Double]]()
        for e in eventTimes {
            let w = weights(cells.indices.filter { cells[$0].eventTime == e })
            add(.dynamic, eventTime: e, w)
            if e >= 0, let w { postEvents.append(w) }
        }
        add(.dynamic, average(postEvents.map { (1.0, $0) }))
        var periods = [[Double]]()
        for t in Set(post.map { cells[$0].time }).sorted() {
            let w = weights(post.filter { cells[$0].time == t })
            add(.calendar, time: t, w)
            if let w { periods.append(w) }
        }
        add(.calendar, average(periods.map { (1.0, $0) }))

        func members(_ w: [Double]) -> Set<Int> { Set(w.indices.filter { w[$0] != 0 }.map { cells[$0].group }) }
        func units(_ w: [Double]) -> Int { members(w).reduce(0) { $0 + (unitsPerCohort[$1] ?? 0) } }
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        for aggregate in aggregates {
            estimates.append(StaggeredEstimate(kind: aggregate.kind, eventTime: aggregate.eventTime, group: aggregate.group, time: aggregate.time,
                                               estimate: dot(aggregate.weights, effects.effects), treatedUnits: units(aggregate.weights),
                                               cohortCount: members(aggregate.weights).count))
            jacobian.append(aggregate.weights + [Double](repeating: 0, count: basisCount - c))
        }
        if poisson, let means = effects.observedMeans {
            for aggregate in aggregates where aggregate.eventTime.map({ $0 >= 0 }) ?? true {
                let treatedMean = dot(aggregate.weights, means)
                let untreatedMean = treatedMean - dot(aggregate.weights, effects.effects)
                let defined = treatedMean > 0 && untreatedMean > 0
                estimates.append(StaggeredEstimate(kind: aggregate.kind, eventTime: aggregate.eventTime, group: aggregate.group, time: aggregate.time,
                                                   estimate: defined ? log(treatedMean / untreatedMean) : .nan, treatedUnits: units(aggregate.weights),
                                                   cohortCount: members(aggregate.weights).count, scale: .logRatio))
                jacobian.append(aggregate.weights.map { $0 / untreatedMean } + aggregate.weights.map { $0 * (1 / treatedMean - 1 / untreatedMean) })
            }
        }
        var map = Matrix(rows: jacobian.count, columns: basisCount)
        for (r, row) in jacobian.enumerated() { for (b, value) in row.enumerated() where value != 0 { map[r, b] = value } }
        let covariance = try map.multiplied(by: effects.basisCovariance).multiplied(by: map, transposeOther: true)
        return (estimates, covariance)
    }

    /// The weighted average of weight vectors, with weights `share` normalised; nil when empty.
    private func average(_ parts: [(share: Double, weights: [Double])]) -> [Double]? {
        let total = parts.reduce(0) { $0 + $1.share }
        guard let first = parts.first, total > 0 else { return nil }
        var w = [Double](repeating: 0, count: first.weights.count)
        for part in parts { for index in w.indices { w[index] += part.share / total * part.weights[index] } }
        return w
    }
}
