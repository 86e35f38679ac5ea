// The one inference core: a set of estimates with their joint covariance (or bootstrap draws), the
// distribution they are tested against and how their standard errors were obtained. Every figure
// a table or report states about them (standard error, statistic, p-value, interval, uniform band,
// linear combination, joint Wald test) is derived here and nowhere else.
//
// Goals, in order:
// 1. One definition of each figure, so that feols's, fepois's and did's tables cannot drift apart
//    (linearmodels' `panel/results.py` derives std_errors, tstats, pvalues and conf_int once from
//    `cov` and `df_resid`; pyfixest fixes the inference distribution, t or normal, once per model).
// 2. Immutable: a bootstrap returns a new value beside the analytic one (`withBootstrap`), so a
//    result cannot state an analytic standard error for one figure and a bootstrap one for the next.
// 3. Undefined stays undefined: NaN (NA in reports) wherever the covariance is, never a number
//    made up from rounding (a zero standard error of an exact fit is the covariance's, kept as such).

import LinearAlgebra

/// How the standard errors of an `EstimateInference` were obtained.
public enum InferenceMethod: Sendable {
    /// From the covariance matrix (sandwich, influence functions, delta method).
    case analytic
    /// From the draws of a bootstrap (Callaway & Sant'Anna's multiplier bootstrap).
    case bootstrap(BootstrapDraws)
}

/// One estimate with everything derived from it: standard error, test statistic against zero,
/// two-sided p-value and interval (NaN where the standard error is undefined).
public struct InferenceRow: Sendable {
    public let estimate: Double
    public let standardError: Double
    public let statistic: Double
    public let pValue: Double
    public let low: Double
    public let high: Double

    /// The row of `estimate` with `standardError` against `distribution`, whose two-sided critical
    /// value at the interval's level is `criticalValue`.
    public init(estimate: Double, standardError: Double, distribution: ReferenceDistribution, criticalValue: Double) {
        let statistic = estimate / standardError
        self.estimate = estimate
        self.standardError = standardError
        self.statistic = statistic
        self.pValue = distribution.twoSidedPValue(statistic)
        self.low = estimate - criticalValue * standardError
        self.high = estimate + criticalValue * standardError
    }
}

/// A set of estimates with their joint inference. See the file's opening comment.
public struct EstimateInference: Sendable {
    public let estimates: [Double]
    /// Joint covariance of `estimates` (J × J); NaN where unknown.
    public let covariance: Matrix
    /// What tests and intervals are computed against: the model's choice (pyfixest's one inference
    /// distribution per fit).
    public let distribution: ReferenceDistribution
    /// Each estimate's reference distribution: `distribution`, except where one set gathers
    /// estimates of separate regressions (TWFE's coefficient and its event study), where each keeps
    /// its own regression's t, as fixest prints each regression.
    public let distributions: [ReferenceDistribution]
    /// Analytic, or bootstrap with its draws.
    public let method: InferenceMethod
    /// The standard errors every figure uses: the covariance's (analytic) or the draws' (bootstrap);
    /// NaN where undefined.
    public let standardErrors: [Double]
    /// Clusters of the covariance (the smallest count when several), for the rule that a joint test
    /// needs more clusters than restrictions (FewClusters); nil when not clustered.
    public let clusterCount: Int?
    /// Why the whole covariance is undefined (no residual degrees of freedom), or nil.
    public let undefinedReason: String?

    /// The standard error of a variance: its square root; 0 for 0 (an exact fit, as R's `lm`
    /// states it) and for rounding below zero; NaN for NaN.
    public static func standardError(ofVariance variance: Double) -> Double {
        variance > 0 ? variance.squareRoot() : (variance.isNaN ? .nan : 0)
    }

    /// The same inference with the standard errors of the estimates `where` accepts undefined
    /// (NaN), and with them every test and interval of those estimates: an estimator's rule, such
    /// as Callaway–Sant'Anna's for a standard error at rounding level (a normalised reference cell).
    public func undefiningStandardErrors(where isUndefined: (_ estimate: Double, _ standardError: Double) -> Bool) -> EstimateInference {
        let errors = standardErrors.indices.map { isUndefined(estimates[$0], standardErrors[$0]) ? .nan : standardErrors[$0] }
        return EstimateInference(estimates: estimates, covariance: covariance, distribution: distribution,
                                 distributions: distributions, method: method, standardErrors: errors, clusterCount: clusterCount, undefinedReason: undefinedReason)
    }

