/// A parsed fixest formula: `response ~ terms | fixed effects`.
///
/// Supported syntax (a subset of fixest's):
///
///     log(y) ~ x1 + x1:x2 + x3*x4 - x4 + log(abs(x5)) + i(year, treat, ref = 2014) | id + firm^year
///
/// `+` adds a term, `-` removes one, `a:b` multiplies, `a*b` is `a + b + a:b`; `0`, `+ 0` and
/// `- 1` drop the intercept and `1` keeps it. See `parse(_:)` for the details.
public struct ModelFormula: Equatable, Sendable {
    /// The dependent variable, possibly transformed (`log(y)`).
    public var response: Expression
    /// The regressors in the order written, after expanding `*` and applying `-`; each term
    /// appears once, at its first occurrence.
    public var terms: [Term]
    /// Whether the formula asks for an intercept (the default; `0` or `- 1` turn it off).
    ///
    /// This is the formula's wish only: fixest never estimates an intercept alongside fixed
    /// effects, see `hasInterceptColumn`.
    public var hasIntercept: Bool
    /// The fixed effects after `|`, in the order written, each once.
    public var fixedEffects: [FixedEffect]
    /// The original text of the formula.
    public let source: String

    /// Creates a formula from its parts; `source` defaults to the canonical text.
    public init(
        response: Expression,
        terms: [Term],
        hasIntercept: Bool = true,
        fixedEffects: [FixedEffect] = [],
        source: String? = nil
    ) {
        self.response = response
        self.terms = terms
        self.hasIntercept = hasIntercept
        self.fixedEffects = fixedEffects
        self.source = source ?? ModelFormula.canonicalText(
            response: response, terms: terms, hasIntercept: hasIntercept, fixedEffects: fixedEffects
        )
    }

    /// Parses a fixest-style formula.
    ///
    /// - Response: a variable or a call to a known function (`y`, `log(y)`).
    /// - Terms: variables and known function calls, `a:b` interactions, `a*b` expansions,
    ///   parenthesised sums such as `(a + b):c`, and `i(f)`, `i(f, z)`, `i(f, ref = r)`,
    ///   `i(f, z, ref = c(r1, r2))`; `- term` removes a term added earlier; numbers other than
    ///   `0` and `1` are rejected.
    /// - Fixed effects: variables and `a^b^...` combinations joined by `+`.
    /// - Names: R names (`x.1`, `grant_1`) or anything between backticks (`` `my var` ``).
    ///
    /// - Throws: `FormulaError` locating the first problem found.
    public static func parse(_ text: String) throws(FormulaError) -> ModelFormula {
        try FormulaParser.parse(text)
    }

    /// Every data column the formula reads: the response's, the terms' and the fixed effects'.
    public var variables: Set<String> {
        var result = response.variables
        for term in terms {
            result.formUnion(term.variables)
        }
        for fixedEffect in fixedEffects {
            result.formUnion(fixedEffect.variables)
        }
        return result
    }

    /// The terms in the order R's `terms()` gives them, which is the order of fixest's
    /// coefficients: by `Term.order` (main effects, then two-way interactions, ...), keeping the
    /// written order among terms of the same order. `y ~ a:b + c` gives `c, a:b`.
    public var fixestOrderedTerms: [Term] {
        // `enumerated` plus an index tiebreak keeps the sort stable.
        terms.enumerated()
            .sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }
            .map(\.element)
    }

    /// Whether the model matrix gets an `(Intercept)` column: only when the formula keeps the
    /// intercept and has no fixed effects, which absorb it.
    public var hasInterceptColumn: Bool {
        hasIntercept && fixedEffects.isEmpty
    }
}

extension ModelFormula: CustomStringConvertible {
    /// The formula in canonical form, e.g. `y ~ 0 + x1 + x1:x2 | fe1 + fe1^fe2`; parsing it gives
    /// back the same response, terms, intercept and fixed effects.
    public var description: String {
        ModelFormula.canonicalText(
            response: response, terms: terms, hasIntercept: hasIntercept, fixedEffects: fixedEffects
        )
    }

    /// Writes the parts of a formula with single spaces around operators.
    static func canonicalText(
        response: Expression,
        terms: [Term],
        hasIntercept: Bool,
        fixedEffects: [FixedEffect]
    ) -> String {
        var rightHandSide = terms.map(\.name)
        if !hasIntercept {
            rightHandSide.insert("0", at: 0)
        } else if terms.isEmpty {
            rightHandSide = ["1"]
        }
        var text = "\(response.name) ~ \(rightHandSide.joined(separator: " + "))"
        if !fixedEffects.isEmpty {
            text += " | " + fixedEffects.map(\.name).joined(separator: " + ")
        }
        return text
    }
}
