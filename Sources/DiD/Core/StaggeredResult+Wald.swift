import Inference

extension StaggeredResult {
    /// The joint Wald test that the estimates at `indices` are all zero, from the joint covariance
    /// (EstimateInference.waldTest): F(q, df) when the result has t-based degrees of freedom (as a
    /// regression's G − 1), χ²(q) otherwise (influence-function inference); undefined, with the
    /// reason, when the cluster count rules it out; nil when there is nothing to test, the tested
    /// estimates come from separate regressions (mixed distributions), or the
    /// covariance block is undefined or singular.
    public func waldTest(indices: [Int], description: String) -> WaldTestResult? {
        let test = estimateInference.waldTest(indices: indices)
        switch test.undefined {
        case nil: return test.described(description + (test.denominatorDegrees == nil ? " (Wald χ²)" : " (Wald F)"))
        case .tooFewClusters(let reason)?: return test.described(description + " (undefined: \(reason))")
        case .noEstimates?, .covariance?, .singular?, .mixedDistributions?: return nil
        }
    }
}
