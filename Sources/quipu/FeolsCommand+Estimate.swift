import Dispatch
import Estimation
import Formula
import Inference
import Primitives
import Reporting

/// What feols adds to the shared regression path: the least-squares fit and its bootstraps.
extension FeolsCommand {
    /// The clusters the covariance and the bootstrap need.
    func clusterColumns(for covariance: CovarianceType) throws -> [String] {
        var clusters = covariance.clusterVariables
        if resampling.bootstrap != nil || testing.adjust?.needsBootstrap == true {
            guard let first = resampling.bootCluster ?? clusters.first else {
                throw CommandError("--bootstrap needs clusters: use --vcov cluster:VAR or --boot-cluster VAR")
            }
            if !clusters.contains(first) { clusters.append(first) }
        }
        return clusters
    }

    /// Fits `frame` by least squares, and computes the covariance and any bootstrap.
    func fit(frame: consuming ModelFrame, formula: ModelFormula, covariance: CovarianceType, clusters: [String]) throws -> RegressionEstimate {
        let solveStart = DispatchTime.now()
        // The bootstraps need the frame before absorption: pairs re-estimates on resampled
        // copies, wild re-estimates non-nested fixed effects in each draw.
        let bootstrapFrame: ModelFrame? = resampling.bootstrap != nil || testing.adjust?.needsBootstrap == true ? frame : nil
        let fit = try LinearModel.fit(consume frame, options: LinearModelOptions(
            fixedEffectTolerance: fixedEffects.fixefTolerance, fixedEffectMaxIterations: fixedEffects.fixefIterations, threads: execution.threads,
            collinearityTolerance: fixedEffects.collinearityTolerance))
        let solveSeconds = ExecutionOptions.seconds(from: solveStart)
        let covarianceStart = DispatchTime.now()
        let estimate = try fit.covariance(covariance)
        let covarianceSeconds = ExecutionOptions.seconds(from: covarianceStart)
        if resampling.bootstrap != .wild {
            warnOfFewClusters(estimate, covariance: covariance, check: "add --bootstrap wild")
        }
        var results = CoefficientTable(fit: fit, covariance: estimate, weights: weights, confidenceLevel: level)
        if let request = resampling.request {
            let runner = BootstrapRunner(request: request, covariance: covariance, level: level, threads: execution.threads, warn: warn)
            results.bootstraps = try runner.run(fit: fit, frame: bootstrapFrame)
            if let (restriction, summary) = try runner.restrictionSummary(fit: fit, frame: bootstrapFrame) {
                results.restrictionTest = (restriction, summary)
            }
        }
        return RegressionEstimate(results: results, solveSeconds: solveSeconds, covarianceSeconds: covarianceSeconds, timingCounts: [
            ("absorption_sweeps", .integer(fit.absorptionIterations)),
            ("absorption_stage", fit.absorptionStage.map(JSONValue.string) ?? .null), ("solver", .string(fit.method.rawValue)),
        ], familyBootstrap: try familyBootstrap(fit: fit, frame: bootstrapFrame, covariance: covariance))
    }
}
