import Foundation

/// Which value of a cohort column marks a never-treated unit, besides an empty cell.
///
/// By default 0 does (the convention of R did's `gname`, Stata csdid and quipu's simulated data),
/// but 0 can also be a period: with periods −1…3 a cohort of 0 could mean "treated from period 0",
/// and reading it as "never treated" would silently turn treated units into controls. So the
/// default is refused when 0 is inside the panel's period range and some unit has it; the user
/// then says which value marks never-treated units (`--never-treated`), or that only empty cells
/// do (`--never-treated none`).
public enum NeverTreatedCode: Sendable, Equatable, CustomStringConvertible {
    /// This value, and empty cells, mark never-treated units.
    case value(Int)
    /// Only empty cells mark never-treated units; every number is a first treated period.
    case emptyOnly

    /// The default code, 0.
    public static let zero = NeverTreatedCode.value(0)

    /// Parses `none` (empty cells only) or an integer, as the command line and the report spec give it.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if ["none", "empty", "na"].contains(trimmed.lowercased()) {
            self = .emptyOnly
        } else if let value = Int(trimmed) {
            self = .value(value)
        } else {
            return nil
        }
    }

    /// How describe and did state the convention: "0 or missing", "missing".
    public var description: String {
        switch self {
        case let .value(code): return "\(code) or missing"
        case .emptyOnly: return "missing"
        }
    }

    /// Whether `cohort` marks a never-treated unit.
    func marksNeverTreated(_ cohort: Int) -> Bool {
        if case let .value(code) = self { return cohort == code }
        return false
    }
}

extension PanelStructure {
    /// Refuses the default never-treated code 0 when it is also a period of the panel and some unit
    /// has it: the data cannot tell "treated from period 0" from "never treated". An explicit
    /// `--never-treated` settles the question, so it is taken as given.
    static func checkDefaultNeverTreatedCode(_ cohortValues: [Int?], column: String, periods: [Int], unitCodes: [Int32],
                                             unitLabels: [String], source: String) throws(PanelError) {
        guard let low = periods.min(), let high = periods.max(), (low...high).contains(0) else { return }
        var units = [String]()
        var seen = Set<Int32>()
        var firstRow = -1
        for (row, value) in cohortValues.enumerated() where value == 0 {
            if firstRow < 0 { firstRow = row }
            if seen.insert(unitCodes[row]).inserted { units.append(unitLabels[Int(unitCodes[row])]) }
        }
        guard firstRow >= 0 else { return }
        let shown = units.prefix(3).joined(separator: ", ") + (units.count > 3 ? " and \(units.count - 3) more" : "")
        throw PanelError("\(source): cohort column '\(column)' has 0 (row \(firstRow + 1); unit\(units.count == 1 ? "" : "s") \(shown)), and 0 is a period of the panel (\(low) to \(high)): "
            + "0 could mean 'treated from period 0' or 'never treated'. Say which with --never-treated (never_treated: in a report spec): "
            + "--never-treated 0 (0 means never treated), or --never-treated none (0 is period 0; only empty cells mark never-treated units), "
            + "or the value your never-treated units carry (e.g. --never-treated 9999)")
    }
}
