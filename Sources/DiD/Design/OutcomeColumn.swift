import Formula
import PanelData

/// An outcome expression evaluated on a table, with the reason each unusable row is unusable, so
/// that reports can say "log(export_eu): log of zero or negative: 4892 rows" instead of lumping a
/// transformation's failures in with missing values.
public struct OutcomeColumn: Sendable {
    /// The outcome as written (`log(sales)`, `I(sales > 0)`).
    public let name: String
    /// The values; NaN where unusable.
    public let values: [Double]
    /// Rows whose underlying column is missing or not finite.
    public let missingRows: Int
    /// Rows where the columns are present but a transformation is undefined (log of 0, sqrt of
    /// −1), by reason in the order first met.
    public let undefinedRows: [(reason: String, rows: Int)]

    /// Evaluates `outcome` (a column or an expression of columns) on `table`.
    public init(outcome: String, table: DataTable) throws {
        let expression = try ModelFormula.parse("\(outcome) ~ 1").response
        name = expression.name
        var source = OutcomeColumnSource(table: table)
        var values = try expression.evaluate(rowCount: table.rowCount, source: &source)
        var missing = 0
        var undefined = [Int](repeating: 0, count: source.reasons.count)
        for row in values.indices {
            let code = source.codes[row]
            if code == OutcomeColumnSource.missing {
                missing += 1
            } else if code > OutcomeColumnSource.missing {
                undefined[Int(code) - 2] += 1
            } else if !values[row].isFinite {
                // A non-finite value no step explains: counted with the missing ones.
                missing += 1
            } else {
                continue
            }
            values[row] = .nan
        }
        self.values = values
        missingRows = missing
        undefinedRows = zip(source.reasons, undefined).filter { $0.1 > 0 }.map { (reason: $0.0, rows: $0.1) }
    }

    /// The drop entries for the sample description.
    public func drops(units: Int = 0) -> [StaggeredSample.Drop] {
        var drops = [StaggeredSample.Drop]()
        if missingRows > 0 { drops.append(.init(reason: "\(name): missing or not finite", rows: missingRows, units: 0)) }
        for (reason, rows) in undefinedRows { drops.append(.init(reason: "\(name): \(reason)", rows: rows, units: 0)) }
        return drops
    }
}

/// The table's numeric columns for an outcome expression, recording per row whether a column
/// value was unusable (code 1) or which step was undefined (code 2 + the reason's index).
private struct OutcomeColumnSource: ExpressionColumnSource {
    static let kept: UInt8 = 0, missing: UInt8 = 1
    let table: DataTable
    var codes: [UInt8]
    var reasons: [String] = []

    init(table: DataTable) {
        self.table = table
        self.codes = [UInt8](repeating: Self.kept, count: table.rowCount)
    }

    mutating func numericValues(of column: String) throws(PanelError) -> [Double] {
        guard let values = table.column(named: column) else {
            let hint = table.closestNames(to: column, limit: 3)
            throw PanelError("\(table.source): no column named '\(column)'" + (hint.isEmpty ? "" : "; did you mean " + hint.map { "'\($0)'" }.joined(separator: ", ") + "?"))
        }
        guard case let .numeric(numbers) = values else {
            throw PanelError("\(table.source): outcome column '\(column)' is not numeric")
        }
        for row in numbers.indices where codes[row] == Self.kept && !numbers[row].isFinite { codes[row] = Self.missing }
        return numbers
    }

    mutating func noteStep(_ step: Formula.Expression, result: [Double], arguments: [[Double]]) {
        var code: UInt8? = nil
        for row in result.indices where codes[row] == Self.kept && !result[row].isFinite {
            if code == nil {
                let reason = step.undefinedReason ?? "not finite"
                let index = reasons.firstIndex(of: reason) ?? { reasons.append(reason); return reasons.count - 1 }()
                // Past a byte's codes reasons share the last (an outcome has a handful of steps).
                code = UInt8(clamping: 2 + index)
            }
            codes[row] = code ?? Self.missing
        }
    }
}
