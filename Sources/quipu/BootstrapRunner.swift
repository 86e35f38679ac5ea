import Estimation
import Inference
import Reporting

/// Runs the requested bootstrap on a fit and summarises it per coefficient.
struct BootstrapRunner {
    let options: BootstrapOptions
    let covariance: CovarianceType
    let level: Double
    let threads: Int

    /// The wild bootstrap's settings from the command-line options.
    var wildSettings: WildBootstrapSettings {
        WildBootstrapSettings(replicates: options.reps, seed: options.seed, weights: options.bootWeights,
                              imposeNull: options.imposeNull, pValueType: options.pValueType,
                              confidenceLevel: level, threads: threads)
    }

    /// The wild bootstrap test of the --restriction, if one was given.
    func restrictionTest(fit: LinearModelFit, frame: ModelFrame?) throws -> (LinearRestriction, WildBootstrapResult)? {
        guard let text = options.restriction else { return nil }
        let restriction = try LinearRestriction(parsing: text)
        guard let cluster = options.bootCluster ?? covariance.clusterVariables.first else {
            throw CommandError("--bootstrap needs clusters: use --vcov cluster:VAR or --boot-cluster VAR")
        }
        let result = try fit.wildBootstrap(frame: frame, restriction: restriction, covarianceCluster: covariance.clusterVariables.first ?? cluster,
                                           bootstrapCluster: cluster, settings: wildSettings)
        return (restriction, result)
    }

    func run(fit: LinearModelFit, frame: ModelFrame?) throws -> [String: BootstrapSummary] {
        guard options.restriction == nil else { return [:] }
        let terms = try options.param.map { [fit.coefficientNames[try fit.coefficientIndex($0)]] } ?? fit.coefficientNames
        guard let cluster = options.bootCluster ?? covariance.clusterVariables.first else {
            throw CommandError("--bootstrap needs clusters: use --vcov cluster:VAR or --boot-cluster VAR")
        }
        var summaries = [String: BootstrapSummary]()
        switch options.bootstrap {
        case .wild?:
            let covarianceCluster = covariance.clusterVariables.first ?? cluster
            for term in terms {
                let result = try fit.wildBootstrap(frame: frame, term: term, covarianceCluster: covarianceCluster, bootstrapCluster: cluster, settings: wildSettings)
                summaries[term] = BootstrapSummary(method: "wild", weights: options.bootWeights.rawValue, replicates: result.replicates,
                                                   seed: options.seed, imposeNull: options.imposeNull, fullEnumeration: result.fullEnumeration,
                                                   pValue: result.pValue, standardError: nil, confidenceLow: result.confidenceLow,
                                                   confidenceHigh: result.confidenceHigh, cluster: cluster)
            }
        case .pairs?:
            guard let frame else { return [:] }
            let rows = try frame.rowsByCluster(cluster)
            let names = fit.coefficientNames
            let engine = PairsClusterBootstrap(replicates: options.reps, seed: options.seed, threads: threads, confidenceLevel: level)
            let result = try engine.run(clusterCount: rows.count, estimates: fit.coefficients) { draws in
                let sample = try frame.resampled(clusterName: cluster, draws: draws, rowsByCluster: rows)
                let refit = try LinearModel.fit(sample, options: LinearModelOptions(threads: 1))
                guard refit.coefficientNames == names else { throw EstimationError("a coefficient was not identified in this draw") }
                return refit.coefficients
            }
            for term in terms {
                guard let index = names.firstIndex(of: term) else { continue }
                summaries[term] = BootstrapSummary(method: "pairs", weights: nil, replicates: options.reps, seed: options.seed,
                                                   imposeNull: nil, fullEnumeration: false, pValue: nil,
                                                   standardError: result.standardErrors[index], confidenceLow: result.percentileLow[index],
                                                   confidenceHigh: result.percentileHigh[index], cluster: cluster,
                                                   normalInterval: (result.normalLow[index], result.normalHigh[index]),
                                                   failedReplicates: result.failedReplicates)
            }
        case nil:
            break
        }
        return summaries
    }
}
