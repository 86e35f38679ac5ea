/// Support effects on the log scale, one per latent component.
///
/// Sales are shifted through their domestic component; exports carry their own shifts, and
/// total sales add them up, so sales stay at least as large as exports.
struct LogShifts: Sendable, Equatable {
    var exportEU = 0.0
    var exportNonEU = 0.0
    var empPermanent = 0.0
    var empTemporary = 0.0
    var domesticSales = 0.0

    /// No support.
    static let zero = LogShifts()

    /// Effects of two programmes add on the log scale (no synergy term).
    static func + (lhs: LogShifts, rhs: LogShifts) -> LogShifts {
        LogShifts(
            exportEU: lhs.exportEU + rhs.exportEU,
            exportNonEU: lhs.exportNonEU + rhs.exportNonEU,
            empPermanent: lhs.empPermanent + rhs.empPermanent,
            empTemporary: lhs.empTemporary + rhs.empTemporary,
            domesticSales: lhs.domesticSales + rhs.domesticSales
        )
    }

    /// Every component multiplied by `factor`.
    func scaled(by factor: Double) -> LogShifts {
        LogShifts(
            exportEU: exportEU * factor, exportNonEU: exportNonEU * factor,
            empPermanent: empPermanent * factor, empTemporary: empTemporary * factor,
            domesticSales: domesticSales * factor
        )
    }
}
