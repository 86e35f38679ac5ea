import Formula
import PanelData
import Inference

/// The columns of a data table while a model frame is built: looks columns up by name, evaluates
/// formula expressions on them, and marks the rows a model cannot use.
struct TableColumns {
    let source: String
    let rowCount: Int
    private var names: [String]
    private var columns: [Column]
    private var table: DataTable?

    init(table: consuming DataTable) {
        let kept = table
        self.source = kept.source
        self.rowCount = kept.rowCount
        self.names = kept.names
        self.columns = kept.columns
        self.table = kept
    }

    /// Drops every reference to the table's columns so their memory can be reclaimed.
    mutating func releaseAll() {
        columns = []
        names = []
        table = nil
    }

    /// Throws unless the table has the column, suggesting the closest names.
    func requireColumn(_ name: String) throws(EstimationError) {
        guard names.contains(name) else {
            let suggestions = table?.closestNames(to: name, limit: 3) ?? []
            let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: ", ") + "?"
            throw EstimationError("\(source): no column named '\(name)'\(hint)")
        }
    }

    private func column(_ name: String) throws(EstimationError) -> Column {
        try requireColumn(name)
        guard let index = names.firstIndex(of: name) else { throw EstimationError("\(source): no column named '\(name)'") }
        return columns[index]
    }

    /// The values of a numeric column; missing and non-finite values mark their rows excluded.
    func numeric(_ name: String, exclusions: inout RowExclusions) throws(EstimationError) -> [Double] {
        switch try column(name) {
        case let .numeric(values):
            exclusions.markUnusable(values)
            return values
        case let .text(text):
            if let bad = text.firstIntegerBeyondExactRange {
                throw EstimationError("\(source): column '\(name)' holds integers beyond ±2^53 (line \(bad.row) has '\(bad.value)'), which a number cannot hold exactly; it is read as text so that identifiers stay distinct, and can group rows (a fixed effect, a cluster) but not enter a formula as a number")
            }
            if let bad = text.firstNonNumeric {
                throw EstimationError("\(source): column '\(name)' is not numeric: line \(bad.row) has '\(bad.value)' (use i(\(name)) for indicators of a categorical variable)")
            }
            throw EstimationError("\(source): column '\(name)' is not numeric")
        }
    }

    /// Evaluates an expression of columns, functions and operators, marking rows whose value is
    /// unusable: missing or non-finite in a column, or outside a step's domain (log of zero), each
    /// under its own reason.
    func evaluate(_ expression: Formula.Expression, exclusions: inout RowExclusions) throws(EstimationError) -> [Double] {
        var source = FrameColumnSource(columns: self, exclusions: RowExclusions(rowCount: 0))
        // Move the exclusions in and out rather than copy them, so marking them copies no array.
        swap(&source.exclusions, &exclusions)
        defer { swap(&source.exclusions, &exclusions) }
        return try expression.evaluate(rowCount: rowCount, source: &source)
    }

    /// The named columns a formula term contributes to the design.
    func expand(_ term: Term, exclusions: inout RowExclusions) throws(EstimationError) -> [(String, [Double])] {
        switch term {
        case let .product(expressions):
            // A single expression is its own column: no copy of a column the table already holds.
            if expressions.count == 1, let only = expressions.first {
                return [(term.name, try evaluate(only, exclusions: &exclusions))]
            }
            var product = [Double](repeating: 1, count: rowCount)
            for expression in expressions {
                let values = try evaluate(expression, exclusions: &exclusions)
                for index in 0..<rowCount { product[index] *= values[index] }
            }
            // Finite factors whose product overflows: counted with the non-finite values.
            exclusions.markUnusable(product)
            return [(term.name, product)]
        case let .indicator(indicator):
            return try indicatorColumns(indicator, exclusions: &exclusions)
        }
    }

    /// The number of design columns a term adds, found without building them (an `i()` term adds
    /// one per level but the references), so that the memory a design needs can be judged first.
    func plannedColumnCount(_ term: Term) throws(EstimationError) -> Int {
        guard case let .indicator(indicator) = term else { return 1 }
        switch try column(indicator.factor) {
        case let .numeric(values):
            let levels = Set(values.filter { $0.isFinite })
            return levels.filter { !indicator.isReference(number: $0) }.count
        case let .text(text):
            return text.levels.filter { !indicator.isReference(text: $0) }.count
        }
    }

    /// `i(f)`, `i(f, ref = r)`, `i(f, z, ref = r)`: one column per level of f (sorted, as fixest
    /// orders them) except the reference levels, times z when given.
    private func indicatorColumns(_ indicator: Indicator, exclusions: inout RowExclusions) throws(EstimationError) -> [(String, [Double])] {
        let interaction = try indicator.interaction.map { (expression) throws(EstimationError) in try evaluate(expression, exclusions: &exclusions) }
        let interactionName = indicator.interaction?.name
        var result = [(String, [Double])]()
        switch try column(indicator.factor) {
        case let .numeric(values):
            exclusions.markUnusable(values)
            let levels = Set(values.filter { $0.isFinite }).sorted()
            for level in levels where !indicator.references.contains(where: { $0.matches(number: level) }) {
                var column = [Double](repeating: 0, count: rowCount)
                for index in 0..<rowCount where values[index] == level { column[index] = interaction?[index] ?? 1 }
                let label = Indicator.levelName(level)
                result.append((Indicator.indicatorName(factor: indicator.factor, level: label, interaction: interactionName), column))
            }
            for reference in indicator.references {
                if !levels.contains(where: { reference.matches(number: $0) }) {
                    throw EstimationError("\(source): reference level \(reference) of i(\(indicator.factor)) does not occur in column '\(indicator.factor)'")
                }
            }
        case let .text(text):
            for index in 0..<rowCount where text.codes[index] < 0 { exclusions.markMissing(index) }
            let order = text.levels.indices.sorted { text.levels[$0] < text.levels[$1] }
            for code in order where !indicator.references.contains(where: { $0.matches(text: text.levels[code]) }) {
                var column = [Double](repeating: 0, count: rowCount)
                let target = Int32(code)
                for index in 0..<rowCount where text.codes[index] == target { column[index] = interaction?[index] ?? 1 }
                result.append((Indicator.indicatorName(factor: indicator.factor, level: text.levels[code], interaction: interactionName), column))
            }
            for reference in indicator.references where !text.levels.contains(where: { reference.matches(text: $0) }) {
                throw EstimationError("\(source): reference level \(reference) of i(\(indicator.factor)) does not occur in column '\(indicator.factor)'")
            }
        }
        return result
    }

    /// A factor from one column, or from the combination of several (`a^b`).
    func factor(for variables: [String], name: String, exclusions: inout RowExclusions) throws(EstimationError) -> Factor {
        var combined: Factor? = nil
        for variable in variables {
            let single = try singleFactor(variable, exclusions: &exclusions)
            combined = combined.map { $0.combined(with: single, name: name) } ?? single
        }
        guard let combined else { throw EstimationError("empty fixed effect '\(name)'") }
        return combined
    }

    private func singleFactor(_ name: String, exclusions: inout RowExclusions) throws(EstimationError) -> Factor {
        let column = try column(name)
        if let problem = column.identifierProblem(source: source, name: name, role: "grouping") { throw EstimationError(problem) }
        switch column {
        case let .numeric(values):
            exclusions.markUnusable(values)
            // Integer identifiers in a modest range (firms, years) map straight to dense codes,
            // without an N-sized array of keys.
            if let factor = Factor(name: name, integerValues: values) {
                return factor
            }
            let fallback = values.first(where: { $0.isFinite }) ?? 0
            var keys = [Int64](repeating: 0, count: rowCount)
            for index in 0..<rowCount {
                // A non-finite value gets a placeholder: its row is dropped before the levels are used.
                keys[index] = Self.key(for: values[index].isFinite ? values[index] : fallback)
            }
            return Factor(name: name, keys: keys)
        case let .text(text):
            var keys = [Int64](repeating: 0, count: rowCount)
            for index in 0..<rowCount {
                let code = text.codes[index]
                if code < 0 { exclusions.markMissing(index) } else { keys[index] = Int64(code) }
            }
            return Factor(name: name, keys: keys)
        }
    }

    /// A hashable key for a numeric level: the integer itself when integral (so ids stay in a
    /// small range), else the bit pattern, which cannot collide with integers below 2^53.
    static func key(for value: Double) -> Int64 {
        if value == value.rounded(), abs(value) < 9.0e15 { return Int64(value) }
        return Int64(bitPattern: value.bitPattern)
    }
}

/// The table's columns as an expression sees them, with the exclusions its steps mark.
private struct FrameColumnSource: ExpressionColumnSource {
    let columns: TableColumns
    var exclusions: RowExclusions

    mutating func numericValues(of column: String) throws(EstimationError) -> [Double] {
        try columns.numeric(column, exclusions: &exclusions)
    }

    mutating func noteStep(_ step: Formula.Expression, result: [Double], arguments: [[Double]]) {
        exclusions.markUndefined(result, arguments: arguments, reason: step.undefinedReason ?? "not finite")
    }
}

import Foundation
