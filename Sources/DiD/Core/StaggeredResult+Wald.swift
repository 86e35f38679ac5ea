import Inference

extension StaggeredResult {
    /// The joint Wald test that the estimates at `indices` are all zero, from the joint covariance
    /// (EstimateInference.waldTest): F(q, df) when the result has t-based degrees of freedom (as a
    /// regression's G − 1), χ²(q) otherwise (influence-function inference), with q the rank of the
    /// covariance block and a note when that is below the number of estimates; without a statistic
    /// and with a note saying why when the cluster count rules it out or the covariance block is
    /// undefined or of rank zero, so that a test is never dropped silently; nil only when there is
    /// nothing to test or the tested estimates come from separate regressions (mixed distributions).
    public func waldTest(indices: [Int], description: String) -> WaldTestResult? {
        let test = estimateInference.waldTest(indices: indices)
        switch test.undefined {
        case nil: return test.described(description + (test.denominatorDegrees == nil ? " (Wald χ²)" : " (Wald F)"))
        case .tooFewClusters(let reason)?: return test.described(description + " (undefined: \(reason))")
        case .singular(let detail)?:
            return test.described(description).noted("no statistic: the covariance of the \(indices.count) tested estimates cannot be inverted (\(detail))")
        case .covariance(let reason)?:
            return test.described(description).noted("no statistic: " + (reason ?? "the covariance of the tested estimates has undefined (NA) entries"))
        case .noEstimates?, .mixedDistributions?: return nil
        }
    }
}
