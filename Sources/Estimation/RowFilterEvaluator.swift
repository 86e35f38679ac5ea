import Formula
import PanelData

/// Evaluates a row filter's condition on a table, row by row, with R's three-valued logic.
struct RowFilterEvaluator {
    /// A row's truth: false, true, or missing (NA).
    static let isFalse: UInt8 = 0, isTrue: UInt8 = 1, isMissing: UInt8 = 2

    /// An operand's values: numbers (NaN where missing), a text column, or one quoted text.
    enum Values {
        case numbers([Double])
        case textColumn(name: String, TextColumn)
        case literal(String)
    }

    let table: DataTable
    let filter: RowFilter

    /// The truth of `condition` on every row.
    func evaluate(_ condition: RowFilterCondition) throws(EstimationError) -> [UInt8] {
        switch condition {
        case .comparison(let operation, let left, let right):
            return try compare(operation, left, right)
        case .membership(let operand, let list):
            return try membership(operand, list)
        case .isMissing(let operand):
            switch try values(of: operand) {
            case .numbers(let numbers): return numbers.map { $0.isNaN ? Self.isTrue : Self.isFalse }
            case .textColumn(_, let text): return text.codes.map { $0 < 0 ? Self.isTrue : Self.isFalse }
            case .literal: return constant(false)
            }
        case .not(let inner):
            return try evaluate(inner).map { $0 == Self.isMissing ? Self.isMissing : 1 - $0 }
        case .and(let left, let right):
            let first = try evaluate(left), second = try evaluate(right)
            return zip(first, second).map { a, b in
                if a == Self.isFalse || b == Self.isFalse { return Self.isFalse }
                return a == Self.isTrue && b == Self.isTrue ? Self.isTrue : Self.isMissing
            }
        case .or(let left, let right):
            let first = try evaluate(left), second = try evaluate(right)
            return zip(first, second).map { a, b in
                if a == Self.isTrue || b == Self.isTrue { return Self.isTrue }
                return a == Self.isFalse && b == Self.isFalse ? Self.isFalse : Self.isMissing
            }
        }
    }

    private func constant(_ value: Bool) -> [UInt8] {
        [UInt8](repeating: value ? Self.isTrue : Self.isFalse, count: table.rowCount)
    }

    /// A comparison of two operands of the same type.
    private func compare(_ operation: ComparisonOperator, _ left: RowFilterCondition.Operand, _ right: RowFilterCondition.Operand)
        throws(EstimationError) -> [UInt8]
    {
        let first = try values(of: left), second = try values(of: right)
        switch (first, second) {
        case (.numbers(let a), .numbers(let b)):
            return (0..<table.rowCount).map { row in
                a[row].isNaN || b[row].isNaN ? Self.isMissing : (operation.holds(a[row], b[row]) ? Self.isTrue : Self.isFalse)
            }
        case (.numbers, _), (_, .numbers):
            throw mismatch(numeric: first.isNumbers ? left : right, text: first.isNumbers ? right : left)
        default:
            guard operation.isEquality else {
                throw EstimationError("subset \"\(filter.source)\": '\(left.description) \(operation.symbol) \(right.description)' orders texts; text is compared with == and != (or %in%) only")
            }
            let a = first.texts(rowCount: table.rowCount), b = second.texts(rowCount: table.rowCount)
            return (0..<table.rowCount).map { row in
                guard let x = a(row), let y = b(row) else { return Self.isMissing }
                return (x == y) == (operation == .equal) ? Self.isTrue : Self.isFalse
            }
        }
    }

