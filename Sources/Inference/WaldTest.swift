/// A regression's joint Wald F test that some coefficients are all zero: the F view of
/// `EstimateInference.waldTest` (WaldTestResult, where the test is computed) for callers that read
/// the denominator degrees of freedom as a number and treat a block without rank as an error (a
/// rank-deficient one is tested on its rank, with the result's note saying so).
public struct WaldTest: Sendable {
    /// The test.
    public let result: WaldTestResult
    /// The denominator degrees of freedom: the covariance estimate's.
    public let denominatorDegrees: Double

    /// Tests that `coefficients[indices]` are jointly zero under covariance `covariance`.
    public init(coefficients: [Double], covariance: CovarianceEstimate, indices: [Int]) throws(CovarianceError) {
        let test = EstimateInference(estimates: coefficients, covariance: covariance).waldTest(indices: indices)
        switch test.undefined {
        case .noEstimates?: throw CovarianceError(message: "the Wald test needs at least one coefficient")
        case .singular(let detail)?:
            throw CovarianceError(message: "the covariance of the tested coefficients has no rank; the Wald test is undefined (\(detail))")
        default: break
        }
        self.result = test
        self.denominatorDegrees = covariance.degreesOfFreedom
    }

    /// The F statistic.
    public var statistic: Double { result.statistic }
    /// Numerator degrees of freedom q.
    public var numeratorDegrees: Int { result.numeratorDegrees }
    /// P(F ≥ statistic).
    public var pValue: Double { result.pValue }
    /// Why the test is undefined (NaN statistic), when a rule rather than the covariance says so.
    public var undefinedReason: String? { result.ruleReason }
}
