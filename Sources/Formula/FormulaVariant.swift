/// One ordinary formula of a multiple estimation, with the words that tell it from the others.
public struct FormulaVariant: Equatable, Sendable {
    /// The formula; its `source` is the expanded text, as in `y1 ~ x1 + x2 | fe`.
    public let formula: ModelFormula
    /// What sets this model apart, in fixest's words: `Dep. var.: y1; Expl. vars.: x1 + x2`
    /// (the regressors and fixed effects only when the formula steps through them).
    public let label: String

    /// The right-hand side's terms as written by fixest: `x1 + x2`, or `1` with none.
    static func regressorText(_ formula: ModelFormula) -> String {
        let terms = formula.terms.map(\.name)
        if !formula.hasIntercept { return (["0"] + terms).joined(separator: " + ") }
        return terms.isEmpty ? "1" : terms.joined(separator: " + ")
    }

    /// The fixed effects joined by `+`, or `none`.
    static func fixedEffectText(_ formula: ModelFormula) -> String {
        formula.fixedEffects.isEmpty ? "none" : formula.fixedEffects.map(\.name).joined(separator: " + ")
    }
}
