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
    /// Evaluates `text`: `a*label + b*label - label`, optionally as `(…)/k`, over the labels of
    /// the estimates (`att`, `e0`, `e-1`, `g2004`, `t2006`, `dynamic`, …).
    public func combine(_ text: String) throws(EstimationError) -> StaggeredCombination {
        var body = text.trimmingCharacters(in: .whitespaces)
        var divisor = 1.0
        if body.hasPrefix("("), let close = body.lastIndex(of: ")") {
            let rest = body[body.index(after: close)...].trimmingCharacters(in: .whitespaces)
            if rest.hasPrefix("/"), let value = Double(rest.dropFirst().trimmingCharacters(in: .whitespaces)), value != 0 {
                divisor = value
                body = String(body[body.index(after: body.startIndex)..<close])
            } else if rest.isEmpty {
                body = String(body[body.index(after: body.startIndex)..<close])
            } else {
                throw EstimationError("--combine '\(text)': after ')' only '/ number' may follow")
            }
        }
        let parsed: LinearRestriction
        do { parsed = try LinearRestriction(parsing: body) } catch {
            throw EstimationError("--combine '\(text)': write a sum of labels such as 'e0 + e1 + e2' or '(e0 + e1 + e2)/3'")
        }
        guard parsed.value == 0 else { throw EstimationError("--combine '\(text)': give an expression, not an equation") }
        var vector = [Double](repeating: 0, count: estimates.count)
        var weights = [(label: String, weight: Double)]()
        for (label, weight) in parsed.weights {
            guard let index = index(ofLabel: label) else {
                let available = estimates.filter { $0.kind != .attGT && $0.kind != .cohortPeriod }.map(\.label)
                throw EstimationError("--combine '\(text)': \(estimator.displayName) has no estimate '\(label)'; available: " + available.joined(separator: ", "))
            }
            vector[index] += weight / divisor
            weights.append((label, weight / divisor))
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
}
