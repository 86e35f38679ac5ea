import Dispatch
import Estimation
import Formula
import Inference
import PanelData
import Reporting

/// One feols model from a table, shared by the single and the multiple estimation.
extension FeolsCommand {
    /// A fitted model's results and where its time went.
    struct Estimate {
        var results: CoefficientTable
        var frameSeconds: Double
        var solveSeconds: Double
        var covarianceSeconds: Double
        var absorptionIterations: Int
        var absorptionStage: String?
        var solver: String
    }

    /// The clusters the covariance and the bootstrap need.
    func clusterVariables(for covariance: CovarianceType) throws -> [String] {
        var clusters = covariance.clusterVariables
        if resampling.bootstrap != nil {
            guard let first = resampling.bootCluster ?? clusters.first else {
                throw CommandError("--bootstrap needs clusters: use --vcov cluster:VAR or --boot-cluster VAR")
            }
            if !clusters.contains(first) { clusters.append(first) }
        }
        return clusters
    }

    /// Builds the frame of `formula` from `table` (consumed, so its columns are freed as the
    /// frame takes them over), fits it, and computes the covariance and any bootstrap.
    func estimate(table: consuming DataTable, formula: ModelFormula, covariance: CovarianceType, clusters: [String]) throws -> Estimate {
        let frameStart = DispatchTime.now()
        let frame = try ModelFrame(table: table, formula: formula,
                                   options: ModelFrameOptions(weights: weights, clusters: clusters,
                                                              removeSingletons: !fixedEffects.keepSingletons))
        let frameSeconds = Self.seconds(since: frameStart)
        let solveStart = DispatchTime.now()
        // The bootstraps need the frame before absorption: pairs re-estimates on resampled
        // copies, wild re-estimates non-nested fixed effects in each draw.
        let bootstrapFrame: ModelFrame? = resampling.bootstrap != nil ? frame : nil
        let fit = try LinearModel.fit(consume frame, options: LinearModelOptions(
            fixedEffectTolerance: fixedEffects.fixefTolerance, fixedEffectMaxIterations: fixedEffects.fixefIterations, threads: execution.threads,
            collinearityTolerance: fixedEffects.collinearityTolerance))
        let solveSeconds = Self.seconds(since: solveStart)
        let covarianceStart = DispatchTime.now()
        let estimate = try fit.covariance(covariance)
        let covarianceSeconds = Self.seconds(since: covarianceStart)
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
        return Estimate(results: results, frameSeconds: frameSeconds, solveSeconds: solveSeconds,
                        covarianceSeconds: covarianceSeconds, absorptionIterations: fit.absorptionIterations,
                        absorptionStage: fit.absorptionStage, solver: fit.method.rawValue)
    }
}
