import LinearAlgebra

extension EstimateInference {
    /// The joint Wald test that the estimates at `indices` are all zero (WaldTestResult), from the
    /// joint covariance whatever the standard errors came from: F(q, df) when tested against t,
    /// χ²(q) against the normal. Undefined, with the reason, rather than a number from rounding:
    /// without a covariance, with more restrictions than clusters allow (FewClusters, checked
    /// first because it is a rule, not the numbers), with a singular covariance block, or across
    /// estimates tested against different distributions (separate regressions: no joint F).
    public func waldTest(indices: [Int]) -> WaldTestResult {
        let q = indices.count
        // The tested estimates' own distribution (one regression's t), the set's when they differ.
        let tested = indices.first.map { distributions[$0] } ?? distribution
        func undefined(_ reason: WaldTestResult.Undefined) -> WaldTestResult {
            WaldTestResult(statistic: .nan, numeratorDegrees: q, denominatorDegrees: tested.degreesOfFreedom,
                           pValue: .nan, undefined: reason)
        }
        guard !indices.isEmpty else { return undefined(.noEstimates) }
        guard indices.allSatisfy({ distributions[$0] == tested }) else { return undefined(.mixedDistributions) }
        if let undefinedReason { return undefined(.covariance(undefinedReason)) }
        if let clusterCount, let reason = FewClusters.jointTestUndefinedReason(restrictions: q, clusters: clusterCount) {
            return undefined(.tooFewClusters(reason))
        }
        let block = covariance.selecting(rows: indices, columns: indices)
        guard !block.values.contains(where: \.isNaN) else { return undefined(.covariance(nil)) }
        let inverse: Matrix
        do { inverse = try block.symmetricPositiveDefiniteInverse() } catch { return undefined(.singular("\(error)")) }
        var quadratic = 0.0
        for (a, i) in indices.enumerated() {
            for (b, j) in indices.enumerated() { quadratic += estimates[i] * inverse[a, b] * estimates[j] }
        }
        guard quadratic.isFinite else { return undefined(.covariance(nil)) }
        switch tested {
        case .studentT(let degrees):
            let statistic = quadratic / Double(q)
            return WaldTestResult(statistic: statistic, numeratorDegrees: q, denominatorDegrees: degrees,
                                  pValue: FDistribution(numerator: Double(q), denominator: degrees).survival(statistic))
        case .standardNormal:
            return WaldTestResult(statistic: quadratic, numeratorDegrees: q, denominatorDegrees: nil,
                                  pValue: ChiSquared(degreesOfFreedom: Double(q)).survival(quadratic))
        }
    }
}
