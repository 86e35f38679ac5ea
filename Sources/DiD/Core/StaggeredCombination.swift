import Estimation
import Inference

/// A linear combination of one estimator's estimates, such as the average effect over the first
/// three years after support, `(e0 + e1 + e2)/3`, with its standard error from the joint covariance.
public struct StaggeredCombination: Sendable {
    public let estimator: StaggeredEstimator
    /// The combination as written.
    public let expression: String
    /// The labels and their weights.
    public let weights: [(label: String, weight: Double)]
    public let estimate: Double
    public let standardError: Double
    /// Degrees of freedom of the reference t distribution; nil: normal.
    public let degreesOfFreedom: Double?
    /// Where the standard error came from: the estimator's inference (the bootstrap when it ran).
    public let inference: InferenceDescription

    /// Its test against zero and interval at `level`, against t with its degrees of freedom or the
    /// normal, derived as every other row is (InferenceRow).
    public func row(level: Double) -> InferenceRow {
        let distribution = ReferenceDistribution(degreesOfFreedom: degreesOfFreedom)
        return InferenceRow(estimate: estimate, standardError: standardError, distribution: distribution,
                            criticalValue: distribution.criticalValue(level: level))
    }
}

extension StaggeredResult {
    /// Evaluates `expression` over the labels of the estimates (`att`, `e0`, `e-1`, `g2004`,
    /// `t2006`, `dynamic`, …); throws when a label is not among them.
    public func combine(_ expression: CombinationExpression) throws(EstimationError) -> StaggeredCombination {
        let text = expression.text
        var vector = [Double](repeating: 0, count: estimates.count)
        var weights = [(label: String, weight: Double)]()
        for term in expression.terms {
            let label = term.label, weight = term.weight
            guard let index = index(ofLabel: label) else {
                let available = estimates.filter { $0.kind != .attGT && $0.kind != .cohortPeriod }.map(\.label)
                throw EstimationError("--combine '\(text)': \(estimator.displayName) has no estimate '\(label)'; available: " + available.joined(separator: ", "))
            }
            vector[index] += weight
            weights.append((label, weight))
        }
        // From the result's one inference: the bootstrap's draws when the standard errors came from them.
        guard let (estimate, standardError) = estimateInference.linearCombination(vector) else {
            throw EstimationError("--combine '\(text)': \(estimator.displayName)'s estimates in it have no joint covariance (they come from separate regressions, as the pre-trend leads and the effects, or their standard errors are undefined: see the notes), so their combination has no standard error")
        }
        return StaggeredCombination(estimator: estimator, expression: text, weights: weights, estimate: estimate,
                                    standardError: standardError,
                                    degreesOfFreedom: estimateInference.distribution(ofCombination: vector).degreesOfFreedom,
                                    inference: inference)
    }

    /// Parses and evaluates `text` (a convenience for library callers and tests).
    public func combine(_ text: String) throws(EstimationError) -> StaggeredCombination {
        let expression: CombinationExpression
        do { expression = try CombinationExpression(parsing: text) } catch { throw EstimationError(error.message) }
        return try combine(expression)
    }
}
