// The joint bootstrap distribution of a family's t statistics when the members come from
// different estimators on the same clusters (a report's headlines: Callaway–Sant'Anna on one
// outcome, a TWFE regression on another), for the step-down adjustments of
// MultipleTesting+Resampling.swift.
//
// Goals, in order:
// 1. One draw for the whole family: replicate b gives every cluster g one multiplier v_bg and every
//    member j the replicate Σ_g v_bg s_gj of its centred estimate, s_gj the member's contributions
//    summed within cluster g (`UnitInfluence`). The draws are those of `MultiplierBootstrap`
//    (Callaway & Sant'Anna 2021 §4.1; Kline & Santos 2012 for the score bootstrap of a
//    regression), run on the G × m matrix of cluster sums, so the weights come from the one
//    thread-invariant engine (`ReplicateRunner`, a `RandomStream` per replicate): identical for
//    any thread count.
// 2. Studentised by each member's own analytic standard error, √(c_j Σ_g s_gj²), with c_j its
//    small-sample factor: t_j = θ̂_j / se_j and t*_bj = √c_j Σ_g v_bg s_gj / se_j, the statistics
//    Romano & Wolf (2005) and Westfall & Young (1993) step down on (pyfixest's `rwolf` studentises
//    by the bootstrap draw's own standard error; with a multiplier on fixed scores that changes
//    only a factor common to the draw).
// 3. A member whose standard error is not a positive number has no statistic (NaN) and so is no
//    hypothesis of the family.

import LinearAlgebra

extension MultipleTesting {
    /// A family's statistics and their joint bootstrap draws under the null.
    public struct JointDraws: Sendable {
        /// t_j = θ̂_j / se_j (NaN without a standard error).
        public let statistics: [Double]
        /// se_j = √(c_j Σ_g s_gj²).
        public let standardErrors: [Double]
        /// t*_bj, replicates × members.
        public let draws: BootstrapDraws
    }

    /// The joint draws of members with estimates `estimates`, cluster sums `clusterSums` (G × m,
    /// clusters in a fixed order, 0 where a member has no contribution from a cluster) and
    /// small-sample factors `factors`, from `bootstrap`'s replicates, seed and weights.
    public static func jointDraws(estimates: [Double], clusterSums: Matrix, factors: [Double],
                                  bootstrap: MultiplierBootstrap) throws(BootstrapError) -> JointDraws {
        let clusters = clusterSums.rows, members = clusterSums.columns
        var standardErrors = [Double](repeating: .nan, count: members)
        for j in 0..<members {
            var sum = 0.0
            for g in 0..<clusters { sum += clusterSums[g, j] * clusterSums[g, j] }
            let error = (factors[j] * sum).squareRoot()
            if error.isFinite && error > 0 { standardErrors[j] = error }
        }
        // MultiplierBootstrap's replicate is Σ_g v_bg s_gj / G (units = the G rows given).
        let run = try bootstrap.run(influence: clusterSums, clusters: nil)
        var values = [Double](repeating: .nan, count: bootstrap.replicates * members)
        for j in 0..<members where standardErrors[j].isFinite {
            let scale = Double(clusters) * factors[j].squareRoot() / standardErrors[j]
            for b in 0..<bootstrap.replicates { values[b * members + j] = run.replicates[b * members + j] * scale }
        }
        let statistics = (0..<members).map { estimates[$0] / standardErrors[$0] }
        return JointDraws(statistics: statistics, standardErrors: standardErrors,
                          draws: BootstrapDraws(values: values, count: bootstrap.replicates, width: members))
    }

    /// The symmetric bootstrap p-value of one statistic tested alone,
    /// (1 + #{b: |t*_b| ≥ |t|}) / (B + 1), from its column of `draws`; NaN without a statistic.
    public static func bootstrapPValue(statistic: Double, draws: BootstrapDraws, member: Int) -> Double {
        guard statistic.isFinite else { return .nan }
        var hits = 0
        for b in 0..<draws.count where abs(draws[replicate: b, estimate: member]) >= abs(statistic) { hits += 1 }
        return Double(hits + 1) / Double(draws.count + 1)
    }
}
