import Inference

/// The covariance step every fit shares (least squares, Poisson): the requested cluster variables
/// looked up among those carried into the fit, K for clustered estimators, and LAPACK failures as
/// estimation errors. Only the iid estimator differs between fits (s²(X̃ᵀX̃)⁻¹ or the inverse Hessian).
enum FittedCovariance {
    /// What a fit hands over for its covariance.
    struct Fit {
        let input: CovarianceInput
        let clusterVariables: [ClusterVariable]
        let fixedEffects: [Factor]
        let coefficientCount: Int
        let redundantFixedEffects: Int
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
            guard cluster.count >= 2 else {
                throw EstimationError("cluster variable '\(name)' has only \(cluster.count) cluster in the estimation sample; clustering needs at least 2")
            }
            clusters.append(cluster)
        }
        return clusters
    }

    /// K for clustered estimators: a fixed effect nested in a cluster variable counts as one
    /// parameter, not its levels (fixest's and pyfixest's `fixef.K = "nonnested"` default), since
    /// its coefficients are differenced out within clusters; redundant levels beyond the #FE − 1
    /// of a connected graph (disconnected components) are left out.
    static func parameterCount(of fit: Fit, nestedIn clusters: [ClusterVariable]) -> Int {
        guard !fit.fixedEffects.isEmpty else { return fit.input.parameterCount }
        let clusterFactors = clusters.map { Factor(name: $0.name, denseCodes: $0.codes, levelCount: $0.count) }
        var count = fit.coefficientCount - (fit.fixedEffects.count - 1)
        for factor in fit.fixedEffects {
            count += clusterFactors.contains(where: { factor.isNested(in: $0) }) ? 1 : factor.levelCount
        }
        return count - max(fit.redundantFixedEffects - (fit.fixedEffects.count - 1), 0)
    }
}
