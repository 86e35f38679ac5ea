import Inference
import LinearAlgebra

extension StaggeredResult {
    /// The joint Wald test that the estimates at `indices` are all zero, from the joint covariance:
    /// F(q, df) when the result has t-based degrees of freedom (as a regression's G − 1), χ²(q)
    /// otherwise (influence-function inference); nil when the covariance block is singular.
    public func waldTest(indices: [Int], description: String) -> StaggeredPretrendTest? {
        guard !indices.isEmpty else { return nil }
        if let clusters = clusterCount,
           let reason = FewClusters.jointTestUndefinedReason(restrictions: indices.count, clusters: clusters) {
            return StaggeredPretrendTest(statistic: .nan, numeratorDegrees: indices.count, denominatorDegrees: degreesOfFreedom,
                                         pValue: .nan, description: description + " (undefined: \(reason))")
        }
        let block = covariance.selecting(rows: indices, columns: indices)
        guard let inverse = try? block.symmetricPositiveDefiniteInverse() else { return nil }
        var quadratic = 0.0
        for (a, i) in indices.enumerated() {
            for (b, j) in indices.enumerated() { quadratic += estimates[i].estimate * inverse[a, b] * estimates[j].estimate }
        }
        guard quadratic.isFinite else { return nil }
        let q = indices.count
        if let degreesOfFreedom {
            let statistic = quadratic / Double(q)
            return StaggeredPretrendTest(statistic: statistic, numeratorDegrees: q, denominatorDegrees: degreesOfFreedom,
                                         pValue: FDistribution(numerator: Double(q), denominator: degreesOfFreedom).survival(statistic),
                                         description: description + " (Wald F)")
        }
        return StaggeredPretrendTest(statistic: quadratic, numeratorDegrees: q, denominatorDegrees: nil,
                                     pValue: ChiSquared(degreesOfFreedom: Double(q)).survival(quadratic),
                                     description: description + " (Wald χ²)")
    }
}
