import Foundation
import LinearAlgebra

/// The multiplier bootstrap for estimators with influence functions (Callaway & Sant'Anna 2021,
/// §4.1; R did's `mboot`): replicate b of estimate j is Σ_i v_{g(i)} ψ_ij / n with one weight per
/// unit or per cluster, standard errors from the replicates' interquartile range, and a uniform
/// (sup-t) band from the distribution of max_j |replicate_j / se_j|.
public struct MultiplierBootstrap: Sendable {
    /// The result for a family of estimates.
    public struct Result: Sendable {
        /// IQR-based standard errors: (q.75 − q.25) / (z.75 − z.25).
        public let standardErrors: [Double]
        /// The critical value of the uniform band (the `level` quantile of the sup-t statistic).
        public let uniformCriticalValue: Double
        /// The replicates, row-major (replicates × estimates).
        public let replicates: [Double]
    }

    public var replicates: Int
    public var seed: UInt64
    public var weights: BootstrapWeights
    public var threads: Int
    public var confidenceLevel: Double

    /// Creates a bootstrap; R did uses Rademacher weights (Mammen is its alternative).
    public init(replicates: Int, seed: UInt64, weights: BootstrapWeights = .rademacher, threads: Int, confidenceLevel: Double = 0.95) {
        self.replicates = replicates
        self.seed = seed
        self.weights = weights
        self.threads = threads
        self.confidenceLevel = confidenceLevel
    }

    /// Runs the bootstrap on influence functions `influence` (n × J, one row per unit) with
    /// optional clusters (a weight per cluster instead of per unit).
    public func run(influence: Matrix, clusters: ClusterVariable?) throws(BootstrapError) -> Result {
        guard replicates >= 2 else { throw BootstrapError("the multiplier bootstrap needs at least 2 replicates, got \(replicates)") }
        let units = influence.rows, width = influence.columns
        guard units > 0, width > 0 else { throw BootstrapError("no influence functions to bootstrap") }
        // Summing influence functions within clusters first makes a replicate cost O(G·J).
        let groupCount = clusters?.count ?? units
        var grouped = Matrix(rows: groupCount, columns: width)
        for i in 0..<units {
            let group = clusters.map { Int($0.codes[i]) } ?? i
            for j in 0..<width { grouped[group, j] += influence[i, j] }
        }
        let sums = grouped
        let seed = self.seed, weights = self.weights
        let runner = ReplicateRunner(threads: threads, chunkSize: 256, showsProgress: true)
        let draws = runner.run(count: replicates, width: width) { range, output in
            var v = [Double](repeating: 0, count: groupCount)
            for (offset, replicate) in range.enumerated() {
                var stream = RandomStream(seed: seed, replicate: UInt64(replicate))
                for g in 0..<groupCount { v[g] = weights.draw(&stream) }
                for j in 0..<width {
                    var total = 0.0
                    for g in 0..<groupCount { total += v[g] * sums[g, j] }
                    output[offset * width + j] = total / Double(units)
                }
            }
        }
        let iqrScale = StandardNormal.quantile(0.75) - StandardNormal.quantile(0.25)
        let errors = (0..<width).map { j -> Double in
            let values = (0..<replicates).map { draws[$0 * width + j] }.sorted()
            return (PairsClusterBootstrap.quantile(values, 0.75) - PairsClusterBootstrap.quantile(values, 0.25)) / iqrScale
        }
        let maxima = (0..<replicates).map { b in
            (0..<width).map { j in errors[j] > 0 ? abs(draws[b * width + j]) / errors[j] : 0 }.max() ?? 0
        }.sorted()
        return Result(standardErrors: errors, uniformCriticalValue: PairsClusterBootstrap.quantile(maxima, confidenceLevel),
                      replicates: draws)
    }
}
