/// One firm-year's outcome values; all present or, in the monitoring gap, all missing.
public struct OutcomeValues: Sendable, Equatable {
    /// Exports to the EU, whole USD.
    public var exportEU: Int64
    /// Exports outside the EU, whole USD.
    public var exportNonEU: Int64
    /// Permanent employees.
    public var empPermanent: Int64
    /// Temporary employees.
    public var empTemporary: Int64
    /// Total sales, whole USD.
    public var sales: Int64

    /// The value of one outcome.
    public subscript(outcome: Outcome) -> Int64 {
        switch outcome {
        case .exportEU: exportEU
        case .exportNonEU: exportNonEU
        case .empPermanent: empPermanent
        case .empTemporary: empTemporary
        case .sales: sales
        }
    }
}
