/// The yearly monitoring outcomes of a firm.
public enum Outcome: Int, CaseIterable, Sendable {
    /// Exports to the EU, USD.
    case exportEU
    /// Exports outside the EU, USD.
    case exportNonEU
    /// Permanent employees.
    case empPermanent
    /// Temporary (often seasonal) employees.
    case empTemporary
    /// Total sales (domestic plus exports), USD.
    case sales

    /// The CSV column name.
    public var column: String {
        switch self {
        case .exportEU: "export_eu"
        case .exportNonEU: "export_non_eu"
        case .empPermanent: "emp_permanent"
        case .empTemporary: "emp_temporary"
        case .sales: "sales"
        }
    }

    /// The unit of level effects.
    public var unit: String {
        switch self {
        case .exportEU, .exportNonEU, .sales: "USD"
        case .empPermanent, .empTemporary: "jobs"
        }
    }
}
