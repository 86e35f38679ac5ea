import Inference

/// One estimator's pre-test power against a linear trend (PretrendPower, Roth 2022), with what it
/// was computed on: the pre-period event times, their reference and the post-period target.
public struct EventStudyPretrendPower: Sendable {
    public let estimator: StaggeredEstimator
    public let power: PretrendPower
    /// The pre-period event-study coefficients the power is computed on.
    public let preEventTimes: [Int]
    /// The period the trend is measured from (the coefficients' reference, or the last period
    /// before support for year-on-year coefficients).
    public let referencePeriod: Int
    /// Whether the pre-period coefficients are year-on-year changes (Callaway–Sant'Anna's varying
    /// base period), on which a linear trend shows as a constant.
    public let yearOnYear: Bool
    /// The post-period event times whose equally weighted average is the target of the bias.
    public let targetEventTimes: [Int]

    /// The target in words.
    public var targetDescription: String {
        guard let first = targetEventTimes.first, let last = targetEventTimes.last else { return "no post-period target" }
        return first == last ? "the effect at event time \(first)" : "the average of the post-period effects e = \(first)…\(last)"
    }
}

extension DiDAnalysis {
    /// The pre-test power of `result`'s event study, or nil without one: its dynamic pre-period
    /// coefficients on its headline scale with a standard error. Coefficients relative to one
    /// reference period (TWFE, Sun–Abraham, the extended TWFE's g − 1, Callaway–Sant'Anna with a
    /// universal base) see the trend as γ·|e − reference|; year-on-year ones (Callaway–Sant'Anna's
    /// varying base) as γ. The imputation leads are relative to the fitted untreated levels, not to
    /// one period, so no linear trend in their terms is defined: none for them.
    static func pretrendPower(_ result: StaggeredResult, options: DiDOptions) -> EventStudyPretrendPower? {
        let anticipation = options.callawaySantAnna.anticipation
        let reference: Int, yearOnYear: Bool
        switch result.estimator {
        // The distributional estimators' leads are quantile effects as well as means: no linear trend.
        case .imputation, .twoStage, .changesInChanges, .quantileDiD, .panelQTT: return nil
        case .twfe: reference = options.referencePeriod; yearOnYear = false
        case .callawaySantAnna, .tripleDifferences:
            reference = -1 - anticipation
            yearOnYear = options.callawaySantAnna.basePeriod == .varying
        case .sunAbraham, .etwfe, .dcdh: reference = -1; yearOnYear = false
        }
        let study = result.estimates.indices.filter {
            let e = result.estimates[$0]
            return e.kind == .dynamic && !e.isOverall && e.scale == result.headlineScale && e.eventTime != nil
        }
        let pre = study.filter {
            let t = result.estimates[$0].eventTime ?? 0
            return (yearOnYear ? t < -anticipation : t < reference) && result.standardErrors[$0].isFinite
        }
        let post = study.filter { (result.estimates[$0].eventTime ?? -1) >= 0 && result.estimates[$0].estimate.isFinite }
        guard !pre.isEmpty else { return nil }
        let preTimes = pre.map { result.estimates[$0].eventTime ?? 0 }
        let postTimes = post.map { result.estimates[$0].eventTime ?? 0 }
        let block = result.covariance.selecting(rows: pre, columns: pre)
        guard !block.values.contains(where: { !$0.isFinite }) else { return nil }
        let weights = PretrendPower.linearWeights(eventTimes: preTimes, referencePeriod: reference, yearOnYear: yearOnYear)
        // α as the level states it (0.05, not 1 − 0.95 with its rounding).
        let alpha = ((1 - options.confidenceLevel) * 1e12).rounded() / 1e12
        guard let power = try? PretrendPower(weights: weights, covariance: block, alpha: alpha,
                                             targetFactor: PretrendPower.averageTrendFactor(eventTimes: postTimes, referencePeriod: reference))
        else { return nil }
        return EventStudyPretrendPower(estimator: result.estimator, power: power, preEventTimes: preTimes, referencePeriod: reference,
                                       yearOnYear: yearOnYear, targetEventTimes: postTimes)
    }
}
