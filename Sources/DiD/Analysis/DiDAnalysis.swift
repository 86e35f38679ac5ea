// `quipu did`: validates a difference-in-differences design once, runs each chosen estimator on it
// through one protocol, and gathers their effect sets into the results the report shows.
//
// The shape (pyfixest's `pyfixest/did/`: one base, one estimator per file beside it):
// - Design/: the validated design every estimator reads (DiDDesign, TreatmentTiming, UnitPanel,
//   OutcomeColumn, DiDOptions).
// - Core/: the protocol (DiDEstimator) and what estimators return (DiDEffectSet, holding a
//   StaggeredResult and a StaggeredSample), and DiDResults, what `quipu did` reports.
// - One folder per estimator, each with one conforming type: TwoWayFixedEffects/ (the 2x2, TWFE
//   and the event study; with `--decompose` the Goodman-Bacon diagnostic from Bacon/),
//   CallawaySantAnna/ (on the 2x2 comparisons of TwoByTwo/), SunAbraham/, Imputation/.
// - Analysis/ (this folder): `run` below, and the steps after the estimators in
//   DiDAnalysis+Steps.swift (which estimators, the auto headline, `--combine`, warnings).
//
// Goals, in order:
// 1. One path for every estimator: `run` has no branch per estimator; what differs lives in the
//    estimator's folder, and a new estimator needs one folder and one conformance.
// 2. Clear refusals where DiD is not defined, before any estimator runs: a treatment that
//    switches off, no controls, cohorts outside the panel, an anticipation that leaves no
//    pre-treatment period.
// 3. Errors independent of the headline: the estimators run in one fixed order (TWFE,
//    Callaway–Sant'Anna, Sun–Abraham, imputation), so that the first failure is the same error
//    whichever of them is reported first.

import Estimation
import Formula
import Inference
import PanelData
import Primitives