    /// `operand %in% c(...)`: a missing value is in no list, as in R.
    private func membership(_ operand: RowFilterCondition.Operand, _ list: [ReferenceValue]) throws(EstimationError) -> [UInt8] {
        var numbers = Set<Double>(), texts = Set<String>()
        for value in list {
            switch value {
            case .number(let number): numbers.insert(number)
            case .text(let text): texts.insert(text)
            }
        }
        let shownList = "c(" + list.map(\.name).joined(separator: ", ") + ")"
        switch try values(of: operand) {
        case .numbers(let values):
            guard texts.isEmpty else {
                throw EstimationError("subset \"\(filter.source)\": \(Self.describe(operand)) is numeric but \(shownList) lists texts; list numbers, as in c(2004, 2006)")
            }
            return values.map { numbers.contains($0) ? Self.isTrue : Self.isFalse }
        case let values:
            guard numbers.isEmpty else {
                throw EstimationError("subset \"\(filter.source)\": \(Self.describe(operand)) is text but \(shownList) lists numbers; quote the values, as in c('\(list.first?.name ?? "a")')")
            }
            let text = values.texts(rowCount: table.rowCount)
            return (0..<table.rowCount).map { row in text(row).map { texts.contains($0) ? Self.isTrue : Self.isFalse } ?? Self.isFalse }
        }
    }

    /// The error for a number compared with a text, saying which side to change.
    private func mismatch(numeric: RowFilterCondition.Operand, text: RowFilterCondition.Operand) -> EstimationError {
        if case .text(let literal) = text {
            let asNumber = Double(literal)?.isFinite == true ? ", as in \(numeric.description) == \(literal)" : ""
            return EstimationError("subset \"\(filter.source)\": \(Self.describe(numeric)) is numeric; compare it with a number\(asNumber), not the text \(text.description)")
        }
        return EstimationError("subset \"\(filter.source)\": \(Self.describe(text)) is text and \(Self.describe(numeric)) is numeric; compare a text column with quoted text, as in \(text.description) == 'value'")
    }

    private static func describe(_ operand: RowFilterCondition.Operand) -> String {
        if case .expression(.variable(let name)) = operand { return "column '\(name)'" }
        return "'\(operand.description)'"
    }

    /// An operand's values: a bare text column stays text; any other expression is numeric.
    func values(of operand: RowFilterCondition.Operand) throws(EstimationError) -> Values {
        switch operand {
        case .text(let text):
            return .literal(text)
        case .expression(let expression):
            if case .variable(let name) = expression, case .text(let text)? = table.column(named: name) {
                return .textColumn(name: name, text)
            }
            var source = FilterColumnSource(table: table, filter: filter)
            return .numbers(try expression.evaluate(rowCount: table.rowCount, source: &source))
        }
    }
}

extension RowFilterEvaluator.Values {
    var isNumbers: Bool { if case .numbers = self { return true }; return false }

    /// Each row's text, nil where missing; only for text values.
    func texts(rowCount: Int) -> (Int) -> String? {
        switch self {
        case .literal(let text): return { _ in text }
        case .textColumn(_, let column):
            return { row in
                let code = column.codes[row]
                return code >= 0 && Int(code) < column.levels.count ? column.levels[Int(code)] : nil
            }
        case .numbers: return { _ in nil }
        }
    }
}

/// The table's numeric columns for the expressions of a filter; undefined steps give NaN, which
/// the filter reads as missing.
private struct FilterColumnSource: ExpressionColumnSource {
    let table: DataTable
    let filter: RowFilter

    func numericValues(of column: String) throws(EstimationError) -> [Double] {
        switch table.column(named: column) {
        case .numeric(let values)?:
            return values
        case .text(let text)?:
            let example = text.firstNonNumeric.map { " (line \($0.row) has '\($0.value)')" } ?? ""
            throw EstimationError("subset \"\(filter.source)\": column '\(column)' is text\(example) and cannot enter arithmetic or a function; compare it with quoted text, as in \(Formula.Expression.displayName(of: column)) == 'value'")
        case nil:
            let suggestions = table.closestNames(to: column, limit: 3)
            let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: ", ") + "?"
            throw EstimationError("\(table.source): subset \"\(filter.source)\": no column named '\(column)'\(hint)")
        }
    }
}
