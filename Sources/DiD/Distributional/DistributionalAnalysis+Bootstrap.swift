// The unit (cluster) bootstrap of the distributional estimators: each replicate draws clusters
// (units, or the coarser --cluster variable) with replacement and recomputes every cell and
// aggregate on the draw, as qte and diff-diff resample units (both periods travel together). The
// draw enters as integer counts per unit, read by samples sorted once (SortedSample), so a
// replicate costs O(n) per cell (O(n log n) for panel QTT's counterfactual draws), never a sort of
// the data. Replicate b draws from RandomStream(seed, b) and lands in slot b (ReplicateRunner):
// any thread count gives the same draws. Standard errors and bands come from the shared inference
// core (StaggeredResult.withBootstrap: IQR standard errors, sup-t bands; over the quantiles of each
// mean effect for quantile effects).

import Inference
import LinearAlgebra
import Primitives

extension DistributionalAnalysis {
    static func bootstrap(point: [Double], estimates: [StaggeredEstimate], panel: UnitPanel, settings: DistributionalOptions,
                          threads: Int, level: Double, estimator: StaggeredEstimator, clusterName: String,
                          compute: @escaping @Sendable ([Int32]?) -> [Double]) throws -> StaggeredResult {
        let width = point.count, replicates = settings.replicates
        try BootstrapMemory.check(BootstrapMemory.bytes(replicates: replicates, doublesPerReplicate: width + 3),
                                  for: "the unit bootstrap's \(replicates) replicates of \(width) estimates", replicates: replicates)
        let codes = panel.clusters?.codes
        let clusterCount = panel.clusters?.levelCount ?? panel.unitCount
        let unitCount = panel.unitCount, seed = settings.seed
        let runner = ReplicateRunner(threads: threads, chunkSize: 8, showsProgress: true)
        let draws = runner.run(count: replicates, width: width) { range, output in
            for (offset, replicate) in range.enumerated() {
                var stream = RandomStream(seed: seed, replicate: UInt64(replicate))
                var drawn = [Int32](repeating: 0, count: clusterCount)
                for _ in 0..<clusterCount { drawn[stream.nextInt(below: clusterCount)] += 1 }
                let counts = codes.map { codes in (0..<unitCount).map { drawn[Int(codes[$0])] } } ?? drawn
                let values = compute(counts)
                // Deviations from the estimate, as the inference core's bootstrap draws are.
                for j in 0..<width { output[offset * width + j] = values[j] - point[j] }
            }
        }
        // A column with an undefined replicate (a cohort of one firm left out of a draw) has no
        // standard error: its estimate rests on a unit the bootstrap cannot always see.
        let complete = (0..<width).map { j in (0..<replicates).allSatisfy { draws[$0 * width + j].isFinite } && point[j].isFinite }
        var covariance = Matrix(rows: width, columns: width, repeating: .nan)
        let scale = 1 / Double(max(replicates - 1, 1))
        let kept = (0..<width).filter { complete[$0] }
        var means = [Double](repeating: 0, count: width)
        for j in kept { means[j] = (0..<replicates).reduce(0) { $0 + draws[$1 * width + j] } / Double(replicates) }
        for (a, j) in kept.enumerated() {
            for k in kept[a...] {
                var sum = 0.0
                for b in 0..<replicates { sum += (draws[b * width + j] - means[j]) * (draws[b * width + k] - means[k]) }
                covariance[j, k] = sum * scale
                covariance[k, j] = sum * scale
            }
        }
        let inference = InferenceDescription(method: "unit bootstrap (\(replicates) replicates, seed \(settings.seed), resampling \(clusterName))",
                                             clustering: .init(variable: clusterName, statedCount: clusterCount))
        let analytic = StaggeredResult(estimator: estimator, estimates: estimates, covariance: covariance, degreesOfFreedom: nil,
                                       inference: inference, observationCount: panel.sample.rows, clusterCount: clusterCount)
        return analytic.withBootstrap(replicates: draws.map { $0.isFinite ? $0 : 0 }, count: replicates, level: level, inference: inference)
    }
}
