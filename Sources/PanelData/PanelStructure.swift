/// The unit × period structure of a long panel: dense unit codes, integer periods, and each
/// unit's treatment cohort (first treated period, or never treated).
///
/// Built from a data table with validation an evaluator needs before any model: periods must be
/// integers, a unit may appear at most once per period, and a cohort must be constant within a
/// unit. Row numbers in messages are 1-based data rows (the header is not counted).
public struct PanelStructure: Sendable {
    /// The file or stream the panel came from.
    public let source: String
    /// The unit column's name and the time column's name.
    public let unitName: String, timeName: String
    /// Each row's unit, as a dense code `0..<unitCount`.
    public let unitCodes: [Int32]
    /// A printable label for each unit code.
    public let unitLabels: [String]
    /// Each row's period.
    public let periods: [Int]
    /// The distinct periods, ascending.
    public let periodValues: [Int]
    /// Each unit's cohort: the first treated period, or `nil` for never treated. Empty when the
    /// panel was built without treatment information.
    public let cohorts: [Int?]
    /// The column the cohort came from, and whether it was derived from a 0/1 treatment.
    public let cohortSource: String?
    public let cohortDerivedFromTreatment: Bool
    /// The value of the cohort column that marked never-treated units (with empty cells).
    public internal(set) var neverTreatedCode: NeverTreatedCode = .zero

    /// The number of units.
    public var unitCount: Int { unitLabels.count }
    /// The number of rows.
    public var rowCount: Int { periods.count }
    /// Whether treatment information is present.
    public var hasCohorts: Bool { !cohorts.isEmpty }

    /// Whether row `row` is treated: its unit's cohort has started by its period.
    public func isTreated(row: Int) -> Bool {
        guard hasCohorts, let cohort = cohorts[Int(unitCodes[row])] else { return false }
        return periods[row] >= cohort
    }

    /// Whether the unit of row `row` is ever treated.
    public func isEverTreated(row: Int) -> Bool {
        hasCohorts && cohorts[Int(unitCodes[row])] != nil
    }
}

/// How treatment is given to a panel.
public enum TreatmentSpecification: Sendable, Equatable {
    /// No treatment information.
    case none
    /// A column holding each unit's first treated period; `neverTreated` (nil: 0, refused when 0 is
    /// a period of the panel) and missing cells mark never-treated units.
    case cohort(String, neverTreated: NeverTreatedCode? = nil)
    /// A 0/1 column: the cohort is the first period with a 1.
    case treatment(String)

    /// The column named, if any.
    public var column: String? {
        switch self {
        case .none: return nil
        case let .cohort(name, _), let .treatment(name): return name
        }
    }
}