/// Runs a difference-in-differences analysis.
public enum DiDAnalysis {
    /// Runs the estimators `options.estimator` chooses on the design of `original`, and the steps
    /// that compare and combine their effect sets.
    public static func run(table original: DataTable, unit: String, time: String, treatment: TreatmentSpecification,
                           options: DiDOptions) throws -> DiDResults
    {
        var table = original
        var notes = [Diagnostic]()
        if options.balance {
            let structure = try PanelStructure(table: table, unit: unit, time: time, treatment: treatment)
            let (balanced, kept) = try balancedTable(table, structure: structure, outcome: options.outcome, covariates: options.covariates)
            notes.append(Diagnostic(.design, .note, "balanced panel: kept \(kept) of \(structure.unitCount) units, those observed with the outcome in all \(structure.periodValues.count) periods"))
            table = balanced
        }
        let structure = try PanelStructure(table: table, unit: unit, time: time, treatment: treatment)
        var treatmentValues: [Double]? = nil
        if case let .treatment(name) = treatment, case let .numeric(values)? = table.column(named: name) {
            treatmentValues = values
        }
        // A switching treatment (dcdh) has no cohorts: its estimator reads the treatment's path.
        let timing = options.switching != nil ? TreatmentTiming(switching: structure)
            : try TreatmentTiming(structure: structure, treatmentColumn: treatment.column, treatmentValues: treatmentValues)
        let design = try DiDDesign(table: table, timing: timing, options: options)
        if options.effect == .proportional { try DiDEffectScale.checkProportional(design.outcomeColumn, source: table.source) }
        var estimators = chosenEstimators(options.estimator, cohortCount: timing.cohorts.count, model: options.model)
        // The extended TWFE takes --fe with least squares only: auto and all run without it rather than fail on it.
        if options.estimator != .etwfe && !options.extraFixedEffects.isEmpty && options.model != .linear && estimators.contains(.etwfe) {
            estimators.removeAll { $0 == .etwfe }
            notes.append(Diagnostic(.design, options.estimator == .auto ? .warning : .note,
                                    "the extended TWFE takes --fe with --model linear only, so it is left out" + (options.estimator == .auto
                                        ? ": TWFE alone, which is biased when effects differ by cohort and grow with time; drop --fe for the robust headline" : "")))
        }
        notes += try designWarnings(timing: timing, options: options, estimators: estimators)

        var effects = [StaggeredEstimator: DiDEffectSet]()
        for id in StaggeredEstimator.allCases where estimators.contains(id) {
            let effectSet = try conformance(for: id).estimate(design)
            notes += effectSet.notes
            effects[id] = effectSet
        }
        // Headline first, from here on.
        let chosen = estimators.compactMap { id in effects[id].map { (id: id, effects: $0) } }
        let results = chosen.map(\.effects.result)

        let pretrendWarnings = chosen.flatMap { $0.effects.pretrendWarnings ?? [] }
            + chosen.filter { $0.effects.pretrendWarnings == nil }.flatMap { leadWarnings($0.effects.result) }
        var headline: String? = nil
        if options.estimator == .auto && estimators.count > 1 {
            headline = try autoHeadline(design: design, options: options, results: effects.mapValues(\.result))
        }
        let combinations = try combine(options.combinations, results: results)
        if let warning = fewClustersWarning(results, unit: unit, time: time, options: options) {
            notes.append(Diagnostic(.fewClusters, .warning, warning))
        }

        var sizes = timing.cohorts.map { cohort in (cohort: Optional(cohort), units: structure.cohorts.filter { $0 == cohort }.count) }
        sizes.append((cohort: nil, units: timing.neverTreatedCount))
        if options.switching != nil, let sample = chosen.first?.effects.sample { sizes = sample.unitsPerCohort }
        // The header states the regression estimator's sample and covariance when one ran (TWFE),
        // else the headline's.
        let regression = chosen.first { $0.effects.regressionView != nil }?.effects
        let lead = regression?.result ?? results.first
        let rows = regression?.regressionView?.estimates ?? []
        let eventStudy = rows.contains { $0.estimand == "event_study" }
        var analysis = DiDResults(
            outcome: options.outcome, unit: unit, time: time,
            covariance: (regression?.regressionView?.covariance).map { InferenceDescription(method: $0) } ?? lead?.inference
                ?? InferenceDescription(method: options.covariance.description),
            observationCount: lead?.observationCount ?? 0, clusterCount: lead?.clusterCount,
            cohortSizes: sizes, estimates: rows, differenceOfMeans: regression?.regressionView?.differenceOfMeans,
            pretrendTerms: regression?.regressionView?.pretrendTerms ?? [],
            referencePeriod: eventStudy ? options.referencePeriod : nil, window: eventStudy ? options.window : nil,
            bacon: regression?.regressionView?.bacon, notes: Diagnostic.deduplicatedNotes(notes))
        analysis.estimators = estimators
        analysis.staggered = results
        analysis.samples = chosen.map { ($0.id, $0.effects.sample) }
        analysis.combinations = combinations
        analysis.headline = headline
        analysis.confidenceLevel = options.confidenceLevel
        analysis.pretrendWarnings = pretrendWarnings
        analysis.pretrendPowers = results.compactMap { pretrendPower($0, options: options) }
        analysis.model = options.model
        analysis.effect = options.effect
        analysis.switchingTreatment = chosen.lazy.compactMap(\.effects.switchingTreatment).first
        return analysis
    }

    /// The rows of units observed, with the outcome and covariates present, in every period.
    static func balancedTable(_ table: DataTable, structure: PanelStructure, outcome: String, covariates: [String]) throws -> (DataTable, Int) {
        var present = try OutcomeColumn(outcome: outcome, table: table).values.map { !$0.isNaN }
        for covariate in covariates {
            if case let .numeric(values)? = table.column(named: covariate) {
                for row in values.indices where values[row].isNaN { present[row] = false }
            }
        }
        var complete = [Int](repeating: 0, count: structure.unitCount)
        for row in 0..<structure.rowCount where present[row] { complete[Int(structure.unitCodes[row])] += 1 }
        let periods = structure.periodValues.count
        let keep = (0..<structure.rowCount).map { complete[Int(structure.unitCodes[$0])] == periods }
        let kept = complete.filter { $0 == periods }.count
        guard kept > 0 else { throw PanelError("\(table.source): no unit is observed with '\(outcome)' in all \(periods) periods: the balanced panel is empty") }
        let columns = table.columns.map { column -> Column in
            switch column {
            case let .numeric(values): return .numeric(values.indices.filter { keep[$0] }.map { values[$0] })
            case let .text(text):
                return .text(TextColumn(codes: text.codes.indices.filter { keep[$0] }.map { text.codes[$0] }, levels: text.levels))
            }
        }
        return (DataTable(source: table.source, names: table.names, columns: columns, rowCount: keep.filter { $0 }.count), kept)
    }
}
