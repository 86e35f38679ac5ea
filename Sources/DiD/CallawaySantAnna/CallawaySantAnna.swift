// Callaway & Sant'Anna (2021, J. Econometrics), "Difference-in-Differences with multiple time
// periods": one 2x2 comparison per cohort g and period t, ATT(g,t), each with its influence
// function, then aggregated (see CallawaySantAnna+Aggregation.swift).
//
// Goals, in order:
// 1. The numbers of R did 2.x `att_gt` with `panel = TRUE`: the same cells, base periods
//    ("varying": t − 1 before treatment, g − 1 − anticipation after; "universal": g − 1 −
//    anticipation throughout, with that cell normalised to 0), comparison groups (never treated;
//    or not yet treated by max(t, base) + anticipation, excluding g itself), the DRDID 2x2
//    estimators, and influence functions rescaled by n / n₁ to the whole panel.
// 2. Speed for a million units: each cell is one pass over the units of its cohort and comparison
//    group; the influence functions are one dense units × cells matrix, so that covariances and
//    the multiplier bootstrap are BLAS products.

import Dispatch
import Foundation
import LinearAlgebra
import PanelData

/// Each cohort's cells, stored by the thread that estimated them.
final class CohortResults: @unchecked Sendable {
    private(set) var values: [(cells: [CallawaySantAnnaCells.Cell], missing: [(reason: String, group: Int, time: Int)])]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: ([], []), count: count) }
    func store(_ index: Int, _ value: (cells: [CallawaySantAnnaCells.Cell], missing: [(reason: String, group: Int, time: Int)])) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }
}

/// A column-major buffer whose columns different threads fill.
struct SharedColumns: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<Double>
}

/// Options of the Callaway–Sant'Anna estimator.
public struct CallawaySantAnnaOptions: Sendable {
    /// Which units serve as comparisons.
    public enum Control: String, Sendable, CaseIterable {
        case never
        case notyet
    }
    /// The base period of pre-treatment cells.
    public enum BasePeriod: String, Sendable, CaseIterable {
        case varying
        case universal
    }
    public var control: Control = .never
    public var method: TwoByTwoMethod = .dr
    public var anticipation = 0
    public var basePeriod: BasePeriod = .varying
    /// Threads over cohorts (the results do not depend on it).
    public var threads = 1
    /// On panels with gaps, leave-one-out influence functions (CallawaySantAnna+LeaveOut.swift);
    /// false gives R did's in-sample ones.
    public var leaveOutOnGaps = true
    public init() {}
}

/// ATT(g,t) cells with their influence functions.
public struct CallawaySantAnnaCells: Sendable {
    /// One cell.
    public struct Cell: Sendable {
        public let group: Int
        public let time: Int
        public let basePeriod: Int
        public let att: Double
        public let treatedUnits: Int
        public let controlUnits: Int
        /// Whether the estimate exists (false: a note says why, the influence column is zero).
        public let identified: Bool
    }
    public let cells: [Cell]
    /// Influence functions, units × (cells + cohorts), column-major: one column per cell, then
    /// one indicator column per cohort in `basisCohorts` (the basis of every aggregate's influence).
    public let influence: Matrix
    /// The cohorts of the indicator columns.
    public let basisCohorts: [Int]
    /// Why cells could not be estimated.
    public let notes: [String]
    /// The estimable cohorts none of whose post-treatment cells could be estimated, with why
    /// (CallawaySantAnna+CovariateSupport.swift).
    public let unestimatedCohorts: [(cohort: Int, reasons: [String])]
}

/// The Callaway–Sant'Anna estimator.
public enum CallawaySantAnna {
    /// The panel's treated cohorts, in order.
    static func treatedCohorts(_ panel: UnitPanel) -> [Int] {
        Array(Set(panel.cohorts.filter { $0 != UnitPanel.neverTreated })).sorted()
    }

    /// The cohorts with a period before treatment (less anticipation), whose cells are estimated.
    static func estimableCohorts(_ cohorts: [Int], panel: UnitPanel, options: CallawaySantAnnaOptions) -> [Int] {
        cohorts.filter { g in panel.periods.contains { $0 + options.anticipation < g } }
    }

    /// The columns of the influence-function basis: one per ATT(g,t) cell of every cohort with a
    /// pre-treatment period, and one per cohort for its share of the treated (the aggregation
    /// weights' own influence).
    static func basisColumnCount(panel: UnitPanel, options: CallawaySantAnnaOptions) -> Int {
        let cohorts = treatedCohorts(panel)
        let perCohort = panel.periods.count - (options.basePeriod == .universal ? 0 : 1)
        return estimableCohorts(cohorts, panel: panel, options: options).count * perCohort + cohorts.count
    }

