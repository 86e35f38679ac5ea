import PanelData

/// Estimation on subsamples, as fixest's `split = ~var` and `fsplit = ~var`: one sample per level
/// of a column, after the full sample for `fsplit`.
public struct SampleSplit: Sendable, Equatable {
    /// The column whose levels define the samples.
    public let variable: String
    /// Whether the full sample comes first (`fsplit`).
    public let includesFullSample: Bool

    /// Creates a split on `variable`, led by the full sample when `includesFullSample`.
    public init(variable: String, includesFullSample: Bool) {
        self.variable = variable
        self.includesFullSample = includesFullSample
    }

    /// One sample: the full data, or the rows with one value of the split column.
    public struct Sample: Sendable, Equatable {
        /// The level as written in the data (`small`, `2004`), or `nil` for the full sample.
        public let value: String?
        /// The rows of the level, increasing; `nil` for the full sample.
        public let rows: [Int]?

        /// The full sample.
        public static let full = Sample(value: nil, rows: nil)
    }

    /// The samples of `table`: the full sample first for `fsplit`, then one per level in
    /// increasing order (numbers by value, text alphabetically), as R's `factor()` sorts them.
    ///
    /// Rows missing the split value belong to no level (they stay in the full sample).
    ///
    /// - Throws: `EstimationError` when the table lacks the column (naming close ones) or the
    ///   column has no value at all.
    public func samples(of table: DataTable) throws(EstimationError) -> [Sample] {
        guard let column = table.column(named: variable) else {
            let close = table.closestNames(to: variable, limit: 3)
            let hint = close.isEmpty ? "" : "; did you mean " + close.map { "'\($0)'" }.joined(separator: ", ") + "?"
            throw EstimationError("\(table.source): no column named '\(variable)' to split on\(hint)")
        }
        var levels: [(value: String, rows: [Int])]
        switch column {
        case .numeric(let values):
            var rowsByValue: [Double: [Int]] = [:]
            for (row, value) in values.enumerated() where !value.isNaN {
                rowsByValue[value, default: []].append(row)
            }
            levels = rowsByValue.keys.sorted().map { (Self.label(of: $0), rowsByValue[$0] ?? []) }
        case .text(let text):
            var rowsByCode = [[Int]](repeating: [], count: text.levels.count)
            for (row, code) in text.codes.enumerated() where code >= 0 && Int(code) < rowsByCode.count {
                rowsByCode[Int(code)].append(row)
            }
            levels = text.levels.indices
                .filter { !rowsByCode[$0].isEmpty }
                .sorted { text.levels[$0] < text.levels[$1] }
                .map { (text.levels[$0], rowsByCode[$0]) }
        }
        guard !levels.isEmpty else {
            throw EstimationError("\(table.source): the split column '\(variable)' has no values, only missing ones")
        }
        var samples = levels.map { Sample(value: $0.value, rows: $0.rows) }
        if includesFullSample {
            samples.insert(Sample(value: nil, rows: nil), at: 0)
        }
        return samples
    }

    /// A number as R prints a factor level: integers without a decimal point.
    static func label(of value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }
}
