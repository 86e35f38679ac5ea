extension EstimateInference {
    /// The estimate Σ w_j b_j and its standard error: √(w′Vw) from the covariance, or, when the
    /// standard errors came from the bootstrap, from the same combination of each replicate (so
    /// that a combination states the same inference as the estimates beside it). A zero variance
    /// (weights that cancel) leaves nothing to test: NaN. Nil when the covariance of the combined
    /// estimates is unknown (NaN entries: estimates from separate regressions, or undefined).
    public func linearCombination(_ weights: [Double]) -> (estimate: Double, standardError: Double)? {
        var estimate = 0.0, variance = 0.0
        for i in weights.indices where weights[i] != 0 {
            estimate += weights[i] * estimates[i]
            for j in weights.indices where weights[j] != 0 { variance += weights[i] * covariance[i, j] * weights[j] }
        }
        guard !variance.isNaN else { return nil }
        let analytic = variance > 0 ? variance.squareRoot() : .nan
        guard let draws = bootstrapDraws, analytic.isFinite else { return (estimate, analytic) }
        let combined = (0..<draws.count).map { b in
            weights.indices.reduce(0.0) { $0 + weights[$1] * draws[replicate: b, estimate: $1] }
        }
        return (estimate, MultiplierBootstrap.standardError(ofReplicates: combined))
    }
}

extension EstimateInference {
    /// What a combination with `weights` is tested against: the distribution its estimates share
    /// (one regression's t when the set gathers separate regressions), the set's otherwise.
    public func distribution(ofCombination weights: [Double]) -> ReferenceDistribution {
        let used = weights.indices.filter { weights[$0] != 0 }.map { distributions[$0] }
        guard let first = used.first, used.allSatisfy({ $0 == first }) else { return distribution }
        return first
    }
}
