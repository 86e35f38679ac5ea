import Inference

/// The covariance step every fit shares (least squares, Poisson): the requested cluster variables
/// looked up among those carried into the fit, K for clustered estimators, and LAPACK failures as
/// estimation errors. Only the iid estimator differs between fits (s²(X̃ᵀX̃)⁻¹ or the inverse Hessian).
public enum FittedCovariance {
    /// What a fit hands over for its covariance.
    struct Fit {
        let input: CovarianceInput
        let clusterVariables: [ClusterVariable]
        let fixedEffects: [Factor]
        let coefficientCount: Int
    }

    /// The covariance of `type`, with `iid` the fit's own homoskedastic estimator.
    static func estimate(_ type: CovarianceType, of fit: Fit, correction: SmallSampleCorrection,
                         iid: (CovarianceEstimator, CovarianceInput) -> CovarianceEstimate) throws(EstimationError) -> CovarianceEstimate {
        let estimator = CovarianceEstimator(correction: correction)
        do {
            switch type {
            case .iid:
                return iid(estimator, fit.input)
            case .hetero:
                return try estimator.hetero(fit.input)
            case let .cluster(names):
                let clusters = try selectedClusters(names, from: fit.clusterVariables)
                return try estimator.clustered(fit.input, clusters: clusters, parameterCount: parameterCount(of: fit, nestedIn: clusters))
            }
        } catch let error as EstimationError {
            throw error
        } catch {
            throw EstimationError("covariance could not be computed: \(error)")
        }
    }

    /// The named cluster variables, each with at least two clusters.
    static func selectedClusters(_ names: [String], from carried: [ClusterVariable]) throws(EstimationError) -> [ClusterVariable] {
        var clusters = [ClusterVariable]()
        for name in names {
            guard let cluster = carried.first(where: { $0.name == name }) else {
                throw EstimationError("cluster variable '\(name)' was not carried into the fit")
            }
            guard cluster.levelCount >= 2 else {
                throw EstimationError("cluster variable '\(name)' has only \(cluster.levelCount) cluster in the estimation sample; clustering needs at least 2")
            }
            clusters.append(cluster)
        }
        return clusters
    }

    /// K for clustered estimators, fixest's `ssc(fixef.K = "nested")` (pyfixest's "nonnested"):
    /// fixed effects nested in a cluster variable are differenced out within the clusters, so they
    /// add no parameter but the one intercept they share (fixest R/VCOV.R: K − Σ nested (levels − 1),
    /// the coefficients + 1 when every fixed effect is nested, never below the coefficients + 1).
    /// The others count their levels less the redundant ones *among themselves*: the redundancy of
    /// the whole set is not subtracted again, since the nested levels it involves are already out
    /// (subtracting both made K fall below the coefficients). K is then the coefficients plus the
    /// rank of [1, dummies of the non-nested effects]: exact for two non-nested effects, the first
    /// two's connected components plus one per further effect for three or more
    /// (`FixedEffectRedundancy`), which equals fixest's Σ levels − (#non-nested − 1) on a connected
    /// graph. Without a nested fixed effect it is the fit's own K.
    static func parameterCount(of fit: Fit, nestedIn clusters: [ClusterVariable]) -> Int {
        guard !fit.fixedEffects.isEmpty else { return fit.input.parameterCount }
        guard fit.fixedEffects.contains(where: { factor in clusters.contains(where: { factor.isNested(in: $0) }) }) else {
            return fit.input.parameterCount
        }
        return nestedParameterCount(coefficientCount: fit.coefficientCount, fixedEffects: fit.fixedEffects, clusters: clusters)
    }

    /// K under fixest's `fixef.K = "nested"` rule (see `parameterCount(of:nestedIn:)`) for
    /// `coefficientCount` coefficients besides the fixed effects, shared with estimators that
    /// solve their own fixed-effect regressions (the imputation estimator's pre-trend test).
    public static func nestedParameterCount(coefficientCount: Int, fixedEffects: [Factor], clusters: [Factor]) -> Int {
        let notNested = fixedEffects.filter { factor in !clusters.contains(where: { factor.isNested(in: $0) }) }
        let levels = notNested.reduce(0) { $0 + $1.levelCount }
        let absorbed = notNested.isEmpty ? 1 : levels - FixedEffectRedundancy.redundantCount(notNested)
        return coefficientCount + max(absorbed, 1)
    }
}