extension PanelStructure {
    /// Builds and validates the panel structure of `table`.
    public init(table: DataTable, unit: String, time: String, treatment: TreatmentSpecification = .none) throws(PanelError) {
        let source = table.source
        func column(_ name: String) throws(PanelError) -> Column {
            guard let column = table.column(named: name) else {
                let suggestions = table.closestNames(to: name, limit: 3)
                let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: ", ") + "?"
                throw PanelError("\(source): no column named '\(name)'\(hint)")
            }
            return column
        }
        let rows = table.rowCount
        // Units: numeric ids or text labels, densified in order of first appearance.
        var unitCodes = [Int32](repeating: 0, count: rows)
        var unitLabels = [String]()
        let unitColumn = try column(unit)
        if let problem = unitColumn.identifierProblem(source: source, name: unit, role: "unit") { throw PanelError(problem) }
        switch unitColumn {
        case let .numeric(values):
            var lookup = [Double: Int32]()
            for row in 0..<rows {
                let value = values[row]
                guard value.isFinite else { throw PanelError("\(source): unit column '\(unit)' is missing at row \(row + 1)") }
                if let code = lookup[value] {
                    unitCodes[row] = code
                } else {
                    let code = Int32(unitLabels.count)
                    lookup[value] = code
                    unitLabels.append(Self.label(value))
                    unitCodes[row] = code
                }
            }
        case let .text(text):
            var remap = [Int32](repeating: -1, count: text.levels.count)
            for row in 0..<rows {
                let level = text.codes[row]
                guard level >= 0 else { throw PanelError("\(source): unit column '\(unit)' is missing at row \(row + 1)") }
                if remap[Int(level)] < 0 {
                    remap[Int(level)] = Int32(unitLabels.count)
                    unitLabels.append(text.levels[Int(level)])
                }
                unitCodes[row] = remap[Int(level)]
            }
        }
        let periods = try Self.integerColumn(column(time), name: time, role: "time", source: source, allowMissing: false)
            .map { $0 ?? 0 }
        // A unit may appear once per period.
        // A unit may appear once per period. With a compact range of periods a dense table of
        // first rows is far faster than hashing every (unit, period) pair.
        let low = periods.min() ?? 0, high = periods.max() ?? 0
        let span = high - low + 1
        if rows > 0, span > 0, span <= 4096, unitLabels.count.multipliedReportingOverflow(by: span).partialValue <= 64_000_000 {
            var firstRow = [Int32](repeating: -1, count: unitLabels.count * span)
            for row in 0..<rows {
                let slot = Int(unitCodes[row]) * span + (periods[row] - low)
                let first = firstRow[slot]
                if first >= 0 {
                    throw PanelError("\(source): unit \(unitLabels[Int(unitCodes[row])]) is observed twice in period \(periods[row]) of '\(time)' (rows \(first + 1) and \(row + 1))")
                }
                firstRow[slot] = Int32(truncatingIfNeeded: row)
            }
        } else {
            // Periods may need all 53 bits a double holds exactly, so the key keeps both parts whole.
            var seen = [UnitPeriod: Int](minimumCapacity: rows)
            for row in 0..<rows {
                let key = UnitPeriod(unit: unitCodes[row], period: periods[row])
                if let first = seen[key] {
                    throw PanelError("\(source): unit \(unitLabels[Int(unitCodes[row])]) is observed twice in period \(periods[row]) of '\(time)' (rows \(first + 1) and \(row + 1))")
                }
                seen[key] = row
            }
        }
        var cohorts = [Int?]()
        var derived = false
        var neverTreated = NeverTreatedCode.zero
        switch treatment {
        case .none:
            break
        case let .cohort(name, code):
            let values = try Self.integerColumn(column(name), name: name, role: "cohort", source: source, allowMissing: true)
            if code == nil {
                try Self.checkDefaultNeverTreatedCode(values, column: name, periods: periods, unitCodes: unitCodes,
                                                      unitLabels: unitLabels, source: source)
            }
            neverTreated = code ?? .zero
            var assigned = [Int?](repeating: nil, count: unitLabels.count)
            var firstRow = [Int](repeating: -1, count: unitLabels.count)
            for row in 0..<rows {
                let unitCode = Int(unitCodes[row])
                let cohort = values[row].flatMap { neverTreated.marksNeverTreated($0) ? nil : $0 }
                if firstRow[unitCode] < 0 {
                    firstRow[unitCode] = row
                    assigned[unitCode] = cohort
                } else if assigned[unitCode] != cohort {
                    let earlier = assigned[unitCode].map(String.init) ?? "never"
                    let later = cohort.map(String.init) ?? "never"
                    throw PanelError("\(source): cohort column '\(name)' is not constant within unit \(unitLabels[unitCode]): \(earlier) at row \(firstRow[unitCode] + 1), \(later) at row \(row + 1)")
                }
            }
            cohorts = assigned
        case let .treatment(name):
            derived = true
            let values = try Self.integerColumn(column(name), name: name, role: "treatment", source: source, allowMissing: true)
            var assigned = [Int?](repeating: nil, count: unitLabels.count)
            for row in 0..<rows {
                guard let value = values[row] else { continue }
                guard value == 0 || value == 1 else {
                    throw PanelError("\(source): treatment column '\(name)' must be 0 or 1: row \(row + 1) has \(value)")
                }
                let unitCode = Int(unitCodes[row])
                if value == 1, assigned[unitCode].map({ periods[row] < $0 }) ?? true {
                    assigned[unitCode] = periods[row]
                }
            }
            cohorts = assigned
        }
        self.init(source: source, unitName: unit, timeName: time, unitCodes: unitCodes, unitLabels: unitLabels,
                  periods: periods, periodValues: Array(Set(periods)).sorted(), cohorts: cohorts,
                  cohortSource: treatment.column, cohortDerivedFromTreatment: derived)
        self.neverTreatedCode = neverTreated
    }

    /// The values of a column that must hold integers (periods, cohorts, 0/1 treatments).
    static func integerColumn(_ column: Column, name: String, role: String, source: String, allowMissing: Bool)
        throws(PanelError) -> [Int?]
    {
        switch column {
        case let .text(text):
            // An integer written out beyond 2^53 makes its column text (Column+ExactIntegers): say so.
            if let first = text.firstIntegerBeyondExactRange {
                throw PanelError("\(source): \(role) column '\(name)' has \(first.value) on line \(first.row), beyond ±2^53 = ±\(Int64(Column.largestExactInteger)), the largest integers a number in the data holds exactly")
            }
            let example = text.firstNonNumeric.map { " (line \($0.row) has '\($0.value)')" } ?? ""
            throw PanelError("\(source): \(role) column '\(name)' must hold integers, but it is text\(example)")
        case let .numeric(values):
            var result = [Int?](repeating: nil, count: values.count)
            for (row, value) in values.enumerated() {
                if value.isNaN {
                    if allowMissing { continue }
                    throw PanelError("\(source): \(role) column '\(name)' is missing at row \(row + 1)")
                }
                guard value == value.rounded() else {
                    throw PanelError("\(source): \(role) column '\(name)' must hold integers: row \(row + 1) has \(value)")
                }
                guard abs(value) <= Column.largestExactInteger else {
                    throw PanelError("\(source): \(role) column '\(name)' has \(label(value)) at row \(row + 1), beyond ±2^53 = ±\(Int64(Column.largestExactInteger)), the largest integers a number in the data holds exactly")
                }
                result[row] = Int(value)
            }
            return result
        }
    }

    /// A unit and a period, the key of the check that a unit appears once per period.
    struct UnitPeriod: Hashable {
        let unit: Int32
        let period: Int
    }

    static func label(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
