/// A formula written with fixest's multiple-estimation syntax, expanded into the ordinary
/// formulas it stands for.
///
///     c(y1, y2) ~ x1 + csw(x2, x3) | sw0(fe)
///
/// stands for twelve models: each outcome of `c()` (or `sw()`) before `~`; each fixed-effects
/// set (none, then `fe`); each regressor set (`x1 + x2`, then `x1 + x2 + x3`). `sw(a, b)` gives
/// one model with `a` and one with `b`, `csw(a, b)` one with `a` and one with `a + b`, and
/// `sw0`/`csw0` add the model without them first. At most one such call per part, each a whole
/// term of its part. See fixest's vignette "Multiple estimations"
/// (https://cran.r-project.org/web/packages/fixest/vignettes/multiple_estimations.html).
///
/// The models come in fixest's documented order: outcome, then fixed effects, then regressors
/// (the sample, when split, comes first of all and is the caller's concern).
public struct MultipleFormula: Sendable {
    /// The formula as written.
    public let source: String
    /// The ordinary formulas, in fixest's order; exactly one when `isMultiple` is false.
    public let variants: [FormulaVariant]
    /// Whether the text uses `c()`, `sw()`, `csw()`, `sw0()` or `csw0()`.
    public let isMultiple: Bool
    /// Whether the outcome, the regressors or the fixed effects vary across the variants.
    public let variesOutcome: Bool, variesRegressors: Bool, variesFixedEffects: Bool

    /// The most models one formula may expand to; beyond any real use, it keeps a hostile
    /// formula from asking for millions of fits.
    public static let maximumVariants = 10_000

    /// Expands `text` into its formulas, each parsed by `ModelFormula.parse`.
    ///
    /// A formula without multiple-estimation calls gives a single variant, parsed (and its
    /// errors reported) exactly as `ModelFormula.parse(text)` would.
    ///
    /// - Throws: `FormulaError` for a misplaced or repeated call, or for the first expanded
    ///   formula that does not parse (quoted in the error, so its caret points into it).
    public static func expand(_ text: String) throws(FormulaError) -> MultipleFormula {
        let tokens = try FormulaLexer.tokenize(text)
        let calls = try StepwiseCall.find(in: tokens, source: text)
        guard !calls.isEmpty else {
            let formula = try ModelFormula.parse(text)
            return MultipleFormula(source: text, variants: [FormulaVariant(formula: formula, label: "Dep. var.: \(formula.response.name)")],
                                   isMultiple: false, variesOutcome: false, variesRegressors: false, variesFixedEffects: false)
        }
        let outcome = calls.first { $0.part == .outcome }
        let regressors = calls.first { $0.part == .regressors }
        let fixedEffects = calls.first { $0.part == .fixedEffects }
        let outcomeChoices = outcome?.alternatives ?? [nil]
        let fixedEffectChoices = fixedEffects?.alternatives ?? [nil]
        let regressorChoices = regressors?.alternatives ?? [nil]
        let count = outcomeChoices.count * fixedEffectChoices.count * regressorChoices.count
        if count > maximumVariants {
            throw FormulaError(formula: text, position: calls[0].start,
                               reason: "this formula expands to \(count) models, more than the \(maximumVariants) allowed")
        }
        let characters = Array(text)
        var variants: [FormulaVariant] = []
        for outcomeChoice in outcomeChoices {
            for fixedEffectChoice in fixedEffectChoices {
                for regressorChoice in regressorChoices {
                    // Right to left, so that each call's offsets still hold when it is replaced.
                    var expanded = characters
                    if let fixedEffects { substitute(fixedEffects, with: fixedEffectChoice, in: &expanded) }
                    if let regressors { substitute(regressors, with: regressorChoice, in: &expanded) }
                    if let outcome { substitute(outcome, with: outcomeChoice, in: &expanded) }
                    let formula = try ModelFormula.parse(String(expanded))
                    var label = ["Dep. var.: \(formula.response.name)"]
                    if regressors != nil { label.append("Expl. vars.: \(FormulaVariant.regressorText(formula))") }
                    if fixedEffects != nil { label.append("Fixed-effects: \(FormulaVariant.fixedEffectText(formula))") }
                    variants.append(FormulaVariant(formula: formula, label: label.joined(separator: "; ")))
                }
            }
        }
        return MultipleFormula(source: text, variants: variants, isMultiple: true,
                               variesOutcome: outcomeChoices.count > 1, variesRegressors: regressorChoices.count > 1,
                               variesFixedEffects: fixedEffectChoices.count > 1)
    }

    /// Every data column any of the variants reads.
    public var variables: Set<String> {
        variants.reduce(into: Set<String>()) { $0.formUnion($1.formula.variables) }
    }

    /// Replaces `call` in `text` by one of its alternatives; `nil` removes the call together
    /// with the `+` joining it to its neighbours (an emptied right-hand side becomes `1`, an
    /// emptied fixed-effects part disappears with its `|`).
    private static func substitute(_ call: StepwiseCall, with alternative: String?, in text: inout [Character]) {
        if let alternative {
            text.replaceSubrange(call.start..<call.end, with: Array(alternative))
            return
        }
        if let plus = call.plusBefore {
            text.replaceSubrange(trimmedBack(plus, in: text)..<call.end, with: [])
        } else if let next = call.afterPlusAfter {
            text.replaceSubrange(call.start..<next, with: [])
        } else if call.part == .fixedEffects, let pipe = call.pipe {
            text.replaceSubrange(trimmedBack(pipe, in: text)..<call.end, with: [])
        } else {
            text.replaceSubrange(call.start..<call.end, with: ["1"])
        }
    }

    /// `offset` moved back over the whitespace before it, so a removal leaves no double space.
    private static func trimmedBack(_ offset: Int, in text: [Character]) -> Int {
        var start = offset
        while start > 0, text[start - 1].isWhitespace { start -= 1 }
        return start
    }
}
