import LinearAlgebra

// Covariance estimators from sums gathered across partitions (`quipu combine`, docs/scaling.md
// section 5): the same estimators, small-sample factors and undefined-estimate checks as
// `CovarianceEstimator` on the rows, fed with the only N-sized quantities they need, already
// summed where the rows are: the residual sum of squares (iid), the meat Σ sᵢsᵢᵀ (hetero) and
// the per-cluster score sums s_g = Σ_{i∈g} x̃ᵢûᵢ (CRV1). The sandwich is formed from the bread
// directly (`Matrix.sandwich`) rather than through the column-scaled factor, which needs the rows.

/// What a fit whose rows stayed in their partitions hands to a covariance estimator.
public struct CombinedCovarianceInput: Sendable {
    /// (X̃ᵀWX̃)⁻¹ for the estimated coefficients.
    public let bread: Matrix
    /// N, summed over the partitions.
    public let observationCount: Int
    /// K: slopes plus non-redundant fixed-effect coefficients, from the whole data.
    public let parameterCount: Int
    /// Σ w û², summed over the partitions.
    public let residualSumOfSquares: Double

    public init(bread: Matrix, observationCount: Int, parameterCount: Int, residualSumOfSquares: Double) {
        self.bread = bread
        self.observationCount = observationCount
        self.parameterCount = parameterCount
        self.residualSumOfSquares = residualSumOfSquares
    }
}

extension CovarianceEstimator {
    /// s²(X̃ᵀX̃)⁻¹ with s² = SSR/(N − K), as `iid(_:)`.
    public func iid(_ input: CombinedCovarianceInput) -> CovarianceEstimate {
        let residualDegrees = input.observationCount - input.parameterCount
        let variance = residualDegrees > 0 ? input.residualSumOfSquares / Double(residualDegrees) : .nan
        return checked(CovarianceEstimate(type: .iid, matrix: variance * input.bread, degreesOfFreedom: Double(residualDegrees),
                                          clusterCounts: [], notes: []), input: input)
    }

    /// HC1 from the summed meat Σ (√wᵢ x̃ᵢ)(√wᵢ x̃ᵢ)ᵀ wᵢûᵢ², as `hetero(_:)`.
    public func hetero(_ input: CombinedCovarianceInput, meat: Matrix) throws(LinearAlgebraError) -> CovarianceEstimate {
        let degrees = Double(input.observationCount - input.parameterCount)
        guard input.bread.columns > 0 else {
            return checked(CovarianceEstimate(type: .hetero, matrix: input.bread, degreesOfFreedom: degrees, clusterCounts: [], notes: []), input: input)
        }
        let factor = correction.heteroFactor(observations: input.observationCount, parameters: input.parameterCount)
        let matrix = factor * (try Matrix.sandwich(bread: input.bread, meat: meat))
        return checked(CovarianceEstimate(type: .hetero, matrix: matrix, degreesOfFreedom: degrees, clusterCounts: [], notes: []), input: input)
    }

    /// One-way CRV1 from the per-cluster score sums (G × k, each cluster's scores summed over every
    /// partition it has rows in), as `clustered(_:clusters:parameterCount:)` with one cluster variable.
    /// `parameterCount` is K for the (N − 1)/(N − K) factor, nested fixed effects already left out.
    public func clustered(_ input: CombinedCovarianceInput, cluster name: String, scoreSums: Matrix, parameterCount: Int)
        throws(LinearAlgebraError) -> CovarianceEstimate
    {
        let clusters = scoreSums.rows
        let type = CovarianceType.cluster([name])
        let degrees = FewClusters.degreesOfFreedom(clusters: clusters)
        guard input.bread.columns > 0 else {
            return checked(CovarianceEstimate(type: type, matrix: input.bread, degreesOfFreedom: degrees, clusterCounts: [clusters], notes: []),
                           input: input)
        }
        let factor = correction.parameterFactor(observations: input.observationCount, parameters: parameterCount)
            * correction.clusterFactor(clusters: clusters)
        let matrix = factor * (try Matrix.sandwich(bread: input.bread, meat: scoreSums.crossProduct()))
        return checked(CovarianceEstimate(type: type, matrix: matrix, degreesOfFreedom: degrees, clusterCounts: [clusters], notes: []),
                       input: input)
    }

    private func checked(_ estimate: CovarianceEstimate, input: CombinedCovarianceInput) -> CovarianceEstimate {
        Self.checked(estimate, observationCount: input.observationCount, parameterCount: input.parameterCount,
                     residualSumOfSquares: input.residualSumOfSquares, bread: input.bread)
    }
}
