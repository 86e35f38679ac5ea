// One estimate's influence, contribution by contribution, in the form a joint multiplier bootstrap
// across estimators needs (issue 23 point 4: Romano–Wolf and Westfall–Young across a report's
// headlines, which come from different estimators on the same units).
//
// Goals, in order:
// 1. One shape for every estimator: contributions ψ_i tied to a row of the table the estimator
//    read, and the factor c with which its analytic variance is c · Σ_g (Σ_{i∈g} ψ_i)², g the
//    clusters. Callaway–Sant'Anna gives one contribution per unit (its influence function / n,
//    c = 1, R did's clustered formula); a regression gives one per observation
//    (eₖᵀ (X̃ᵀWX̃)⁻¹ x̃ᵢ wᵢ ûᵢ, c fixest's small-sample factor), as the cluster-robust sandwich
//    it reproduces (Cameron & Miller 2015, §2.3).
// 2. Rows, not cluster codes: estimators on different samples code their clusters differently;
//    the caller who holds the table maps a row to its cluster's value, and so lines up the same
//    firm across estimators.
// 3. Nothing is invented: an estimator that cannot write its variance this way (a delta method on
//    collapsed cells, a variance with its own corrections) hands over no influence.

/// One estimate's contributions to its clustered variance: variance = `varianceFactor` ·
/// Σ_g (Σ_{i∈g} `values[i]`)², g the clusters of the rows `rows`.
public struct UnitInfluence: Sendable {
    /// The row of the estimator's input table each contribution belongs to (for a unit, the first
    /// row the estimator read of it).
    public let rows: [Int]
    /// The contributions, one per row of `rows`.
    public let values: [Double]
    /// The small-sample factor of the variance (1 for influence functions; fixest's
    /// (G/(G − 1))·((N − 1)/(N − K)) for a clustered regression).
    public let varianceFactor: Double

    public init(rows: [Int], values: [Double], varianceFactor: Double) {
        self.rows = rows
        self.values = values
        self.varianceFactor = varianceFactor
    }

    /// The contributions summed within each cluster, `cluster(row)` naming a row's cluster by any
    /// hashable key.
    public func clusterSums<Key: Hashable>(_ cluster: (Int) -> Key) -> [Key: Double] {
        var sums = [Key: Double]()
        for (row, value) in zip(rows, values) { sums[cluster(row), default: 0] += value }
        return sums
    }

    /// The variance the contributions imply when `cluster` names each row's cluster.
    public func variance<Key: Hashable>(clusters cluster: (Int) -> Key) -> Double {
        // Summed in a fixed order so that the result does not depend on the dictionary's.
        let sums = clusterSums(cluster)
        var firstRow = [Key: Int]()
        for row in rows where firstRow[cluster(row)] == nil { firstRow[cluster(row)] = row }
        let ordered = sums.keys.sorted { firstRow[$0, default: 0] < firstRow[$1, default: 0] }
        return varianceFactor * ordered.reduce(0) { $0 + sums[$1, default: 0] * sums[$1, default: 0] }
    }
}
