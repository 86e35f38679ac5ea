import LinearAlgebra

extension EstimateInference {
    /// The joint Wald test that the estimates at `indices` are all zero (WaldTestResult), from the
    /// joint covariance whatever the standard errors came from: F(q, df) when tested against t,
    /// χ²(q) against the normal. Undefined, with the reason, rather than a number from rounding:
    /// without a covariance, with more restrictions than clusters allow (FewClusters, checked
    /// first because it is a rule, not the numbers), with a covariance block of rank zero, or across
    /// estimates tested against different distributions (separate regressions: no joint F). A
    /// singular or ill-conditioned block is tested through its generalized inverse with its rank as
    /// the degrees of freedom (WaldQuadraticForm), and the result's `note` says so.
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
        // A singular or ill-conditioned block: its generalized inverse with the rank as the df
        // (WaldQuadraticForm), said in the result's note; no rank at all: no statistic.
        let form: WaldQuadraticForm
        do { form = try WaldQuadraticForm(estimates: indices.map { estimates[$0] }, covariance: block) } catch { return undefined(.singular("\(error)")) }
        guard form.rank > 0 else { return undefined(.singular("the covariance of the tested estimates is zero")) }
        let quadratic = form.value
        guard quadratic.isFinite else { return undefined(.covariance(nil)) }
        let df = form.rank
        let note = form.isRankDeficient ? form.rankNote : nil
        switch tested {
        case .studentT(let degrees):
            let statistic = quadratic / Double(df)
            return WaldTestResult(statistic: statistic, numeratorDegrees: df, denominatorDegrees: degrees,
                                  pValue: FDistribution(numerator: Double(df), denominator: degrees).survival(statistic), note: note)
        case .standardNormal:
            return WaldTestResult(statistic: quadratic, numeratorDegrees: df, denominatorDegrees: nil,
                                  pValue: ChiSquared(degreesOfFreedom: Double(df)).survival(quadratic), note: note)
        }
    }
}
