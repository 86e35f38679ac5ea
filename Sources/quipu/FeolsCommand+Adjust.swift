import Estimation
import Inference
import Reporting

/// The wild cluster bootstrap behind `feols --adjust romano-wolf,westfall-young`.
///
/// Every model of the family runs the same bootstrap: the same seed, replicates and weights on
/// the same clusters, so replicate b's weights (drawn from RandomStream(seed, b) per cluster) are
/// the same in every model, and the models' statistics in replicate b are one joint draw, as
/// pyfixest's `rwolf` resets its seed for each model. Rows must match across models for that to
/// hold; `ModelList.adjustedPValues` checks it.
extension FeolsCommand {
    /// The settings of the family's wild bootstrap (WCR by default, symmetric: Romano–Wolf compares |t|).
    var familySettings: WildBootstrapSettings {
        var settings = WildBootstrapSettings(replicates: resampling.reps, seed: resampling.seed, weights: resampling.bootWeights,
                                             imposeNull: resampling.imposeNull, pValueType: .symmetric, confidenceLevel: level,
                                             threads: execution.threads)
        settings.announce = warn
        return settings
    }

    var familyBootstrapDescription: String? {
        guard testing.adjust?.needsBootstrap == true else { return nil }
        let cluster = resampling.bootCluster ?? vcov.clusterVariables.first ?? ""
        return "wild cluster bootstrap by \(cluster), \(resampling.bootWeights.rawValue) weights, \(resampling.imposeNull ? "null imposed (WCR)" : "null not imposed (WCU)"), \(resampling.reps) replicates (all sign vectors when fewer clusters), seed \(resampling.seed), the same draws for every model"
    }

    /// The family's coefficients bootstrapped in this model, when Romano–Wolf or Westfall–Young
    /// are asked for; nil otherwise.
    func familyBootstrap(fit: LinearModelFit, frame: ModelFrame?, covariance: CovarianceType) throws -> FamilyBootstrap? {
        guard testing.adjust?.needsBootstrap == true else { return nil }
        guard let cluster = resampling.bootCluster ?? covariance.clusterVariables.first else {
            throw CommandError("romano-wolf and westfall-young run a wild cluster bootstrap: give clusters with --vcov cluster:VAR or --boot-cluster VAR")
        }
        let covarianceCluster = covariance.clusterVariables.first ?? cluster
        let terms = testing.term.map { term in fit.coefficientNames.contains(term) ? [term] : [] } ?? fit.coefficientNames.filter { $0 != "(Intercept)" }
        var statistics = [String: (sample: Double, replicates: [Double])]()
        for term in terms {
            let result = try fit.wildBootstrap(frame: frame, term: term, covarianceCluster: covarianceCluster, bootstrapCluster: cluster,
                                               settings: familySettings)
            statistics[term] = (result.statistic, result.bootstrapStatistics)
        }
        let codes = fit.clusterVariables.first { $0.name == cluster }?.codes ?? []
        return FamilyBootstrap(clusterCodes: codes, statistics: statistics)
    }
}
