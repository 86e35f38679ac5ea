import Inference
import LinearAlgebra

/// The observations a Poisson fit works on, which, unlike a least-squares frame, shrink after the
/// frame is built: rows of all-zero fixed-effect groups and separated rows are dropped before the
/// IRLS starts.
struct PoissonSample {
    /// The outcome, one value per observation (non-negative).
    var response: [Double]
    /// The regressors (N × k), intercept first when present.
    var design: Matrix
    /// The regressors' names.
    let columnNames: [String]
    /// Observation weights, or nil.
    var weights: [Double]?
    /// The fixed effects, with dense codes over the observations.
    var fixedEffects: [Factor]
    /// The cluster variables, as factors so that they stay dense when rows are dropped.
    var clusters: [Factor]
    /// The table row of each observation.
    var sourceRows: [Int]

    /// The number of observations.
    var count: Int { response.count }

    /// Takes the frame's arrays over.
    init(frame: consuming ModelFrame) {
        response = frame.response
        design = frame.design
        columnNames = frame.columnNames
        weights = frame.weights
        fixedEffects = frame.fixedEffects
        clusters = frame.clusterVariables
        sourceRows = frame.sourceRows
    }

    /// Keeps the observations where `keep` is true, re-coding every factor densely (a level left
    /// without observations must not count as a parameter or a cluster).
    mutating func keep(_ keep: [Bool]) {
        let kept = keep.indices.filter { keep[$0] }
        response = kept.map { response[$0] }
        design = design.selecting(rows: kept, columns: Array(0..<design.columns))
        weights = weights.map { values in kept.map { values[$0] } }
        fixedEffects = fixedEffects.map { $0.subset(keep) }
        clusters = clusters.map { $0.subset(keep) }
        sourceRows = kept.map { sourceRows[$0] }
    }

    /// The cluster variables in the form the covariance estimators take.
    var clusterVariables: [ClusterVariable] {
        clusters.map { ClusterVariable(name: $0.name, codes: $0.codes, count: $0.levelCount) }
    }

    /// Observations to keep after removing, repeatedly until none is left, every fixed-effect
    /// group whose outcome is zero throughout (its coefficient would be −∞, and its rows carry no
    /// information on the slopes); nil when there is no such group.
    ///
    /// Repeating matters only when dropping one factor's group empties another factor's group of
    /// positive outcomes, which a single pass (pyfixest's `separation_check=["fe"]`) would miss.
    func allZeroGroupMask() -> [Bool]? {
        guard !fixedEffects.isEmpty else { return nil }
        var keep = [Bool](repeating: true, count: count)
        var changed = true
        var anyDropped = false
        while changed {
            changed = false
            for factor in fixedEffects {
                var positive = [Bool](repeating: false, count: factor.levelCount)
                for index in 0..<count where keep[index] {
                    let level = Int(factor.codes[index])
                    if response[index] > 0 { positive[level] = true }
                }
                for index in 0..<count where keep[index] && !positive[Int(factor.codes[index])] {
                    keep[index] = false
                    changed = true
                    anyDropped = true
                }
            }
        }
        return anyDropped ? keep : nil
    }
}
