/// The settings of the distributional estimators (`--estimator cic|qdid|qtt`).
public struct DistributionalOptions: Sendable {
    /// The quantiles τ ∈ (0, 1) of the quantile effects, ascending.
    public var quantiles: [Double] = [0.1, 0.25, 0.5, 0.75, 0.9]
    /// Unit (cluster) bootstrap replicates; 0 gives the estimates without standard errors.
    public var replicates = 999
    /// The bootstrap's seed (replicate b draws from (seed, b): any thread count gives the same result).
    public var seed: UInt64 = 1

    public init() {}
}
