// Two-way fixed effects: the canonical 2x2 comparison, the TWFE estimate and the event-study
// profile, all as fixed-effects regressions on a panel with validated timing.
//
// Goals, in order:
// 1. Agreement with fixest/pyfixest: the same regressions (`y ~ D | unit + time`,
//    `y ~ i(event_time, ref = c(-1, never)) | unit + time`, `y ~ group * post`) give the same
//    numbers, because they run through the same estimator and covariance code as `quipu feols`
//    (pyfixest's `TWFE` class in `pyfixest/did/twfe.py` is the same regression).
// 2. Clear refusals where TWFE is not defined: a treatment indicator absorbed by the fixed
//    effects, an event study without never-treated units.
// 3. One estimation behind both of TWFE's views: its effect set (the coefficient as `simple`, the
//    event study as `dynamic`) and its per-regression rows (`DiDRegressionView`) come from the
//    same fits.

import Estimation
import Formula
import Inference
import LinearAlgebra
import PanelData

/// TWFE, with the 2x2 comparison when the design has one, the event study when asked for, and
/// the Goodman-Bacon decomposition of the TWFE estimate with `--decompose`.
///
/// Bacon is a diagnostic of this estimator, not an estimator of its own: it splits the TWFE
/// coefficient into weighted 2x2 comparisons, with no covariance, sample or effects that could be
/// tested or combined; as a `DiDEstimator` its rows would enter aggregates, `--combine` and the
/// few-cluster check as if they were effects.
struct TwoWayFixedEffectsEstimator: DiDEstimator {
    var id: StaggeredEstimator { .twfe }

    func estimate(_ design: DiDDesign) throws -> DiDEffectSet {
        let options = design.options
        let timing = design.timing
        var rows = [DiDEstimate]()
        var notes = [String]()
        var differenceOfMeans: Double? = nil
        if let post = try design.twoByTwoPeriod() {
            let (regression, means) = try Self.twoByTwo(design: design, post: post, options: options)
            rows.append(regression)
            // The four means check the least-squares 2x2 only; a Poisson 2x2 is a ratio of them.
            if options.model == .linear { differenceOfMeans = means }
        }
        let twfe = try design.fit(formulaTerms: [design.treatedName], options: options)
        rows.append(try Self.row(twfe, term: design.treatedName, estimand: "twfe", eventTime: nil, options: options))
        notes.append(contentsOf: twfe.notes)
        var eventStudy: DiDDesign.FittedModel? = nil
        var pretrend: WaldTestSummary? = nil
        var warnings = [String]()
        if options.eventStudy || (options.estimator == .all && timing.neverTreatedCount > 0) {
            let study = try Self.eventStudy(design: design, timing: timing, options: options)
            eventStudy = study.fit
            rows.append(contentsOf: study.rows)
            pretrend = study.test
            warnings += study.warnings
            if study.test == nil { notes.append("no pre-period coefficients besides the reference: the pre-trend test is not available") }
            notes.append(contentsOf: study.fit.notes)
        }
        var bacon: BaconDecomposition? = nil
        if options.decompose {
            let decomposition = try BaconDecomposition(design: design)
            bacon = decomposition
            if decomposition.forbiddenWeight > options.forbiddenWeightWarning {
                notes.append("warning: comparisons that use already-treated units as controls carry \(Int((decomposition.forbiddenWeight * 100).rounded()))% of the TWFE weight; with effects that change over time the TWFE estimate can be badly biased: prefer a heterogeneity-robust estimator")
            }
        }
        let sample = Self.regressionSample(design: design, rows: twfe.fit.observationCount,
                                           panel: "all observed unit-periods with the outcome (unbalanced panels allowed)")
        return DiDEffectSet(result: Self.effects(twfe: twfe, eventStudy: eventStudy, rows: rows, design: design), sample: sample,
                            notes: notes, pretrendWarnings: warnings,
                            regressionView: DiDRegressionView(estimates: rows, differenceOfMeans: differenceOfMeans, pretrendTest: pretrend,
                                                              covariance: twfe.covariance.type.description, bacon: bacon))
    }

    /// TWFE's estimates in the shared shape: the overall coefficient as `simple`, the event study
    /// as `dynamic` (from a separate regression: its covariance with the overall one is unknown).
    static func effects(twfe: DiDDesign.FittedModel, eventStudy: DiDDesign.FittedModel?, rows regressionRows: [DiDEstimate],
                        design: DiDDesign) -> StaggeredResult
    {
        let timing = design.timing
        var rows = [StaggeredEstimate]()
        var indices = [(fit: DiDDesign.FittedModel, index: Int)]()
        let treatedUnits = timing.structure.cohorts.filter { $0 != nil }.count
        if let index = twfe.fit.coefficientNames.firstIndex(of: design.treatedName) {
            rows.append(.init(kind: .simple, estimate: twfe.fit.coefficients[index], treatedUnits: treatedUnits, cohortCount: timing.cohorts.count))
            indices.append((twfe, index))
        }
        if let eventStudy {
            for row in regressionRows where row.estimand == "event_study" {
                guard let index = eventStudy.fit.coefficientNames.firstIndex(of: row.term) else { continue }
                rows.append(.init(kind: .dynamic, eventTime: row.eventTime, estimate: row.estimate, treatedUnits: row.treatedUnits ?? 0,
                                  cohortCount: row.cohortCount ?? 0))
                indices.append((eventStudy, index))
            }
        }
        var covariance = Matrix(rows: rows.count, columns: rows.count, repeating: .nan)
        for (a, left) in indices.enumerated() {
            for (b, right) in indices.enumerated() where left.fit.fit.formula == right.fit.fit.formula {
                covariance[a, b] = left.fit.covariance.matrix[left.index, right.index]
            }
        }
        return StaggeredResult(estimator: .twfe, estimates: rows, covariance: covariance, degreesOfFreedom: twfe.degreesOfFreedom,
                               inference: "regression covariance \(twfe.covariance.type.description)" + (twfe.fit.isPoisson ? ", Poisson PML (log points)" : ""),
                               observationCount: twfe.fit.observationCount, clusterCount: twfe.covariance.clusterCounts.min(),
                               notes: ["TWFE compares later-treated with already-treated units too; with effects that vary across cohorts or grow over time it is biased"])
    }

    /// The sample of a regression on the long panel: rows with the outcome, their units and cohorts.
    static func regressionSample(design: DiDDesign, rows: Int, panel: String) -> StaggeredSample {
        let structure = design.timing.structure
        let outcome = design.outcomeColumn
        var units = Set<Int32>()
        for row in 0..<structure.rowCount where !outcome.values[row].isNaN { units.insert(structure.unitCodes[row]) }
        let usable = outcome.values.lazy.filter { !$0.isNaN }.count
        var drops = outcome.drops()
        if usable > rows { drops.append(.init(reason: "singletons or other missing regression variables (fixest's rules)", rows: usable - rows, units: 0)) }
        return StaggeredSample(rowsRead: structure.rowCount, rows: rows, units: units.count,
                               unitsPerCohort: StaggeredSample.cohortCounts(units.map { structure.cohorts[Int($0)] }), drops: drops, panel: panel)
    }
}
