/// The long-format panel that a Goodman-Bacon decomposition reads: one row per unit and period.
///
/// The four arrays are parallel: row `r` says that unit `unit[r]` had outcome `outcome[r]` in
/// period `time[r]`, and that the unit was first treated in period `cohort[r]` (`nil` = never
/// treated). Treatment is absorbing, so the treatment dummy is `D = 1{time >= cohort}`.
///
/// What ``BaconDecomposition/compute(_:options:)`` requires of it, and reports as a
/// ``BaconError`` otherwise:
/// - the panel is balanced: every unit has exactly one row for every period that appears
///   anywhere in the data (as in the paper, whose Theorem 1 is an identity for balanced panels
///   only). A missing unit-period is an error that names the first one missing; balancing the
///   panel (or refusing it) is the caller's decision, not the decomposition's;
/// - `cohort` is the same on every row of a unit;
/// - every outcome is finite.
///
/// Periods are integers but need not be consecutive (e.g. survey waves 2001, 2003, 2008): the
/// decomposition works on their order. Rows may come in any order.
public struct BaconInput: Sendable, Equatable {
    /// Unit (firm) identifier of each row.
    public let unit: [Int]
    /// Period of each row.
    public let time: [Int]
    /// Outcome of each row.
    public let outcome: [Double]
    /// First treated period of the row's unit; `nil` when the unit is never treated.
    ///
    /// A cohort after the last period behaves exactly like `nil` (the unit is untreated
    /// throughout the window), and every cohort at or before the first period makes the unit
    /// "always treated" within the window (see ``BaconOptions/AlwaysTreated``).
    public let cohort: [Int?]

    /// Creates the input from parallel arrays; their lengths are checked by `compute`.
    public init(unit: [Int], time: [Int], outcome: [Double], cohort: [Int?]) {
        self.unit = unit
        self.time = time
        self.outcome = outcome
        self.cohort = cohort
    }
}
