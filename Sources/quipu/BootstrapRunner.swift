import Estimation
import Inference
import Reporting

/// Runs the requested bootstrap on a fit, summarises it per coefficient, and warns on standard
/// error where its p-values should not be read at face value (see `BootstrapDiagnostics`).
struct BootstrapRunner {
    let options: BootstrapOptions
    let covariance: CovarianceType
    let level: Double
    let threads: Int

    /// The wild bootstrap's settings from the command-line options.
    var wildSettings: WildBootstrapSettings {
        var settings = WildBootstrapSettings(replicates: options.reps, seed: options.seed, weights: options.bootWeights,
                                             imposeNull: options.imposeNull, pValueType: options.pValueType,
                                             confidenceLevel: level, threads: threads)
        // A run of more than a minute says so, with its expected length, before it starts.
        settings.announce = { warn($0) }
        return settings
    }

    /// The variable whose clusters the bootstrap resamples or weights.
    func bootstrapCluster() throws -> String {
        guard let cluster = options.bootCluster ?? covariance.clusterVariables.first else {
            throw CommandError("--bootstrap needs clusters: use --vcov cluster:VAR or --boot-cluster VAR")
        }
        return cluster
    }

    /// The wild bootstrap test of the --restriction, if one was given.
    func restrictionTest(fit: LinearModelFit, frame: ModelFrame?) throws -> (LinearRestriction, WildBootstrapResult)? {
        guard let text = options.restriction else { return nil }
        try BootstrapDiagnostics.checkReplicates(options.reps, level: level)
        let restriction = try LinearRestriction(parsing: text)
        let cluster = try bootstrapCluster()
        let covarianceCluster = covariance.clusterVariables.first ?? cluster
        let result = try fit.wildBootstrap(frame: frame, restriction: restriction, covarianceCluster: covarianceCluster,
                                           bootstrapCluster: cluster, settings: wildSettings)
        let tested = restriction.weights.filter { $0.weight != 0 }.map { $0.term }
        let warnings = wildWarnings(result, tested: restriction.description, regressors: tested, fit: fit, frame: frame, cluster: cluster) { settings in
            try fit.wildBootstrap(frame: frame, restriction: restriction, covarianceCluster: covarianceCluster,
                                  bootstrapCluster: cluster, settings: settings)
        }
        for warning in warnings { warn(warning) }
        return (restriction, result)
    }

    func run(fit: LinearModelFit, frame: ModelFrame?) throws -> [String: BootstrapSummary] {
        guard options.restriction == nil else { return [:] }
        try BootstrapDiagnostics.checkReplicates(options.reps, level: level)
        let terms = try options.param.map { [fit.coefficientNames[try fit.coefficientIndex($0)]] } ?? fit.coefficientNames
        let cluster = try bootstrapCluster()
        var summaries = [String: BootstrapSummary]()
        var warnings = [String]()
        switch options.bootstrap {
        case .wild?:
            let covarianceCluster = covariance.clusterVariables.first ?? cluster
            for term in terms {
                let result = try fit.wildBootstrap(frame: frame, term: term, covarianceCluster: covarianceCluster, bootstrapCluster: cluster, settings: wildSettings)
                summaries[term] = BootstrapSummary(method: "wild", weights: options.bootWeights.rawValue, replicates: result.replicates,
                                                   seed: options.seed, imposeNull: options.imposeNull, fullEnumeration: result.fullEnumeration,
                                                   pValue: result.pValue, standardError: nil, confidenceLow: result.confidenceLow,
                                                   confidenceHigh: result.confidenceHigh, cluster: cluster)
                warnings += wildWarnings(result, tested: term, regressors: [term], fit: fit, frame: frame, cluster: cluster) { settings in
                    try fit.wildBootstrap(frame: frame, term: term, covarianceCluster: covarianceCluster, bootstrapCluster: cluster, settings: settings)
                }
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
            warnings += [BootstrapDiagnostics.fewReplicatesWarning(options.reps)].compactMap { $0 }
        case nil:
            break
        }
        // Each warning once, in the order found (the replicate warning is the same for every term).
        var shown = Set<String>()
        for warning in warnings where shown.insert(warning).inserted { warn(warning) }
        return summaries
    }

    /// The warnings on one wild bootstrap test: too few replicates, an enumeration too small for
    /// the level, and few treated clusters, where `rerun` runs the other variant (WCU beside WCR,
    /// or WCR beside WCU) so that both p-values can be shown.
    func wildWarnings(_ result: WildBootstrapResult, tested: String, regressors: [String], fit: LinearModelFit, frame: ModelFrame?,
                      cluster: String, rerun: (WildBootstrapSettings) throws -> WildBootstrapResult) -> [String] {
        var warnings = [String]()
        if result.fullEnumeration {
            let clusters = fit.clusterVariables.first { $0.name == cluster }?.count ?? 0
            if let warning = BootstrapDiagnostics.enumerationWarning(clusters: clusters, replicates: result.replicates, level: level) {
                warnings.append(warning)
            }
        } else if let warning = BootstrapDiagnostics.fewReplicatesWarning(options.reps) {
            warnings.append(warning)
        }
        guard let counts = BootstrapDiagnostics.treatedClusters(frame: frame, regressors: regressors, cluster: cluster),
              min(counts.treated, counts.total - counts.treated) < BootstrapDiagnostics.fewTreatedClusters else { return warnings }
        var other = wildSettings
        other.imposeNull.toggle()
        let otherPValue = try? rerun(other).pValue
        let indicators = regressors.filter { BootstrapDiagnostics.treatedClusters(frame: frame, regressors: [$0], cluster: cluster) != nil }
        if let warning = BootstrapDiagnostics.fewTreatedWarning(tested: tested, regressors: indicators, counts: counts, cluster: cluster,
                                                                 imposeNull: options.imposeNull, pValue: result.pValue, otherPValue: otherPValue) {
            warnings.append(warning)
        }
        return warnings
    }
}
