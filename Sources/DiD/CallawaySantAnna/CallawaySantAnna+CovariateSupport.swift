// Which treated units and cohorts Callaway–Sant'Anna's estimates rest on once covariates enter
// (issue 25, point 4): a cohort whose every post-treatment ATT(g,t) fails (the covariates separate
// its units from the comparison, are collinear within it, or leave no comparison) drops out of
// every aggregate without changing the aggregate's name, so that "the ATT" silently describes a
// few cohorts. R did says so only cell by cell, in warnings; here the sample kept is counted
// against the sample the estimator had without covariates, said in one warning, and put in the
// JSON (`sample[].covariate_support`).

import PanelData
import Primitives

extension Diagnostic.Code {
    /// Covariates left cohorts or treated units of Callaway–Sant'Anna's sample without an estimate.
    public static let covariateSampleLoss = Diagnostic.Code("covariate_sample_loss")
    /// The cohorts none of whose post-treatment ATT(g,t) could be estimated, and why (merged into
    /// the `covariate_sample_loss` warning by CallawaySantAnnaEstimator when covariates are given).
    static let unestimatedCohorts = Diagnostic.Code("unestimated_cohorts")
}

/// The treated units and cohorts an estimate with covariates kept, of those it had without them.
public struct CovariateSupport: Sendable, Equatable {
    /// The covariates as given.
    public var covariates: [String]
    public var treatedUnitsKept: Int, treatedUnitsAvailable: Int
    public var cohortsKept: Int, cohortsAvailable: Int
    /// Why the others were lost, one phrase each.
    public var reasons: [String]
}

extension CallawaySantAnna {
    /// The cohorts with a post-treatment cell none of which was estimated, with the distinct reasons
    /// of those cells in the order they arose.
    static func unestimatedCohorts(cells: [CallawaySantAnnaCells.Cell], missing: [(reason: String, group: Int, time: Int)],
                                   anticipation: Int) -> [(cohort: Int, reasons: [String])]
    {
        var postCells = [Int: (any: Bool, identified: Bool)]()
        for cell in cells where cell.time >= cell.group {
            let seen = postCells[cell.group] ?? (false, false)
            postCells[cell.group] = (true, seen.identified || (cell.identified && cell.att.isFinite))
        }
        return postCells.keys.sorted().compactMap { cohort in
            guard let seen = postCells[cohort], seen.any, !seen.identified else { return nil }
            var reasons = [String]()
            for cell in missing where cell.group == cohort && cell.time >= cohort && !reasons.contains(cell.reason) { reasons.append(cell.reason) }
            return (cohort, reasons)
        }
    }

    /// A note naming the cohorts without any post-treatment estimate and why, when covariates
    /// entered (without them such cohorts are the panel's own limits, already in the cell notes).
    static func unestimatedCohortsNote(_ cells: CallawaySantAnnaCells, panel: UnitPanel) -> [Diagnostic] {
        guard !panel.covariateNames.isEmpty, !cells.unestimatedCohorts.isEmpty else { return [] }
        let text = cells.unestimatedCohorts.map { entry in
            let units = panel.cohorts.lazy.filter { $0 == entry.cohort }.count
            return "cohort \(entry.cohort) (\(units) unit\(units == 1 ? "" : "s")): \(entry.reasons.joined(separator: "; "))"
        }
        return [Diagnostic(.unestimatedCohorts, .note, text.joined(separator: "; "))]
    }
}

extension CallawaySantAnnaEstimator {
    /// The covariate support of `result` (kept: treated units of cohorts with an estimated
    /// post-treatment ATT(g,t); available: the panel's treated units without the covariates) and
    /// the warning that says it, replacing the core's note on unestimated cohorts; nil and the
    /// notes unchanged when the covariates cost no treated unit or cohort.
    static func covariateSupport(_ result: StaggeredResult, panel: UnitPanel, available: UnitPanel, covariates: [String])
        -> (support: CovariateSupport, notes: [Diagnostic])?
    {
        let treatedCohorts = { (panel: UnitPanel) in panel.cohorts.filter { $0 != UnitPanel.neverTreated } }
        let kept = Set(result.estimates.filter { $0.kind == .attGT && $0.estimate.isFinite && ($0.time ?? .min) >= ($0.group ?? .max) }.compactMap(\.group))
        let keptUnits = treatedCohorts(panel).filter { kept.contains($0) }.count
        let availableTreated = treatedCohorts(available)
        let availableCohorts = Set(availableTreated).count
        guard keptUnits < availableTreated.count || kept.count < availableCohorts else { return nil }
        var reasons = [String]()
        let lacking = availableTreated.count - treatedCohorts(panel).count
        if lacking > 0 { reasons.append("\(lacking) treated unit\(lacking == 1 ? "" : "s") lack a value of the covariates") }
        let cohortNote = result.notes.first { $0.code == .unestimatedCohorts }
        if let cohortNote { reasons.append("no post-treatment ATT(g,t) could be estimated for " + cohortNote.message) }
        let support = CovariateSupport(covariates: covariates, treatedUnitsKept: keptUnits, treatedUnitsAvailable: availableTreated.count,
                                       cohortsKept: kept.count, cohortsAvailable: availableCohorts, reasons: reasons)
        let names = covariates.joined(separator: ", ")
        let warning = Diagnostic(.covariateSampleLoss, .warning,
                                 "with covariates \(names), Callaway–Sant'Anna's estimates rest on \(keptUnits) of the \(availableTreated.count) treated units and \(kept.count) of the \(availableCohorts) cohorts it has without them"
                                    + (reasons.isEmpty ? "" : " (" + reasons.joined(separator: "; ") + ")")
                                    + ": every aggregate describes those cohorts only; drop or coarsen the covariates, or use --estimator imputation or twostage")
        return (support, result.notes.filter { $0.code != .unestimatedCohorts } + [warning])
    }
}
