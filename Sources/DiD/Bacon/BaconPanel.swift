/// A checked, balanced panel in dense unit-by-period form: the decomposition's working copy.
///
/// Building one is where every data problem is found, so that the arithmetic afterwards
/// cannot fail: arrays of equal length, at least two periods and two units, finite outcomes,
/// one cohort per unit, and exactly one row per unit and period.
struct BaconPanel: Sendable {
    /// Distinct unit identifiers, ascending; unit index `i` means `units[i]`.
    let units: [Int]
    /// Distinct periods, ascending; period index `t` means `periods[t]`.
    let periods: [Int]
    /// Outcomes, unit-major: the outcome of unit index `i` in period index `t` is at `i * T + t`.
    let outcome: [Double]
    /// First treated period of each unit index (`nil` = never treated).
    let cohort: [Int?]

    var unitCount: Int { units.count }
    var periodCount: Int { periods.count }

    /// Checks the input and lays it out densely, or says what is wrong with it.
    init(_ input: BaconInput) throws(BaconError) {
        let rows = input.unit.count
        guard input.time.count == rows, input.outcome.count == rows, input.cohort.count == rows else {
            throw BaconError(.lengthMismatch,
                             "the input columns differ in length: unit has \(rows) values, time "
                                 + "\(input.time.count), outcome \(input.outcome.count), cohort "
                                 + "\(input.cohort.count); they must have one value per row")
        }
        guard rows > 0 else { throw BaconError(.emptyInput, "the panel has no rows") }

        let periodLabels = BaconLabels(input.time)
        let periods = periodLabels.values
        guard periods.count >= 2 else {
            throw BaconError(.tooFewPeriods,
                             "the panel has a single period (\(periods[0])); a difference-in-differences "
                                 + "needs at least two periods")
        }
        let unitLabels = BaconLabels(input.unit)
        let units = unitLabels.values
        guard units.count >= 2 else {
            throw BaconError(.tooFewUnits,
                             "the panel has a single unit (\(units[0])); a difference-in-differences "
                                 + "needs at least two units")
        }
        let unitOf = unitLabels.indexOfRow
        let periodOf = periodLabels.indexOfRow

        // Row-wise facts first: they name a single row, which is the most useful message.
        var cohort = [Int?](repeating: nil, count: units.count)
        var cohortRow = [Int](repeating: -1, count: units.count)
        for r in 0..<rows {
            guard input.outcome[r].isFinite else {
                throw BaconError(.nonFiniteOutcome,
                                 "the outcome is \(input.outcome[r]) for unit \(input.unit[r]) in period "
                                     + "\(input.time[r]) (row \(r + 1)); every outcome must be a finite number")
            }
            let i = unitOf[r]
            if cohortRow[i] < 0 {
                cohort[i] = input.cohort[r]
                cohortRow[i] = r
            } else if cohort[i] != input.cohort[r] {
                throw BaconError(.inconsistentCohort,
                                 "unit \(units[i]) has first treated period \(BaconPanel.describe(cohort[i])) "
                                     + "in row \(cohortRow[i] + 1) but \(BaconPanel.describe(input.cohort[r])) in "
                                     + "row \(r + 1); the cohort must be the same on all of a unit's rows")
            }
        }

        // A balanced panel has exactly units × periods rows. Only then is the dense layout
        // allocated, so that a malformed input (say, a distinct period on every row) cannot
        // ask for an enormous matrix; any other count is diagnosed without it.
        let (cells, overflow) = units.count.multipliedReportingOverflow(by: periods.count)
        guard !overflow, cells == rows else {
            throw BaconPanel.balanceError(units: units, periods: periods, unitOf: unitOf,
                                          periodOf: periodOf, expected: overflow ? nil : cells)
        }
        let T = periods.count
        var outcome = [Double](repeating: 0, count: cells)
        var rowAt = [Int](repeating: -1, count: cells)
        for r in 0..<rows {
            let cell = unitOf[r] * T + periodOf[r]
            guard rowAt[cell] < 0 else {
                throw BaconPanel.duplicateError(unit: units[unitOf[r]], period: periods[periodOf[r]],
                                                first: rowAt[cell], second: r)
            }
            rowAt[cell] = r
            outcome[cell] = input.outcome[r]
        }
        self.units = units
        self.periods = periods
        self.outcome = outcome
        self.cohort = cohort
    }

    /// The first duplicate or missing unit-period, in unit then period order.
    private static func balanceError(units: [Int], periods: [Int], unitOf: [Int], periodOf: [Int],
                                     expected: Int?) -> BaconError {
        let order = unitOf.indices.sorted {
            (unitOf[$0], periodOf[$0], $0) < (unitOf[$1], periodOf[$1], $1)
        }
        var k = 0
        for i in units.indices {
            for t in periods.indices {
                guard k < order.count, unitOf[order[k]] == i, periodOf[order[k]] == t else {
                    let size = expected.map { "\(units.count) units × \(periods.count) periods = \($0) rows" }
                        ?? "\(units.count) units × \(periods.count) periods"
                    return BaconError(.unbalancedPanel,
                                      "the panel is not balanced: unit \(units[i]) has no row for period "
                                          + "\(periods[t]) (\(size) expected, \(unitOf.count) found); the "
                                          + "decomposition is exact only for a balanced panel, so balance it "
                                          + "(drop units or periods) first")
                }
                k += 1
                if k < order.count, unitOf[order[k]] == i, periodOf[order[k]] == t {
                    return duplicateError(unit: units[i], period: periods[t], first: order[k - 1],
                                          second: order[k])
                }
            }
        }
        // Unreachable for a row count that differs from units × periods; kept total anyway.
        return BaconError(.unbalancedPanel, "the panel is not balanced")
    }

    private static func duplicateError(unit: Int, period: Int, first: Int, second: Int) -> BaconError {
        BaconError(.duplicateRow,
                   "unit \(unit) has two rows for period \(period) (rows \(first + 1) and \(second + 1)); "
                       + "the panel must have one row per unit and period")
    }

    private static func describe(_ cohort: Int?) -> String {
        cohort.map(String.init) ?? "none (never treated)"
    }
}
