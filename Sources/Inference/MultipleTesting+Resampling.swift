// Adjusted p-values from the joint bootstrap distribution of a family's test statistics.
//
// Goals, in order:
// 1. Romano & Wolf (2005, "Stepwise multiple testing as formalized data snooping",
//    Econometrica 73(4), Algorithm 4.1; 2016, "Efficient computation of adjusted p-values for
//    resampling-based stepdown multiple testing", Statistics & Probability Letters 113) as
//    pyfixest's `rwolf` computes them: order the hypotheses by |t| (largest first); the i-th is
//    compared with the maximum of |t*| over the hypotheses not yet stepped past,
//    p = (1 + #{b: max* ≥ |t|}) / (B + 1), and monotonicity is enforced down the order.
// 2. Westfall & Young (1993, "Resampling-Based Multiple Testing", ch. 2, the free step-down
//    min-p resampling method; not the single-step version) as pyfixest's `wyoung` computes it:
//    every statistic, sample and bootstrap, is turned into a p-value by its member's reference
//    distribution (t with G − 1 degrees of freedom when clustered), and the i-th smallest raw p
//    is compared with the minimum bootstrap p over the hypotheses not yet stepped past,
//    p = #{b: min* ≤ p₍ᵢ₎} / B. When every member has the same reference distribution the
//    minimum p is the maximum |t|, so it is Romano–Wolf's comparison without the +1; it differs
//    when members' degrees of freedom differ.
// 3. The joint distribution is only right when every member's replicate b comes from the same
//    draw (the same clusters, the same weights): the caller guarantees that; here replicate b of
//    every member is row b of `BootstrapDraws`.
// Members with an undefined statistic (NaN) are not hypotheses: their adjusted p is NaN.

extension MultipleTesting {
    /// Romano–Wolf step-down adjusted p-values of the statistics `statistics` (one per member),
    /// whose bootstrap replicates under the null are `draws` (replicates × members, the same
    /// draw in each row).
    public static func romanoWolf(statistics: [Double], draws: BootstrapDraws) -> [Double] {
        let ordered = statistics.indices.filter { statistics[$0].isFinite }
            .sorted { (-abs(statistics[$0]), $0) < (-abs(statistics[$1]), $1) }
        var adjusted = [Double](repeating: .nan, count: statistics.count)
        var running = 0.0
        for (step, member) in ordered.enumerated() {
            let remaining = ordered[step...]
            let observed = abs(statistics[member])
            var hits = 0
            for b in 0..<draws.count {
                // The replicate's largest |t*| over the members not yet stepped past (NaN skipped).
                var largest = -Double.infinity
                for j in remaining {
                    let value = abs(draws[replicate: b, estimate: j])
                    if !value.isNaN { largest = max(largest, value) }
                }
                if largest >= observed { hits += 1 }
            }
            running = max(running, min(1, Double(hits + 1) / Double(draws.count + 1)))
            adjusted[member] = running
        }
        return adjusted
    }

    /// Westfall–Young free step-down min-p adjusted p-values, from the same inputs as
    /// `romanoWolf` and each member's reference distribution (`distributions`, the t or normal its
    /// own p-value is read from): raw p_j and bootstrap p*_jb are that distribution's two-sided
    /// p-values of t_j and t*_jb, and the i-th smallest raw p gets #{b: min over the members not
    /// yet stepped past of p*_b ≤ p₍ᵢ₎} / B, made non-decreasing (pyfixest's `wyoung`).
    public static func westfallYoung(statistics: [Double], draws: BootstrapDraws, distributions: [ReferenceDistribution]) -> [Double] {
        let members = statistics.indices.filter { statistics[$0].isFinite }
        var raw = [Double](repeating: .nan, count: statistics.count)
        var replicateP = [[Double]](repeating: [], count: statistics.count)
        for j in members {
            raw[j] = distributions[j].twoSidedPValue(statistics[j])
            replicateP[j] = (0..<draws.count).map { b in
                let value = draws[replicate: b, estimate: j]
                return value.isNaN ? 1 : distributions[j].twoSidedPValue(value)
            }
        }
        let ordered = members.sorted { (raw[$0], $0) < (raw[$1], $1) }
        var adjusted = [Double](repeating: .nan, count: statistics.count)
        var running = 0.0
        for (step, member) in ordered.enumerated() {
            let remaining = ordered[step...]
            var hits = 0
            for b in 0..<draws.count {
                var smallest = Double.infinity
                for j in remaining { smallest = min(smallest, replicateP[j][b]) }
                if smallest <= raw[member] { hits += 1 }
            }
            running = max(running, Double(hits) / Double(max(draws.count, 1)))
            adjusted[member] = running
        }
        return adjusted
    }
}
