import Estimation
import Inference

/// Runs a requested bootstrap (`BootstrapRequest`) on a least-squares fit and summarises it per
/// coefficient (`BootstrapSummary`), warning through `warn` where its p-values should not be read
/// at face value (see `BootstrapDiagnostics`).
///
/// It lives beside `BootstrapSummary`, the value it produces; both belong below the reports once
/// the inference core carries bootstrap results (issue 20, point 2).
public struct BootstrapRunner {
    public let request: BootstrapRequest
    public let covariance: CovarianceType
    public let level: Double
    public let threads: Int
    /// Where warnings go (the command line writes them to standard error); also told, before it
    /// starts, of a wild bootstrap expected to take more than a minute.
    public let warn: @Sendable (String) -> Void

    public init(request: BootstrapRequest, covariance: CovarianceType, level: Double, threads: Int, warn: @escaping @Sendable (String) -> Void) {
        self.request = request
        self.covariance = covariance
        self.level = level
        self.threads = threads
        self.warn = warn
    }

    /// The wild bootstrap's settings from the request.
    var wildSettings: WildBootstrapSettings {
        var settings = WildBootstrapSettings(replicates: request.replicates, seed: request.seed, weights: request.weights,
                                             imposeNull: request.imposeNull, pValueType: request.pValueType,
                                             confidenceLevel: level, threads: threads)
        // A run of more than a minute says so, with its expected length, before it starts.
        settings.announce = warn
        return settings
    }

    /// The variable whose clusters the bootstrap resamples or weights.
    func bootstrapCluster() throws -> String {
        guard let cluster = request.cluster ?? covariance.clusterVariables.first else {
            throw EstimationError("--bootstrap needs clusters: use --vcov cluster:VAR or --boot-cluster VAR")
        }
        return cluster
    }

    /// The wild bootstrap test of the requested restriction, if one was given, with its summary.
    public func restrictionSummary(fit: LinearModelFit, frame: ModelFrame?) throws -> (restriction: String, summary: BootstrapSummary)? {
        guard let (restriction, test) = try restrictionTest(fit: fit, frame: frame) else { return nil }
        return (restriction.description, BootstrapSummary(
            method: "wild", weights: request.weights.rawValue, replicates: test.replicates, seed: request.seed,
            imposeNull: request.imposeNull, fullEnumeration: test.fullEnumeration, pValue: test.pValue, standardError: nil,
            confidenceLow: test.confidenceLow, confidenceHigh: test.confidenceHigh,
            cluster: request.cluster ?? covariance.clusterVariables.first ?? ""))
    }

    /// The wild bootstrap test of the requested restriction, if one was given.
    func restrictionTest(fit: LinearModelFit, frame: ModelFrame?) throws -> (LinearRestriction, WildBootstrapResult)? {
        guard let text = request.restriction else { return nil }
        try BootstrapDiagnostics.checkReplicates(request.replicates, level: level)
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

    /// One summary per tested coefficient (every coefficient, or the requested one); none when a
    /// restriction is tested instead.
    public func run(fit: LinearModelFit, frame: ModelFrame?) throws -> [String: BootstrapSummary] {
        guard request.restriction == nil else { return [:] }
        try BootstrapDiagnostics.checkReplicates(request.replicates, level: level)
        let terms = try request.term.map { [fit.coefficientNames[try fit.coefficientIndex($0)]] } ?? fit.coefficientNames
        let cluster = try bootstrapCluster()
        var summaries = [String: BootstrapSummary]()
        var warnings = [String]()
        switch request.method {
        case .wild:
            let covarianceCluster = covariance.clusterVariables.first ?? cluster
            for term in terms {
                let result = try fit.wildBootstrap(frame: frame, term: term, covarianceCluster: covarianceCluster, bootstrapCluster: cluster, settings: wildSettings)
                summaries[term] = BootstrapSummary(method: "wild", weights: request.weights.rawValue, replicates: result.replicates,
                                                   seed: request.seed, imposeNull: request.imposeNull, fullEnumeration: result.fullEnumeration,
                                                   pValue: result.pValue, standardError: nil, confidenceLow: result.confidenceLow,
                                                   confidenceHigh: result.confidenceHigh, cluster: cluster)
                warnings += wildWarnings(result, tested: term, regressors: [term], fit: fit, frame: frame, cluster: cluster) { settings in
                    try fit.wildBootstrap(frame: frame, term: term, covarianceCluster: covarianceCluster, bootstrapCluster: cluster, settings: settings)
                }
            }
        case .pairs:
            guard let frame else { return [:] }
            let rows = try frame.rowsByCluster(cluster)
            let names = fit.coefficientNames
            let engine = PairsClusterBootstrap(replicates: request.replicates, seed: request.seed, threads: threads, confidenceLevel: level)
            let result = try engine.run(clusterCount: rows.count, estimates: fit.coefficients) { draws in
                let sample = try frame.resampled(clusterName: cluster, draws: draws, rowsByCluster: rows)
                let refit = try LinearModel.fit(sample, options: LinearModelOptions(threads: 1))
                guard refit.coefficientNames == names else { throw EstimationError("a coefficient was not identified in this draw") }
                return refit.coefficients
            }
            for term in terms {
                guard let index = names.firstIndex(of: term) else { continue }
                summaries[term] = BootstrapSummary(method: "pairs", weights: nil, replicates: request.replicates, seed: request.seed,
                                                   imposeNull: nil, fullEnumeration: false, pValue: nil,
                                                   standardError: result.standardErrors[index], confidenceLow: result.percentileLow[index],
                                                   confidenceHigh: result.percentileHigh[index], cluster: cluster,
                                                   normalInterval: (result.normalLow[index], result.normalHigh[index]),
                                                   failedReplicates: result.failedReplicates)
            }
            warnings += [BootstrapDiagnostics.fewReplicatesWarning(request.replicates)].compactMap { $0 }
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
            let clusters = fit.clusterVariables.first { $0.name == cluster }?.levelCount ?? 0
            if let warning = BootstrapDiagnostics.enumerationWarning(clusters: clusters, replicates: result.replicates, level: level) {
                warnings.append(warning)
            }
        } else if let warning = BootstrapDiagnostics.fewReplicatesWarning(request.replicates) {
            warnings.append(warning)
        }
        guard let counts = BootstrapDiagnostics.treatedClusters(frame: frame, regressors: regressors, cluster: cluster),
              min(counts.treated, counts.total - counts.treated) < BootstrapDiagnostics.fewTreatedClusters else { return warnings }
        var other = wildSettings
        other.imposeNull.toggle()
        let otherPValue = try? rerun(other).pValue
        let indicators = regressors.filter { BootstrapDiagnostics.treatedClusters(frame: frame, regressors: [$0], cluster: cluster) != nil }
        if let warning = BootstrapDiagnostics.fewTreatedWarning(tested: tested, regressors: indicators, counts: counts, cluster: cluster,
                                                                 imposeNull: request.imposeNull, pValue: result.pValue, otherPValue: otherPValue) {
            warnings.append(warning)
        }
        return warnings
    }
}
