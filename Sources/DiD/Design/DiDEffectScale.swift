// The scale on which `quipu did` reports the robust estimators' effects (`--effect`): in the
// outcome's units (level), or as a proportion of the treated units' counterfactual mean,
// log(E[Y(1) | treated] / E[Y(0) | treated]) with the percent change exp(·) − 1 beside it.
//
// Chen & Roth (2024, "Logs with zeros? Some problems and solutions", QJE) show that an effect in
// log(1 + Y) or asinh(Y) depends on the outcome's units when Y has zeros, and recommend this ratio
// of means instead: it is defined with zeros, does not depend on the units, and is the scale of a
// Poisson model's coefficient (the truth file of `quipu simulate`: `log_ratio_of_means`).

import PanelData

/// Level or proportional effects.
public enum DiDEffectScale: String, Sendable, CaseIterable {
    /// ATT in the outcome's units.
    case level
    /// log(E[Y(1)] / E[Y(0)]) over the treated cells (Chen & Roth 2024), with 100·(exp(·) − 1) %.
    case proportional
}

extension DiDEffectScale {
    /// Refuses an outcome with negative values for proportional effects (a ratio of means of an
    /// outcome that can be negative has no meaning as a proportion), naming the column.
    static func checkProportional(_ outcome: OutcomeColumn, source: String) throws(PanelError) {
        var negatives = 0, smallest = 0.0
        for value in outcome.values where value < 0 {
            negatives += 1
            smallest = min(smallest, value)
        }
        guard negatives == 0 else {
            throw PanelError("\(source): outcome '\(outcome.name)' has \(negatives) negative value\(negatives == 1 ? "" : "s") (smallest \(smallest)): --effect proportional needs an outcome ≥ 0 (counts, or amounts such as export values); use --effect level")
        }
    }
}
