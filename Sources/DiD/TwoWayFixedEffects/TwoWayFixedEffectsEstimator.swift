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
// 3. One estimation and one inference behind both of TWFE's views: its effect set (the coefficient
//    as `simple`, the event study as `dynamic`, each with its own regression's t) and its
//    per-regression rows (`DiDRegressionView`), which are read from the effect set.

import Estimation
import Formula
import Inference
import LinearAlgebra
import PanelData
import Primitives

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
        var notes = [Diagnostic]()
        var twoByTwo: (fit: DiDDesign.FittedModel, index: Int, means: Double)? = nil
        if let post = try design.twoByTwoPeriod() { twoByTwo = try Self.twoByTwo(design: design, post: post, options: options) }
        let twfe = try design.fit(formulaTerms: [design.treatedName], options: options)
        let twfeIndex = try Self.index(twfe, term: design.treatedName, estimand: "twfe")
        notes += twfe.notes.map { Diagnostic(.note, .note, $0) }
        var study: EventStudy? = nil
        var warnings = [Diagnostic]()
        if options.eventStudy || (options.estimator == .all && timing.neverTreatedCount > 0) {
            let eventStudy = try Self.eventStudy(design: design, timing: timing, options: options)
            study = eventStudy
            warnings += eventStudy.warnings
            if eventStudy.test == nil {
                notes.append(Diagnostic(.pretrend, .note, "no pre-period coefficients besides the reference: the pre-trend test is not available"))
            }
            notes += eventStudy.fit.notes.map { Diagnostic(.note, .note, $0) }
        }
        var bacon: BaconDecomposition? = nil
        if options.decompose {
            let decomposition = try BaconDecomposition(design: design)
            bacon = decomposition
            if decomposition.forbiddenWeight > options.forbiddenWeightWarning {
                notes.append(Diagnostic(.forbiddenComparisons, .warning, "comparisons that use already-treated units as controls carry \(Int((decomposition.forbiddenWeight * 100).rounded()))% of the TWFE weight; with effects that change over time the TWFE estimate can be badly biased: prefer a heterogeneity-robust estimator"))
            }
        }
        let sample = Self.regressionSample(design: design, rows: twfe.fit.observationCount,
                                           panel: "all observed unit-periods with the outcome (unbalanced panels allowed)")
        // The event study's F test is TWFE's pre-trend test, held where every estimator holds its own.
        let result = Self.effects(twfe: twfe, twfeIndex: twfeIndex, eventStudy: study, design: design)
            .withPretrend(study?.test?.described("all pre-period event-study coefficients are zero (Wald F)"))
        // The 2x2 row through the same core, against its own regression's t.
        var rows = [DiDEstimate]()
        if let twoByTwo {
            let inference = EstimateInference(estimates: twoByTwo.fit.fit.coefficients, covariance: twoByTwo.fit.covariance,
                                              distribution: .studentT(degreesOfFreedom: twoByTwo.fit.degreesOfFreedom))
            let term = twoByTwo.fit.fit.coefficientNames[twoByTwo.index]
            rows.append(DiDEstimate(estimand: "2x2", term: term, eventTime: nil, inference.rows(level: options.confidenceLevel)[twoByTwo.index]))
        }
        rows += Self.regressionRows(result, twfeTerm: design.treatedName, eventStudy: study, level: options.confidenceLevel)
        return DiDEffectSet(result: result, sample: sample, notes: notes, pretrendWarnings: warnings,
                            regressionView: DiDRegressionView(estimates: rows,
                                                              // The four means check the least-squares 2x2 only; a Poisson 2x2 is a ratio of them.
                                                              differenceOfMeans: options.model == .linear ? twoByTwo?.means : nil,
                                                              pretrendTerms: study?.testTerms ?? [],
                                                              covariance: twfe.covariance.type.description, bacon: bacon))
    }

    /// TWFE's estimates in the shared shape: the overall coefficient as `simple`, the event study
    /// as `dynamic`, each tested against its own regression's t (the event study is a separate
    /// regression: its covariance with the overall coefficient is unknown, NaN).
    static func effects(twfe: DiDDesign.FittedModel, twfeIndex: Int, eventStudy: EventStudy?, design: DiDDesign) -> StaggeredResult {
        let timing = design.timing
        let treatedUnits = timing.structure.cohorts.filter { $0 != nil }.count
        var rows = [StaggeredEstimate(kind: .simple, estimate: twfe.fit.coefficients[twfeIndex], treatedUnits: treatedUnits,
                                      cohortCount: timing.cohorts.count)]
        var indices = [(fit: DiDDesign.FittedModel, index: Int)]()
        indices.append((twfe, twfeIndex))
        if let eventStudy {
            for term in eventStudy.terms {
                rows.append(.init(kind: .dynamic, eventTime: term.eventTime, estimate: eventStudy.fit.fit.coefficients[term.index],
                                  treatedUnits: term.treatedUnits, cohortCount: term.cohortCount))
                indices.append((eventStudy.fit, term.index))
            }
        }
        var covariance = Matrix(rows: rows.count, columns: rows.count, repeating: .nan)
        for (a, left) in indices.enumerated() {
            for (b, right) in indices.enumerated() where left.fit.fit.formula == right.fit.fit.formula {
                covariance[a, b] = left.fit.covariance.matrix[left.index, right.index]
            }
        }
        return StaggeredResult(estimator: .twfe, estimates: rows, covariance: covariance, degreesOfFreedom: twfe.degreesOfFreedom,
                               estimateDegreesOfFreedom: indices.map { Optional($0.fit.degreesOfFreedom) },
                               inference: InferenceDescription(method: "regression covariance \(twfe.covariance.type.description)" + (twfe.fit.isPoisson ? ", Poisson PML (log points)" : "")),
                               observationCount: twfe.fit.observationCount, clusterCount: twfe.covariance.clusterCounts.min(),
                               notes: [Diagnostic(.descriptive, .note, "TWFE compares later-treated with already-treated units too; with effects that vary across cohorts or grow over time it is biased")])
            // The coefficient's clustered variance as a sum over observations (the report's joint bootstrap).
            .withUnitInfluences(twfe.fit.core.clusterInfluence(coefficient: twfeIndex, covariance: twfe.covariance.type).map { [rows[0].label: $0] } ?? [:])
    }

    /// The per-regression rows of TWFE's coefficient and event study, read from its effect set
    /// (one inference for both views).
    static func regressionRows(_ result: StaggeredResult, twfeTerm: String, eventStudy: EventStudy?, level: Double) -> [DiDEstimate] {
        let inference = result.estimateInference.rows(level: level)
        var rows = [DiDEstimate(estimand: "twfe", term: twfeTerm, eventTime: nil, inference[0])]
        for (offset, term) in (eventStudy?.terms ?? []).enumerated() {
            var row = DiDEstimate(estimand: "event_study", term: term.term, eventTime: term.eventTime, inference[offset + 1])
            row.treatedUnits = term.treatedUnits
            row.cohortCount = term.cohortCount
            rows.append(row)
        }
        return rows
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
