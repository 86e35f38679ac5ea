import Estimation
import Inference
import PanelData

/// The data of an imputation (Borusyak–Jaravel–Spiess) estimate: a long panel, one entry per row,
/// with each unit's cohort.
public struct ImputationInput: Sendable {
    /// Each row's unit, as a dense code `0..<unitCount`.
    public var unitCodes: [Int32]
    /// The number of units.
    public var unitCount: Int
    /// Each row's calendar period.
    public var periods: [Int]
    /// Each unit's cohort: its first treated period, or nil for never treated.
    public var cohorts: [Int?]
    /// Each row's outcome; finite (rows with a missing outcome are dropped by the caller).
    public var outcome: [Double]
    /// Further fixed effects over the same rows, such as year^size_class; may be empty.
    public var extraFixedEffects: [Factor]
    /// The clusters of the standard errors; nil clusters by unit.
    public var clusters: ClusterVariable?
    /// Periods of anticipation: a row counts as treated from period `cohort - anticipation` on.
    public var anticipation: Int
    /// The pre-trend test's leads, -1 to -pretrendLeads before the (anticipation-shifted)
    /// treatment start; 0 skips the test.
    public var pretrendLeads: Int
    /// The unit and time variables' names, for messages.
    public var unitName: String, timeName: String
    /// On a panel with gaps, τ̄ leaves out the row's own cluster (ImputationDiD+Variance.swift);
    /// false keeps the in-sample τ̄ of diff-diff and did_imputation's default.
    public var leaveOutOnGaps = true

    /// Creates the input; `estimate` validates it.
    public init(unitCodes: [Int32], unitCount: Int, periods: [Int], cohorts: [Int?], outcome: [Double],
                extraFixedEffects: [Factor] = [], clusters: ClusterVariable? = nil, anticipation: Int = 0,
                pretrendLeads: Int = 3, unitName: String = "unit", timeName: String = "period") {
        self.unitCodes = unitCodes
        self.unitCount = unitCount
        self.periods = periods
        self.cohorts = cohorts
        self.outcome = outcome
        self.extraFixedEffects = extraFixedEffects
        self.clusters = clusters
        self.anticipation = anticipation
        self.pretrendLeads = pretrendLeads
        self.unitName = unitName
        self.timeName = timeName
    }

    /// The number of rows.
    public var rowCount: Int { outcome.count }

    /// Whether some unit lacks a row in some period of the input (a panel with gaps, entries or
    /// exits): the variance then takes τ̄ leaving out the row's own cluster (ImputationDiD+Variance).
    var hasGaps: Bool {
        let periodCount = Set(periods).count
        var rowsPerUnit = [Int](repeating: 0, count: unitCount)
        for code in unitCodes { rowsPerUnit[Int(code)] += 1 }
        return rowsPerUnit.contains { $0 != periodCount }
    }

    /// The largest magnitude of a period, cohort or anticipation, and the most pre-trend leads.
    static let periodBound = 1_000_000_000_000
    static let leadLimit = 1_000

    /// The first period in which `unit`'s rows count as treated (cohort minus anticipation), or
    /// nil for a never-treated unit.
    func treatmentStart(ofUnit unit: Int) -> Int? {
        cohorts[unit].map { $0 - anticipation }
    }

    /// Whether row `row` counts as treated.
    func isTreated(row: Int) -> Bool {
        guard let start = treatmentStart(ofUnit: Int(unitCodes[row])) else { return false }
        return periods[row] >= start
    }

    /// The clusters of the standard errors: the given ones, or the units.
    var effectiveClusters: ClusterVariable {
        clusters ?? ClusterVariable(name: unitName, codes: unitCodes, count: unitCount)
    }

    /// Checks that every array matches the rows and every code lies in range, naming what does not.
    func validate() throws(PanelError) {
        let rows = rowCount
        guard rows > 0 else { throw PanelError("imputation: the panel has no rows") }
        guard unitCodes.count == rows, periods.count == rows else {
            throw PanelError("imputation: \(rows) outcomes but \(unitCodes.count) \(unitName) codes and \(periods.count) \(timeName) values; every row needs all three")
        }
        guard cohorts.count == unitCount else {
            throw PanelError("imputation: \(cohorts.count) cohorts for \(unitCount) units of '\(unitName)'; give one cohort (or nil) per unit")
        }
        // Bounds keep every period difference far from integer overflow.
        guard anticipation >= 0 && anticipation <= Self.periodBound else {
            throw PanelError("imputation: anticipation must be between 0 and \(Self.periodBound) periods, not \(anticipation)")
        }
        guard pretrendLeads >= 0 && pretrendLeads <= Self.leadLimit else {
            throw PanelError("imputation: the pre-trend test takes 0 to \(Self.leadLimit) leads, not \(pretrendLeads)")
        }
        for (unit, cohort) in cohorts.enumerated() {
            if let cohort, abs(cohort) > Self.periodBound {
                throw PanelError("imputation: the cohort of \(unitName) code \(unit) is \(cohort); periods and cohorts must lie within ±\(Self.periodBound)")
            }
        }
        for row in 0..<rows {
            let unit = Int(unitCodes[row])
            guard unit >= 0, unit < unitCount else {
                throw PanelError("imputation: row \(row + 1) has \(unitName) code \(unit), outside 0..<\(unitCount)")
            }
            guard abs(periods[row]) <= Self.periodBound else {
                throw PanelError("imputation: row \(row + 1) has \(timeName) \(periods[row]); periods and cohorts must lie within ±\(Self.periodBound)")
            }
            guard outcome[row].isFinite else {
                throw PanelError("imputation: the outcome of row \(row + 1) (\(unitName) code \(unit), \(timeName) \(periods[row])) is not finite; drop missing outcomes first")
            }
        }
        for factor in extraFixedEffects {
            guard factor.observationCount == rows else {
                throw PanelError("imputation: fixed effect '\(factor.name)' has \(factor.observationCount) values for \(rows) rows")
            }
            for code in factor.codes where code < 0 || Int(code) >= factor.levelCount {
                throw PanelError("imputation: fixed effect '\(factor.name)' has code \(code), outside 0..<\(factor.levelCount)")
            }
        }
        if let clusters {
            guard clusters.codes.count == rows else {
                throw PanelError("imputation: cluster variable '\(clusters.name)' has \(clusters.codes.count) values for \(rows) rows")
            }
            for code in clusters.codes where code < 0 || Int(code) >= clusters.levelCount {
                throw PanelError("imputation: cluster variable '\(clusters.name)' has code \(code), outside 0..<\(clusters.levelCount)")
            }
        }
    }
}