    /// The same estimates with bootstrap inference: standard errors from `draws` (row-major,
    /// `count` replicates × estimates) by their interquartile range (R did's `mboot`), where the
    /// analytic standard error is defined; a bootstrap does not give a figure to what the analytic
    /// inference found undefined. This value is left as it was.
    public func withBootstrap(replicates draws: [Double], count: Int) -> EstimateInference {
        let bootstrap = BootstrapDraws(values: draws, count: count, width: estimates.count)
        let errors = standardErrors.indices.map { j in
            standardErrors[j].isFinite ? MultiplierBootstrap.standardError(ofReplicates: bootstrap.column(j)) : standardErrors[j]
        }
        return EstimateInference(estimates: estimates, covariance: covariance, distribution: distribution,
                                 distributions: distributions, method: .bootstrap(bootstrap), standardErrors: errors, clusterCount: clusterCount, undefinedReason: undefinedReason)
    }

    /// The bootstrap draws, when the standard errors came from them.
    public var bootstrapDraws: BootstrapDraws? {
        if case .bootstrap(let draws) = method { return draws }
        return nil
    }

    /// Every estimate with its standard error, statistic, p-value and interval at `level`.
    /// Each estimate is tested against its own distribution (`distributions`).
    public func rows(level: Double) -> [InferenceRow] {
        var criticalValues = [ReferenceDistribution: Double]()
        return estimates.indices.map { j in
            let reference = distributions[j]
            let critical = criticalValues[reference] ?? reference.criticalValue(level: level)
            criticalValues[reference] = critical
            return InferenceRow(estimate: estimates[j], standardError: standardErrors[j], distribution: reference, criticalValue: critical)
        }
    }

    /// The critical value of a uniform (sup-t) band at `level` over the estimates `family`, from
    /// the bootstrap draws and the standard errors they gave (BootstrapDraws.supTCriticalValue).
    /// Nil without bootstrap draws or estimates.
    public func uniformCriticalValue(over family: [Int], level: Double) -> Double? {
        guard let draws = bootstrapDraws, !family.isEmpty else { return nil }
        return draws.supTCriticalValue(over: family, standardErrors: standardErrors, level: level)
    }
}

// The initializers live in an extension so that the struct keeps its memberwise one, which the
// derived values (`withBootstrap`, `undefiningStandardErrors`) use.
extension EstimateInference {
    /// Analytic inference from a covariance matrix, each estimate tested against `distribution`, or
    /// against its own entry of `distributions` when given (one per estimate).
    public init(estimates: [Double], covariance: Matrix, distribution: ReferenceDistribution,
                distributions: [ReferenceDistribution]? = nil, clusterCount: Int? = nil) {
        self.init(estimates: estimates, covariance: covariance, distribution: distribution,
                  distributions: distributions ?? Array(repeating: distribution, count: estimates.count), method: .analytic,
                  standardErrors: covariance.diagonal.map(Self.standardError(ofVariance:)), clusterCount: clusterCount,
                  undefinedReason: nil)
    }

    /// Analytic inference from a regression's covariance estimate (t with its degrees of freedom
    /// unless `distribution` says otherwise, as fepois's normal).
    public init(estimates: [Double], covariance estimate: CovarianceEstimate, distribution: ReferenceDistribution? = nil) {
        let errors = estimate.isDefined ? estimate.matrix.diagonal.map(Self.standardError(ofVariance:))
                                        : [Double](repeating: .nan, count: estimates.count)
        let reference = distribution ?? .studentT(degreesOfFreedom: estimate.degreesOfFreedom)
        self.init(estimates: estimates, covariance: estimate.matrix, distribution: reference,
                  distributions: Array(repeating: reference, count: estimates.count), method: .analytic,
                  standardErrors: errors, clusterCount: estimate.clusterCounts.min(), undefinedReason: estimate.undefinedReason)
    }
}
