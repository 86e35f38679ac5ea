import Foundation
import Primitives

/// The pairs (cluster) bootstrap: resample whole clusters with replacement and re-estimate. A
/// generic engine: any estimator that maps a draw of clusters to a vector of estimates can use it.
public struct PairsClusterBootstrap: Sendable {
    /// Bootstrap standard errors and intervals for each estimate.
    public struct Result: Sendable {
        /// Standard deviation of the replicates.
        public let standardErrors: [Double]
        /// Percentile intervals.
        public let percentileLow: [Double], percentileHigh: [Double]
        /// Normal intervals: estimate ± z · bootstrap SE.
        public let normalLow: [Double], normalHigh: [Double]
        /// Replicates that failed (for example a draw in which a regressor has no variation).
        public let failedReplicates: Int
        /// The replicate estimates, row-major (replicates × estimates).
        public let replicates: [Double]
    }

    public var replicates: Int
    public var seed: UInt64
    public var threads: Int
    public var confidenceLevel: Double

    /// Creates a bootstrap.
    public init(replicates: Int, seed: UInt64, threads: Int, confidenceLevel: Double = 0.95) {
        self.replicates = replicates
        self.seed = seed
        self.threads = threads
        self.confidenceLevel = confidenceLevel
    }

    /// Runs `estimator` on `replicates` draws of `clusterCount` clusters (with replacement).
    /// `estimates` are the full-sample estimates, centring the normal intervals.
    public func run(clusterCount: Int, estimates: [Double],
                    estimator: @Sendable ([Int]) throws -> [Double]) throws(BootstrapError) -> Result {
        guard replicates >= 2 else { throw BootstrapError("the pairs bootstrap needs at least 2 replicates, got \(replicates)") }
        try FewClusters.checkPairsBootstrap(clusters: clusterCount)
        let width = estimates.count
        // Per replicate: its estimates, plus one estimate's values filtered and sorted at a time.
        try BootstrapMemory.check(BootstrapMemory.bytes(replicates: replicates, doublesPerReplicate: width + 3),
                                  for: "the pairs bootstrap's \(replicates) replicates of \(width) estimate\(width == 1 ? "" : "s")", replicates: replicates)
        let seed = self.seed
        let runner = ReplicateRunner(threads: threads, chunkSize: 8, showsProgress: true)
        let draws = runner.run(count: replicates, width: width) { range, output in
            for (offset, replicate) in range.enumerated() {
                var stream = RandomStream(seed: seed, replicate: UInt64(replicate))
                let drawn = (0..<clusterCount).map { _ in stream.nextInt(below: clusterCount) }
                guard let values = try? estimator(drawn), values.count == width else { continue }  // stays NaN: counted as failed
                for j in 0..<width { output[offset * width + j] = values[j] }
            }
        }
        let z = StandardNormal.quantile(0.5 + confidenceLevel / 2)
        var errors = [Double](), lows = [Double](), highs = [Double](), normalLows = [Double](), normalHighs = [Double]()
        var failed = 0
        for b in 0..<replicates where draws[b * width].isNaN { failed += 1 }
        guard replicates - failed >= 2 else { throw BootstrapError("fewer than 2 of \(replicates) bootstrap replicates could be estimated") }
        for j in 0..<width {
            let values = (0..<replicates).map { draws[$0 * width + j] }.filter { !$0.isNaN }.sorted()
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
            let error = variance.squareRoot()
            errors.append(error)
            let alpha = 1 - confidenceLevel
            lows.append(Self.quantile(values, alpha / 2))
            highs.append(Self.quantile(values, 1 - alpha / 2))
            normalLows.append(estimates[j] - z * error)
            normalHighs.append(estimates[j] + z * error)
        }
        return Result(standardErrors: errors, percentileLow: lows, percentileHigh: highs, normalLow: normalLows,
                      normalHigh: normalHighs, failedReplicates: failed, replicates: draws)
    }

    /// Linear-interpolation quantile of sorted values (type 7).
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = Double(sorted.count - 1) * p
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
    }
}
