import Foundation
import LinearAlgebra
import Primitives

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
        try FewClusters.checkMultiplierBootstrap(clusters: clusters?.levelCount ?? units)
        // Per replicate: its estimates, one estimate's sorted values, and the sup-t maxima.
        try BootstrapMemory.check(BootstrapMemory.bytes(replicates: replicates, doublesPerReplicate: width + 3),
                                  for: "the multiplier bootstrap's \(replicates) replicates of \(width) estimate\(width == 1 ? "" : "s")", replicates: replicates)
        // Summing influence functions within clusters first makes a replicate cost O(G·J).
        let groupCount = clusters?.levelCount ?? units
        var scores = influence
        if let clusters {
            var grouped = Matrix(rows: groupCount, columns: width)
            grouped.values.withUnsafeMutableBufferPointer { target in
                influence.values.withUnsafeBufferPointer { source in
                    for j in 0..<width {
                        for i in 0..<units { target[j * groupCount + Int(clusters.codes[i])] += source[j * units + i] }
                    }
                }
            }
            scores = grouped
        }
        let sums = scores
        let seed = self.seed, weights = self.weights
        // Replicates run in fixed chunks whose products are the same calls whatever the thread
        // count; within a chunk the groups are streamed in blocks that stay in cache, each
        // replicate drawing its weights from its own stream in group order.
        let chunk = 128
        let block = 8192
        let runner = ReplicateRunner(threads: threads, chunkSize: chunk, showsProgress: true)
        let draws = runner.run(count: replicates, width: width, makeState: {
            [Double](repeating: 0, count: block * chunk)
        }) { range, output, buffer in
            output.update(repeating: 0)
            var streams = range.map { RandomStream(seed: seed, replicate: UInt64($0)) }
            var bits = [UInt64](repeating: 0, count: range.count)
            var start = 0
            sums.values.withUnsafeBufferPointer { psi in
                buffer.withUnsafeMutableBufferPointer { w in
                    while start < groupCount {
                        let size = min(block, groupCount - start)
                        for r in 0..<range.count {
                            let base = r * size
                            if weights == .rademacher {
                                // One 64-bit draw gives 64 signs.
                                for g in 0..<size {
                                    let position = (start + g) & 63
                                    if position == 0 { bits[r] = streams[r].nextBits() }
                                    w[base + g] = (bits[r] >> UInt64(position)) & 1 == 0 ? -1 : 1
                                }
                            } else {
                                for g in 0..<size { w[base + g] = weights.draw(&streams[r]) }
                            }
                        }
                        guard let a = psi.baseAddress, let b = w.baseAddress, let c = output.baseAddress else { return }
                        Matrix.accumulateTransposedProduct(a + start, leadingA: groupCount, b, rows: width, columns: range.count,
                                                           inner: size, into: c)
                        start += size
                    }
                }
            }
            let scale = 1 / Double(units)
            for index in output.indices { output[index] *= scale }
        }
        return Self.summarize(replicates: draws, count: replicates, width: width, level: confidenceLevel)
    }

    /// The standard error of one estimate from its replicates: (q.75 − q.25) / (z.75 − z.25), robust
    /// to the heavy tails a few influential units give (R did's `mboot`).
    public static func standardError(ofReplicates values: [Double]) -> Double {
        let sorted = values.sorted()
        let iqrScale = StandardNormal.quantile(0.75) - StandardNormal.quantile(0.25)
        return (PairsClusterBootstrap.quantile(sorted, 0.75) - PairsClusterBootstrap.quantile(sorted, 0.25)) / iqrScale
    }

    /// IQR standard errors and the uniform band's critical value of replicates (row-major B × J).
    public static func summarize(replicates draws: [Double], count replicates: Int, width: Int, level: Double) -> Result {
        let errors = (0..<width).map { j -> Double in
            standardError(ofReplicates: (0..<replicates).map { draws[$0 * width + j] })
        }
        // Estimates without spread in the draws take no part in the band.
        let band = BootstrapDraws(values: draws, count: replicates, width: width)
            .supTCriticalValue(over: (0..<width).filter { errors[$0] > 0 }, standardErrors: errors, level: level)
        return Result(standardErrors: errors, uniformCriticalValue: band, replicates: draws)
    }
}