    /// Estimates every ATT(g,t) of the panel.
    public static func cells(panel: UnitPanel, options: CallawaySantAnnaOptions) throws(PanelError) -> CallawaySantAnnaCells {
        let periods = panel.periods, periodCount = periods.count
        let n = panel.unitCount
        let cohorts = treatedCohorts(panel)
        guard !cohorts.isEmpty else { throw PanelError("no treated cohort remains in the sample: nothing to estimate") }
        let neverCount = panel.cohorts.lazy.filter { $0 == UnitPanel.neverTreated }.count
        if options.control == .never && neverCount == 0 {
            throw PanelError("there are no never-treated units to compare with (--control never); use --control notyet to compare with units not yet treated")
        }
        let k = panel.covariateNames.count
        let first = options.basePeriod == .universal ? 0 : 1
        let estimable = estimableCohorts(cohorts, panel: panel, options: options)
        let perCohort = periodCount - first
        var influence = Matrix(rows: n, columns: basisColumnCount(panel: panel, options: options))
        var unitsByCohort = [Int: [Int]]()
        for unit in 0..<n { unitsByCohort[panel.cohorts[unit], default: []].append(unit) }
        let unitsOf = unitsByCohort
        let orderedGroups = unitsOf.keys.sorted()

        /// The cells of cohort `g`, written to influence columns from `columnOffset` on.
        @Sendable func cohortCells(_ g: Int, columnOffset: Int, columns: SharedColumns) -> (cells: [CallawaySantAnnaCells.Cell], missing: [(reason: String, group: Int, time: Int)]) {
            var found = [CallawaySantAnnaCells.Cell](), missing = [(reason: String, group: Int, time: Int)]()
            guard let baseIndex = periods.lastIndex(where: { $0 + options.anticipation < g }) else { return (found, missing) }
            var propensityCache: PropensityCache? = nil
            for currentIndex in first..<periodCount {
                let current = periods[currentIndex]
                let post = g <= current
                let base = (post || options.basePeriod == .universal) ? baseIndex : currentIndex - 1
                let threshold = max(current, periods[base]) + options.anticipation
                var members = unitsOf[g] ?? []
                let treatedCount = members.count
                for cohort in orderedGroups where cohort != g {
                    guard let units = unitsOf[cohort] else { continue }
                    let isControl = cohort == UnitPanel.neverTreated || (options.control == .notyet && cohort > threshold)
                    if isControl { members.append(contentsOf: units) }
                }
                let controlCount = members.count - treatedCount
                if base == currentIndex {
                    // Universal base: the reference cell is 0 by construction.
                    found.append(.init(group: g, time: current, basePeriod: periods[base], att: 0, treatedUnits: unitsOf[g]?.count ?? 0,
                                       controlUnits: controlCount, identified: false))
                    continue
                }
                guard controlCount > 0 else {
                    missing.append(("no comparison units", g, current))
                    found.append(.init(group: g, time: current, basePeriod: periods[base], att: .nan, treatedUnits: treatedCount,
                                       controlUnits: 0, identified: false))
                    continue
                }
                let outcome: TwoByTwoResult
                var rowUnits = [Int]()
                // Each row's group for the leave-one-out factor (see CallawaySantAnna+LeaveOut.swift).
                var rowGroups = [LeaveOutGroup]()
                var pairTreated = treatedCount
                var used = (treated: treatedCount, control: controlCount)
                if panel.comparison != .unbalanced {
                    if panel.comparison == .pairwise {
                        // Units observed in both periods of this comparison.
                        let treatedMembers = members[..<treatedCount].filter { !panel.outcome[$0 * periodCount + currentIndex].isNaN && !panel.outcome[$0 * periodCount + base].isNaN }
                        let controlMembers = members[treatedCount...].filter { !panel.outcome[$0 * periodCount + currentIndex].isNaN && !panel.outcome[$0 * periodCount + base].isNaN }
                        members = treatedMembers + controlMembers
                        pairTreated = treatedMembers.count
                        used = (treatedMembers.count, controlMembers.count)
                    }
                    var data = TwoByTwoData(change: [], treated: [], design: [], columns: k + 1)
                    data.change.reserveCapacity(members.count)
                    data.treated.reserveCapacity(members.count)
                    data.design.reserveCapacity(members.count * (k + 1))
                    for (position, unit) in members.enumerated() {
                        data.change.append(panel.outcome[unit * periodCount + currentIndex] - panel.outcome[unit * periodCount + base])
                        data.treated.append(position < pairTreated)
                        data.design.append(1)
                        for j in 0..<k { data.design.append(panel.covariates[unit * k + j]) }
                    }
                    outcome = data.estimate(options.method, propensityCache: &propensityCache, members: members)
                    rowUnits = members
                    rowGroups = data.treated.map { LeaveOutGroup(treated: $0, post: true) }
                } else {
                    var data = RepeatedCrossSectionData(outcome: [], post: [], treated: [], design: [], columns: k + 1)
                    used = (0, 0)
                    for (position, unit) in members.enumerated() {
                        let seen = !panel.outcome[unit * periodCount + base].isNaN || !panel.outcome[unit * periodCount + currentIndex].isNaN
                        if seen { if position < treatedCount { used.treated += 1 } else { used.control += 1 } }
                        for (periodIndex, isPost) in [(base, false), (currentIndex, true)] {
                            let value = panel.outcome[unit * periodCount + periodIndex]
                            guard !value.isNaN else { continue }
                            data.outcome.append(value)
                            data.post.append(isPost)
                            rowGroups.append(LeaveOutGroup(treated: position < treatedCount, post: isPost))
                            data.treated.append(position < treatedCount)
                            data.design.append(1)
                            for j in 0..<k { data.design.append(panel.covariates[unit * k + j]) }
                            rowUnits.append(unit)
                        }
                    }
                    outcome = data.estimate(options.method)
                }
                switch outcome {
                case let .estimate(att, cellInfluence):
                    // R did: the 2x2 influence function times n / n₁ (n₁ the comparison's units, or
                    // its rows when unbalanced), summed within units; on a panel with gaps each row
                    // also times its group's leave-one-out factor m / (m − 1).
                    let scale = Double(n) / Double(rowUnits.count)
                    let offset = (columnOffset + found.count) * n
                    let factors = panel.comparison == .balanced || !options.leaveOutOnGaps ? nil : leaveOutFactors(rowGroups, repeatedCrossSections: panel.comparison == .unbalanced)
                    for (position, unit) in rowUnits.enumerated() {
                        columns.pointer[offset + unit] += scale * (factors?[position] ?? 1) * cellInfluence[position]
                    }
                    found.append(.init(group: g, time: current, basePeriod: periods[base], att: att, treatedUnits: used.treated,
                                       controlUnits: used.control, identified: true))
                case let .notIdentified(reason):
                    missing.append((reason, g, current))
                    found.append(.init(group: g, time: current, basePeriod: periods[base], att: .nan, treatedUnits: used.treated,
                                       controlUnits: used.control, identified: false))
                }
            }
            return (found, missing)
        }

        // Cohorts are independent: each runs on its own thread and owns its influence columns, so
        // the results do not depend on the thread count. OpenBLAS stays single-threaded meanwhile
        // (a multi-threaded product rounds differently, and the process-wide count may change
        // while another caller's scope ends; see BLASThreads), so that a library caller with
        // several BLAS threads gets the same digits as the command line.
        BLASThreads.enterSingleThreaded()
        defer { BLASThreads.leaveSingleThreaded() }
        let results = CohortResults(count: estimable.count)
        influence.values.withUnsafeMutableBufferPointer { buffer in
            let columns = SharedColumns(pointer: buffer)
            let threads = max(1, min(options.threads, estimable.count))
            if threads == 1 {
                for (index, g) in estimable.enumerated() { results.store(index, cohortCells(g, columnOffset: index * perCohort, columns: columns)) }
            } else {
                DispatchQueue.concurrentPerform(iterations: estimable.count) { index in
                    results.store(index, cohortCells(estimable[index], columnOffset: index * perCohort, columns: columns))
                }
            }
        }
        let cells = results.values.flatMap(\.cells)
        var skipped = [String: [String]]()
        for cell in results.values.flatMap(\.missing) { skipped[cell.reason, default: []].append("(\(cell.group), \(cell.time))") }
        guard cells.contains(where: { $0.identified }) else {
            let reasons = skipped.keys.sorted().joined(separator: "; ")
            throw PanelError("no ATT(g,t) could be estimated: \(reasons.isEmpty ? "no cohort has a pre-treatment period" : reasons)")
        }
        influence.values.withUnsafeMutableBufferPointer { buffer in
            for (index, g) in cohorts.enumerated() {
                let base = (estimable.count * perCohort + index) * n
                for unit in 0..<n where panel.cohorts[unit] == g { buffer[base + unit] = 1 }
            }
        }
        let notes = skipped.keys.sorted().map { reason in
            "ATT(g,t) not estimated for \(skipped[reason]?.joined(separator: ", ") ?? ""): \(reason)"
        }
        let droppedCohorts = cohorts.filter { g in !periods.contains { $0 + options.anticipation < g } }
        return CallawaySantAnnaCells(cells: cells, influence: influence, basisCohorts: cohorts,
                                     notes: notes + droppedCohorts.map { "cohort \($0) has no pre-treatment period and was left out" },
                                     unestimatedCohorts: unestimatedCohorts(cells: cells, missing: results.values.flatMap(\.missing), anticipation: options.anticipation))
    }
}
