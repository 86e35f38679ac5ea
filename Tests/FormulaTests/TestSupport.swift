import Formula

/// Shorthands that keep the expected structures in the test tables readable.

/// A plain variable expression.
func v(_ name: String) -> Expression {
    .variable(name)
}

/// A known function applied to an expression.
func call(_ function: String, _ argument: Expression) -> Expression {
    .function(name: function, argument: argument)
}

/// A product term of plain variables: `term("x1", "x2")` is `x1:x2`.
func term(_ names: String...) -> Term {
    .product(names.map { .variable($0) })
}

/// A product term of arbitrary expressions.
func product(_ factors: Expression...) -> Term {
    .product(factors)
}

/// An `i()` term.
func indicator(_ factor: String, _ interaction: Expression? = nil, ref references: [ReferenceValue] = []) -> Term {
    .indicator(Indicator(factor: factor, interaction: interaction, references: references))
}

/// A fixed effect combining the given variables.
func fe(_ variables: String...) -> FixedEffect {
    FixedEffect(variables: variables)
}

/// The error thrown when parsing `text`, or `nil` when it parses.
func parseError(_ text: String) -> FormulaError? {
    do {
        _ = try ModelFormula.parse(text)
        return nil
    } catch {
        return error
    }
}

/// The formula parsed from `text`, or `nil` (the test then fails on the missing value).
func parsed(_ text: String) -> ModelFormula? {
    try? ModelFormula.parse(text)
}
