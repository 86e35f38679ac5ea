import Formula
import PanelData

/// An outcome expression evaluated on a table, with the reason each unusable row is unusable, so
/// that reports can say "log(export_eu): 4,892 of 6,891 rows dropped (zero or negative)" instead
/// of lumping a transformation's failures in with missing values.
public struct OutcomeColumn: Sendable {
    /// The outcome as written (`log(sales)`).
    public let name: String
    /// The values; NaN where unusable.
    public let values: [Double]
    /// Rows whose underlying column is missing or not finite.
    public let missingRows: Int
    /// Rows where the column is present but the transformation is undefined (log of 0, sqrt of −1).
    public let undefinedRows: Int
    /// Why the transformation is undefined, e.g. "zero or negative" for log.
    public let undefinedReason: String

    /// Evaluates `outcome` (a column or a function of one) on `table`.
    public init(outcome: String, table: DataTable) throws {
        let expression = try ModelFormula.parse("\(outcome) ~ 1").response
        name = expression.name
        let raw = try Self.evaluate(expression, table: table, transform: false)
        let transformed = try Self.evaluate(expression, table: table, transform: true)
        var missing = 0, undefined = 0
        var values = transformed
        for row in values.indices {
            if !raw[row].isFinite {
                missing += 1
                values[row] = .nan
            } else if !values[row].isFinite {
                undefined += 1
                values[row] = .nan
            }
        }
        self.values = values
        missingRows = missing
        undefinedRows = undefined
        undefinedReason = Self.reason(expression)
    }

    /// The drop entries for the sample description.
    public func drops(units: Int = 0) -> [StaggeredSample.Drop] {
        var drops = [StaggeredSample.Drop]()
        if missingRows > 0 { drops.append(.init(reason: "\(name): missing or not finite", rows: missingRows, units: 0)) }
        if undefinedRows > 0 { drops.append(.init(reason: "\(name): \(undefinedReason)", rows: undefinedRows, units: 0)) }
        return drops
    }

    private static func reason(_ expression: Formula.Expression) -> String {
        guard case let .function(name, argument) = expression else { return "not finite" }
        switch name {
        case "log": return "zero or negative"
        case "log1p": return "at or below -1"
        case "sqrt": return "negative"
        case "exp": return "overflows"
        default: return reason(argument)
        }
    }

    /// The expression's values; with `transform` false only its innermost column (so that a
    /// missing column value can be told apart from an undefined transformation).
    private static func evaluate(_ expression: Formula.Expression, table: DataTable, transform: Bool) throws -> [Double] {
        switch expression {
        case let .variable(name):
            guard let column = table.column(named: name) else {
                let hint = table.closestNames(to: name, limit: 3)
                throw PanelError("\(table.source): no column named '\(name)'" + (hint.isEmpty ? "" : "; did you mean " + hint.map { "'\($0)'" }.joined(separator: ", ") + "?"))
            }
            guard case let .numeric(values) = column else {
                throw PanelError("\(table.source): outcome column '\(name)' is not numeric")
            }
            return values
        case let .function(name, argument):
            let inner = try evaluate(argument, table: table, transform: transform)
            guard transform else { return inner }
            guard let function = Formula.Expression.numericFunction(named: name) else {
                throw PanelError("unknown function '\(name)' in the outcome")
            }
            return inner.map { let value = function($0); return value.isFinite ? value : .nan }
        }
    }
}
