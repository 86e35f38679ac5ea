// Difference-in-differences: the canonical 2x2 comparison, the two-way fixed-effects estimate and
// the event-study profile, all as fixed-effects regressions on a panel with validated timing.
//
// Goals, in order:
// 1. Agreement with fixest/pyfixest: the same regressions (`y ~ D | unit + time`,
//    `y ~ i(event_time, ref = c(-1, never)) | unit + time`) give the same numbers, because they run
//    through the same estimator and covariance code as `quipu feols`.
// 2. Clear refusals where DiD is not defined: a treatment that switches off, no controls, cohorts
//    outside the panel, a reference period without observations.

import Estimation
import Formula
import Inference
import PanelData

/// Runs a difference-in-differences analysis.
public enum DiDAnalysis {
    /// Event time given to never-treated units: a level excluded from the indicators, so that these
    /// units serve as the control group of the event study (fixest's usual coding).
    static let neverTreatedEventTime = -1_000_000.0

    /// Runs the 2x2 (when defined), two-way fixed-effects and (optionally) event-study estimates.
    public static func run(table original: DataTable, unit: String, time: String, treatment: TreatmentSpecification,
                           options: DiDOptions) throws -> DiDResults
    {
        var table = original
        var notes = [String]()
        if options.balance {
            let structure = try PanelStructure(table: table, unit: unit, time: time, treatment: treatment)
            let (balanced, kept) = try balancedTable(table, structure: structure, outcome: options.outcome, covariates: options.covariates)
            notes.append("balanced panel: kept \(kept) of \(structure.unitCount) units, those observed with the outcome in all \(structure.periodValues.count) periods")
            table = balanced
        }
        let structure = try PanelStructure(table: table, unit: unit, time: time, treatment: treatment)
        var treatmentValues: [Double]? = nil
        if case let .treatment(name) = treatment, case let .numeric(values)? = table.column(named: name) {
            treatmentValues = values
        }
        let timing = try TreatmentTiming(structure: structure, treatmentColumn: treatment.column, treatmentValues: treatmentValues)
        let design = try DiDDesign(table: table, timing: timing, options: options)
        let estimators = chosenEstimators(options.estimator, cohortCount: timing.cohorts.count)
        let outcomeColumn = design.outcomeColumn
        let lonely = timing.cohorts.filter { cohort in structure.cohorts.lazy.filter { $0 == cohort }.count == 1 }
        if !lonely.isEmpty && estimators != [.twfe] {
            notes.append("warning: cohort(s) " + lonely.map(String.init).joined(separator: ", ") + " have a single unit: their effects rest on one unit's outcomes and their standard errors are unreliable")
        }
        if options.callawaySantAnna.anticipation > 0, let first = structure.periodValues.first,
           !timing.cohorts.contains(where: { $0 - options.callawaySantAnna.anticipation > first }) {
            throw PanelError("\(structure.source): --anticipation \(options.callawaySantAnna.anticipation) leaves no cohort a pre-treatment period (cohorts start \(timing.cohorts.first ?? 0)–\(timing.cohorts.last ?? 0), the panel starts in \(first)); use a smaller value")
        }
        var estimates = [DiDEstimate]()
        var differenceOfMeans: Double? = nil
        var pretrend: WaldTestSummary? = nil
        var bacon: BaconDecomposition? = nil
        var twfeFit: DiDDesign.FittedModel? = nil
        var staggered = [StaggeredEstimator: StaggeredResult]()
        var samples = [StaggeredEstimator: StaggeredSample]()
        var pretrendWarnings = [String]()

        if estimators.contains(.twfe) {
            if let post = try design.twoByTwoPeriod() {
                let (regression, means) = try twoByTwo(design: design, post: post, options: options)
                estimates.append(regression)
                // The four means check the least-squares 2x2 only; a Poisson 2x2 is a ratio of them.
                if options.model == .linear { differenceOfMeans = means }
            }
            let twfe = try design.fit(formulaTerms: [design.treatedName], options: options)
            twfeFit = twfe
            estimates.append(try estimate(twfe, term: design.treatedName, estimand: "twfe", eventTime: nil, options: options))
            notes.append(contentsOf: twfe.notes)
            var eventStudyFit: DiDDesign.FittedModel? = nil
            let wantsEventStudy = options.eventStudy || (options.estimator == .all && timing.neverTreatedCount > 0)
            if wantsEventStudy {
                let (fit, study, test, warnings) = try twfeEventStudy(design: design, timing: timing, options: options)
                eventStudyFit = fit
                estimates.append(contentsOf: study)
                pretrend = test
                pretrendWarnings += warnings
                if test == nil { notes.append("no pre-period coefficients besides the reference: the pre-trend test is not available") }
                notes.append(contentsOf: fit.notes)
            }
            if options.decompose {
                bacon = try decomposition(design: design, structure: structure)
                if let share = bacon?.forbiddenWeight, share > options.forbiddenWeightWarning {
                    notes.append("warning: comparisons that use already-treated units as controls carry \(Int((share * 100).rounded()))% of the TWFE weight; with effects that change over time the TWFE estimate can be badly biased: prefer a heterogeneity-robust estimator")
                }
            }
            staggered[.twfe] = twfeResult(twfe: twfe, eventStudy: eventStudyFit, estimates: estimates, design: design)
            samples[.twfe] = regressionSample(design: design, outcome: outcomeColumn, rows: twfe.fit.observationCount,
                                              panel: "all observed unit-periods with the outcome (unbalanced panels allowed)")
        }
        if estimators.contains(.callawaySantAnna) {
            let (result, sample) = try callawaySantAnna(table: table, structure: structure, outcome: outcomeColumn, options: options)
            staggered[.callawaySantAnna] = result
            samples[.callawaySantAnna] = sample
        }
        if estimators.contains(.sunAbraham) {
            var (result, sample) = try sunAbraham(design: design, options: options)
            sample.drops = outcomeColumn.drops() + sample.drops
            staggered[.sunAbraham] = result
            samples[.sunAbraham] = sample
        }
        if estimators.contains(.imputation) {
            var (result, sample) = try imputation(design: design, options: options)
            sample.drops = outcomeColumn.drops() + sample.drops
            staggered[.imputation] = result
            samples[.imputation] = sample
        }
        for estimator in estimators where estimator != .twfe {
            if let result = staggered[estimator] { pretrendWarnings += leadWarnings(result) }
        }
        var headline: String? = nil
        if options.estimator == .auto && estimators.count > 1 {
            headline = try autoHeadline(design: design, structure: structure, options: options, results: staggered)
        }
        var combinations = [StaggeredCombination]()
        for expression in options.combinations {
            var firstError: Error? = nil
            var found = false
            for estimator in estimators {
                guard let result = staggered[estimator] else { continue }
                do { combinations.append(try result.combine(expression)); found = true } catch { firstError = firstError ?? error }
            }
            if !found, let firstError { throw firstError }
        }
        if let warning = fewClustersWarning(estimators.compactMap { staggered[$0] }, unit: unit, time: time, options: options) {
            notes.append("warning: " + warning)
        }
        var sizes = timing.cohorts.map { cohort in (cohort: Optional(cohort), units: structure.cohorts.filter { $0 == cohort }.count) }
        sizes.append((cohort: nil, units: timing.neverTreatedCount))
        let lead = estimators.first.flatMap { staggered[$0] }
        var results = DiDResults(
            outcome: options.outcome, unit: unit, time: time,
            covariance: twfeFit?.covariance.type.description ?? lead?.inference ?? options.covariance.description,
            observationCount: twfeFit?.fit.observationCount ?? lead?.observationCount ?? 0,
            clusterCount: twfeFit?.covariance.clusterCounts.min() ?? lead?.clusterCount,
            cohortSizes: sizes, estimates: estimates, differenceOfMeans: differenceOfMeans, pretrendTest: pretrend,
            referencePeriod: estimates.contains { $0.estimand == "event_study" } ? options.referencePeriod : nil,
            window: estimates.contains { $0.estimand == "event_study" } ? options.window : nil, bacon: bacon, notes: Array(Set(notes)).sorted())
        results.estimators = estimators
        results.staggered = estimators.compactMap { staggered[$0] }
        results.samples = estimators.compactMap { estimator in samples[estimator].map { (estimator, $0) } }
        results.combinations = combinations
        results.headline = headline
        results.confidenceLevel = options.confidenceLevel
        results.pretrendWarnings = pretrendWarnings
        results.model = options.model
        return results
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

    /// The Goodman-Bacon decomposition of the TWFE estimate. It needs a balanced panel with the
    /// outcome present everywhere (as in the paper); otherwise the error names a missing unit and
    /// period, and the user can balance the panel first.
    static func decomposition(design: DiDDesign, structure: PanelStructure) throws -> BaconDecomposition {
        let outcome = design.outcomeColumn.values
        let rows = (0..<structure.rowCount).filter { !outcome[$0].isNaN }
        // Integer unit ids keep their own numbers, so that messages name the user's units.
        let labels = structure.unitLabels.enumerated().map { Int($1) ?? $0 }
        let distinct = Set(labels).count == labels.count
        let input = BaconInput(unit: rows.map { distinct ? labels[Int(structure.unitCodes[$0])] : Int(structure.unitCodes[$0]) }, time: rows.map { structure.periods[$0] },
                               outcome: rows.map { outcome[$0] },
                               cohort: rows.map { structure.cohorts[Int(structure.unitCodes[$0])] })
        do {
            return try BaconDecomposition.compute(input)
        } catch {
            throw PanelError("\(structure.source): the Bacon decomposition needs a balanced panel with '\(design.options.outcome)' present in every unit and period (add --balance to keep the units observed throughout): \(error.description)")
        }
    }

    /// The canonical comparison of ever-treated and never-treated units before and after `post`:
    /// the difference of the four means, and its regression form `y ~ group * post` for inference.
    static func twoByTwo(design: DiDDesign, post: Int, options: DiDOptions) throws -> (DiDEstimate, Double) {
        let means = try design.differenceOfMeans(post: post)
        let fit = try design.fit(formulaTerms: [design.groupName, design.postName, "\(design.groupName):\(design.postName)"],
                                 options: options, fixedEffects: false, extraColumns: design.twoByTwoColumns(post: post))
        let term = "\(design.groupName):\(design.postName)"
        return (try estimate(fit, term: term, estimand: "2x2", eventTime: nil, options: options), means)
    }

    /// One estimate's row from a fitted DiD regression. A term the regression could not estimate is
    /// an error in did's own words; without residual degrees of freedom the row keeps its estimate
    /// and has NA inference (the covariance's note says why).
    static func estimate(_ fit: DiDDesign.FittedModel, term: String, estimand: String, eventTime: Int?, options: DiDOptions)
        throws -> DiDEstimate
    {
        guard let index = fit.fit.coefficientNames.firstIndex(of: term) else {
            if fit.fit.absorbedNames.contains(term) {
                let effects = fit.fit.fixedEffects.map(\.name)
                let extra = effects.count > 2 ? " and --fe " + effects.dropFirst(2).joined(separator: ", ") : ""
                let what = estimand == "event_study" ? "the event-time indicator '\(term)'" : "the treatment indicator"
                throw EstimationError("\(what) is absorbed by the unit and period fixed effects (\(effects.prefix(2).joined(separator: ", "))\(extra)): no unit changes treatment status within the periods observed, so the \(estimand == "twfe" ? "TWFE" : estimand) estimate is not identified. If the treatment column marks treated units rather than treated periods, give each unit's first treated period with --cohort instead of --treat")
            }
            throw EstimationError("'\(term)' was dropped as collinear; the \(estimand) estimate is not identified")
        }
        let estimate = fit.fit.coefficients[index]
        guard fit.covariance.isDefined else {
            return DiDEstimate(estimand: estimand, term: term, eventTime: eventTime, estimate: estimate, standardError: .nan,
                               statistic: .nan, pValue: .nan, confidenceLow: .nan, confidenceHigh: .nan)
        }
        let error = fit.covariance.standardErrors[index]
        let distribution = StudentT(degreesOfFreedom: fit.degreesOfFreedom)
        let critical = distribution.quantile(0.5 + options.confidenceLevel / 2)
        let statistic = estimate / error
        return DiDEstimate(estimand: estimand, term: term, eventTime: eventTime, estimate: estimate, standardError: error,
                           statistic: statistic, pValue: distribution.twoSidedPValue(statistic),
                           confidenceLow: estimate - critical * error, confidenceHigh: estimate + critical * error)
    }
}
