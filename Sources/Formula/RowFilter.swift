/// A condition that selects rows, as R's `subset()` and fixest's `subset` take it:
/// `pum_cohort != 2004 & size_class %in% c('small', 'medium')`.
///
/// Grammar, loosest first as in R: `|`, then `&`, then `!`, then a comparison (`>`, `>=`, `<`,
/// `<=`, `==`, `!=`) of two values, `value %in% c(...)`, or `is.na(value)`. A value is a formula
/// expression (a column, a function of one, arithmetic such as `sales / employees`) or a quoted
/// text (`'small'` or `"small"`); parentheses group conditions or values.
public struct RowFilter: Equatable, Sendable {
    /// The condition as parsed.
    public let condition: RowFilterCondition
    /// The text as given.
    public let source: String

    /// Creates a filter from its condition; `source` defaults to the condition's canonical text.
    public init(condition: RowFilterCondition, source: String? = nil) {
        self.condition = condition
        self.source = source ?? condition.description
    }

    /// Parses a filter.
    ///
    /// - Throws: `FormulaError` (its message opens with "subset error") locating the first problem.
    public static func parse(_ text: String) throws(FormulaError) -> RowFilter {
        try FormulaParser.parseFilter(text)
    }

    /// Every data column the filter reads.
    public var variables: Set<String> { condition.variables }
}
