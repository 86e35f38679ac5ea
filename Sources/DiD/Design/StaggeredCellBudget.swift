// The size of a staggered estimator's cells, judged before any of them is estimated.
//
// Goal: a design with hundreds of cohorts and periods (monthly data, or a period column that is
// really a date) is refused with the figure and what to do instead, as an `i()` term that would
// not fit is (ModelFrame.checkDesignMemory), rather than aborting on allocation after minutes.
// Callaway–Sant'Anna estimates one ATT(g,t) per cohort × period and keeps their joint covariance
// (cells × cells, with the aggregates); Sun–Abraham adds one indicator column per cohort × event
// time to the regression (rows × cells). Both grow with the square of the panel's length when
// every period starts a cohort: 300 cohorts × 300 periods is 90,000 cells, 65 GB for one
// covariance matrix.

import Estimation
import Foundation
import PanelData

/// Refuses a staggered estimation whose cells would not fit in memory.
public enum StaggeredCellBudget {
    /// The peak bytes of Callaway–Sant'Anna's inference with `cells` ATT(g,t) columns, `estimates`
    /// estimates (cells and aggregates), `units` units and `clusters` clusters: the influence
    /// functions and their cluster sums (units × cells), the map from cells to estimates and the
    /// scores mapped to the estimates (estimates × cells, clusters × estimates), and the joint
    /// covariance (estimates × estimates). Floating point, so that absurd sizes cannot overflow.
    public static func callawaySantAnnaBytes(cells: Int, estimates: Int, units: Int, clusters: Int) -> Double {
        let k = Double(cells), j = Double(estimates), n = Double(units), c = Double(clusters)
        return 8 * (n * k + c * k + j * k + c * j + 2 * j * j)
    }

    /// Throws when Callaway–Sant'Anna's cells would not fit in `budget`.
    public static func checkCallawaySantAnna(cells: Int, estimates: Int, units: Int, clusters: Int, cohorts: Int, periods: Int,
                                             budget: MemoryBudget = .machine) throws(PanelError) {
        let bytes = callawaySantAnnaBytes(cells: cells, estimates: estimates, units: units, clusters: clusters)
        guard !budget.allows(bytes) else { return }
        throw PanelError("Callaway–Sant'Anna would estimate \(cells) ATT(g,t) cells (\(cohorts) cohorts × \(periods) periods) and keep the joint covariance of \(estimates) estimates, about \(MemoryBudget.describe(bytes)) of memory, more than the \(budget.summary); \(remedy)")
    }

    /// The floating-point operations of Sun–Abraham's regression, dominated by the cross-product
    /// of the indicators (rows × cells²) and the cluster-robust sandwich (cells³).
    public static func sunAbrahamOperations(cells: Int, rows: Int) -> Double {
        let k = Double(cells), n = Double(rows)
        return n * k * k + k * k * k
    }

    /// The work above which Sun–Abraham is refused: about 2·10^12 operations, several minutes on
    /// two cores. It admits the designs the estimator is meant for (a 10^7-row panel with 20
    /// cohorts × 20 event times is 1.6·10^12) and refuses the degenerate ones where nearly every
    /// period starts a cohort (100 cohorts × 100 periods, 200 units: 2.9·10^12, over 6 minutes and
    /// 6 GB, for cells that each rest on one unit).
    public static let sunAbrahamOperationLimit = 2e12

    /// Throws when Sun–Abraham's cohort × event-time indicators would not fit in `budget`, or
    /// would take longer than `sunAbrahamOperationLimit` allows.
    public static func checkSunAbraham(cells: Int, rows: Int, cohorts: Int, budget: MemoryBudget = .machine) throws(PanelError) {
        let bytes = MemoryBudget.leastSquaresBytes(rows: rows, columns: cells)
        let design = "Sun–Abraham would add \(cells) cohort × event-time indicator columns (\(cohorts) cohorts) to a regression over \(rows) rows"
        if !budget.allows(bytes) {
            throw PanelError("\(design), about \(MemoryBudget.describe(bytes)) of memory, more than the \(budget.summary); \(remedy)")
        }
        let operations = sunAbrahamOperations(cells: cells, rows: rows)
        if operations > sunAbrahamOperationLimit {
            let power = Int(log10(operations).rounded(.down))
            let mantissa = String(format: "%.1f", operations / pow(10, Double(power)))
            throw PanelError("\(design), about \(mantissa)·10^\(power) floating-point operations (\(MemoryBudget.describe(bytes)) of memory), more than the 2·10^12 (several minutes) Quipu allows for it; \(remedy)")
        }
    }

    /// What an evaluator can do about a design with too many cells.
    static let remedy = "group the periods into coarser ones (years rather than months) or the cohorts into fewer, keep a window of periods with --subset, or use --estimator imputation, whose cost grows with the rows and not with the cells"
}
