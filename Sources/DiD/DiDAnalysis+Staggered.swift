import Foundation
// The glue between `quipu did` and its estimators: which ones run, the sample each used, the TWFE
// event study in the shared result shape, and the note that explains why a staggered design's
// robust estimate and TWFE differ.

import Estimation
import Formula
import Inference
import LinearAlgebra
import PanelData
import Primitives

extension DiDAnalysis {
    /// The estimators to run, headline first.
    static func chosenEstimators(_ choice: EstimatorChoice, cohortCount: Int) -> [StaggeredEstimator] {
        switch choice {
        case .auto: return cohortCount > 1 ? [.callawaySantAnna, .twfe] : [.twfe]
        case .twfe: return [.twfe]
        case .cs: return [.callawaySantAnna]
        case .sunab: return [.sunAbraham]
        case .imputation: return [.imputation]
        case .all: return [.callawaySantAnna, .sunAbraham, .imputation, .twfe]
        }
    }

    /// The TWFE event study `y ~ i(event_time, ref = c(ref, never)) | unit + time`, its pre-trend
    /// test, and warnings on leads that rest on one cohort or fewer than 10 units.
    static func twfeEventStudy(design: DiDDesign, timing: TreatmentTiming, options: DiDOptions) throws
        -> (DiDDesign.FittedModel, [DiDEstimate], WaldTestSummary?, [String])
    {
        let structure = timing.structure
        guard timing.neverTreatedCount > 0 else {
            throw PanelError("\(structure.source): the event study uses never-treated units as controls, and every unit is treated at some point")
        }
        let eventTerm = "i(\(design.eventTimeName), ref = c(\(options.referencePeriod), \(Int(neverTreatedEventTime))))"
        let fit = try design.fit(formulaTerms: [eventTerm], options: options)
        // Treated units and cohorts behind each (binned) event time, among rows with the outcome.
        let outcome = design.outcomeColumn.values
        let eventTimes = try DiDDesign.eventTimes(structure: structure, options: options)
        var unitsAt = [Int: Set<Int32>](), cohortsAt = [Int: Set<Int>]()
        for row in 0..<structure.rowCount where !outcome[row].isNaN {
            guard let cohort = structure.cohorts[Int(structure.unitCodes[row])] else { continue }
            let e = Int(eventTimes[row])
            unitsAt[e, default: []].insert(structure.unitCodes[row])
            cohortsAt[e, default: []].insert(cohort)
        }
        var estimates = [DiDEstimate]()
        var preIndices = [Int](), preTerms = [String]()
        for (index, name) in fit.fit.coefficientNames.enumerated() {
            guard let eventTime = design.eventTime(ofTerm: name) else { continue }
            var row = try estimate(fit, term: name, estimand: "event_study", eventTime: eventTime, options: options)
            row.treatedUnits = unitsAt[eventTime]?.count ?? 0
            row.cohortCount = cohortsAt[eventTime]?.count ?? 0
            estimates.append(row)
            if eventTime < 0 && eventTime != options.referencePeriod {
                preIndices.append(index)
                preTerms.append(name)
            }
        }
        var test: WaldTestSummary? = nil
        var warnings = [String]()
        if !preIndices.isEmpty {
            let wald = try WaldTest(coefficients: fit.fit.coefficients, covariance: fit.covariance, indices: preIndices)
            test = WaldTestSummary(statistic: wald.statistic, numeratorDegrees: wald.numeratorDegrees,
                                   denominatorDegrees: wald.denominatorDegrees, pValue: wald.pValue, terms: preTerms)
            if let reason = wald.undefinedReason { warnings.append("TWFE pre-trend test: " + reason) }
        }
        let thin = estimates.filter { ($0.eventTime ?? 0) < 0 && $0.eventTime != options.referencePeriod && (($0.cohortCount ?? 0) <= 1 || ($0.treatedUnits ?? 0) < 10) }
        if !thin.isEmpty {
            warnings.append("TWFE pre-trend test: lead(s) " + thin.map { "\($0.eventTime ?? 0) (\($0.cohortCount ?? 0) cohort(s), \($0.treatedUnits ?? 0) units)" }.joined(separator: ", ")
                            + " rest on one cohort or fewer than 10 units, so the test can reject or pass because of those few units alone; narrow the window (--window) to leads that several cohorts share")
        }
        return (fit, estimates, test, warnings)
    }

    /// Warnings on an estimator's event-time leads that rest on one cohort or fewer than 10 units.
    static func leadWarnings(_ result: StaggeredResult) -> [String] {
        let thin = result.estimates.filter { $0.kind == .dynamic && ($0.eventTime ?? 0) < -1 && ($0.cohortCount <= 1 || $0.treatedUnits < 10) }
        guard !thin.isEmpty else { return [] }
        return ["\(result.estimator.displayName) pre-trend test: lead(s) " + thin.map { "\($0.eventTime ?? 0) (\($0.cohortCount) cohort(s), \($0.treatedUnits) units)" }.joined(separator: ", ")
                + " rest on one cohort or fewer than 10 units; read the test with care and look at the leads that several cohorts share"]
    }

    /// TWFE's estimates in the shared shape: the overall coefficient as `simple`, the event study
    /// as `dynamic` (from a separate regression: its covariance with the overall one is unknown).
    static func twfeResult(twfe: DiDDesign.FittedModel, eventStudy: DiDDesign.FittedModel?, estimates: [DiDEstimate], design: DiDDesign) -> StaggeredResult {
        let timing = design.timing
        var rows = [StaggeredEstimate]()
        var indices = [(fit: DiDDesign.FittedModel, index: Int)]()
        let treatedUnits = timing.structure.cohorts.filter { $0 != nil }.count
        if let index = twfe.fit.coefficientNames.firstIndex(of: design.treatedName) {
            rows.append(.init(kind: .simple, estimate: twfe.fit.coefficients[index], treatedUnits: treatedUnits, cohortCount: timing.cohorts.count))
            indices.append((twfe, index))
        }
        if let eventStudy {
            for row in estimates where row.estimand == "event_study" {
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
        var result = StaggeredResult(estimator: .twfe, estimates: rows, covariance: covariance, degreesOfFreedom: twfe.degreesOfFreedom,
                                     inference: "regression covariance \(twfe.covariance.type.description)" + (twfe.fit.isPoisson ? ", Poisson PML (log points)" : ""),
                                     observationCount: twfe.fit.observationCount, clusterCount: twfe.covariance.clusterCounts.min())
        result.notes = ["TWFE compares later-treated with already-treated units too; with effects that vary across cohorts or grow over time it is biased"]
        return result
    }

    /// The few-cluster warning (FewClusters) for the smallest number of clusters any estimator's
    /// inference rests on, pointing to the wild cluster bootstrap of the TWFE regression.
    static func fewClustersWarning(_ results: [StaggeredResult], unit: String, time: String, options: DiDOptions) -> String? {
        guard let smallest = results.compactMap(\.clusterCount).min() else { return nil }
        let variable = options.covariance.clusterVariables.first ?? unit
        return FewClusters.warning(clusters: smallest, variable: variable,
                                   check: "for the TWFE estimate, quipu feols --formula \"\(options.outcome) ~ D | \(unit) + \(time)\" --vcov cluster:\(variable) --bootstrap wild, with D the treated-period indicator")
    }

    /// The sample of a regression on the long panel: rows with the outcome, their units and cohorts.
    static func regressionSample(design: DiDDesign, outcome: OutcomeColumn, rows: Int, panel: String) -> StaggeredSample {
        let structure = design.timing.structure
        var units = Set<Int32>()
        for row in 0..<structure.rowCount where !outcome.values[row].isNaN { units.insert(structure.unitCodes[row]) }
        let usable = outcome.values.lazy.filter { !$0.isNaN }.count
        var drops = outcome.drops()
        if usable > rows { drops.append(.init(reason: "singletons or other missing regression variables (fixest's rules)", rows: usable - rows, units: 0)) }
        return StaggeredSample(rowsRead: structure.rowCount, rows: rows, units: units.count,
                               unitsPerCohort: StaggeredSample.cohortCounts(units.map { structure.cohorts[Int($0)] }), drops: drops, panel: panel)
    }

    /// Callaway–Sant'Anna on the balanced panel of `table`.
    static func callawaySantAnna(table: DataTable, structure: PanelStructure, outcome: OutcomeColumn, options: DiDOptions) throws
        -> (StaggeredResult, StaggeredSample)
    {
        var covariates = [(String, Column)]()
        for name in options.covariates {
            guard let column = table.column(named: name) else { throw PanelError("\(table.source): no column named '\(name)'") }
            covariates.append((name, column))
        }
        var cluster: (String, Column)? = nil
        var notes = [String]()
        switch options.covariance {
        case .cluster(let variables):
            if variables.count > 1 { throw PanelError("Callaway–Sant'Anna clusters on one variable (the unit or a coarser one such as a region); two-way clustering is not available for it") }
            if let name = variables.first, name != structure.unitName {
                guard let column = table.column(named: name) else { throw PanelError("\(table.source): no column named '\(name)'") }
                cluster = (name, column)
            }
        default:
            notes.append("Callaway–Sant'Anna's standard errors come from unit-level influence functions (clustered by unit); --vcov \(options.covariance) applies to the regression estimators only")
        }
        if !options.extraFixedEffects.isEmpty {
            notes.append("--fe applies to the regression estimators (TWFE, Sun–Abraham, imputation); Callaway–Sant'Anna conditions on covariates instead")
        }
        let panel = try UnitPanel(structure: structure, outcome: outcome, covariates: covariates, cluster: cluster,
                                  anticipation: options.callawaySantAnna.anticipation, mode: options.panelMode)
        var csOptions = options.callawaySantAnna
        csOptions.threads = options.threads
        var result = try CallawaySantAnna.estimate(panel: panel, options: csOptions, aggregations: options.aggregations,
                                                   bootstrap: options.bootstrap, unitName: structure.unitName)
        let cs = options.callawaySantAnna
        result.notes.insert("ATT(g,t) by \(cs.method.rawValue) 2x2 comparisons with \(cs.control == .never ? "never-treated" : "not-yet-treated") units, \(cs.basePeriod.rawValue) base period" + (cs.anticipation > 0 ? ", anticipation \(cs.anticipation)" : "") + (panel.covariateNames.isEmpty ? "" : ", covariates " + panel.covariateNames.joined(separator: ", ")), at: 0)
        result.notes += notes
        return (result, panel.sample)
    }

    /// The one-line explanation of why the robust headline and TWFE differ, with the Goodman-Bacon
    /// weight on later-vs-earlier comparisons (computed on the balanced subset of the panel).
    static func autoHeadline(design: DiDDesign, structure: PanelStructure, options: DiDOptions,
                             results: [StaggeredEstimator: StaggeredResult]) throws -> String?
    {
        guard let robust = results[.callawaySantAnna]?.estimates.first(where: { $0.kind == .simple }),
              let twfe = results[.twfe]?.estimates.first(where: { $0.kind == .simple }) else { return nil }
        var baconText = "the Goodman-Bacon decomposition could not be computed"
        do {
            let outcome = design.outcomeColumn.values
            let complete = Set((0..<structure.unitCount)).subtracting((0..<structure.rowCount).filter { outcome[$0].isNaN }.map { Int(structure.unitCodes[$0]) })
            var perUnit = [Int](repeating: 0, count: structure.unitCount)
            for row in 0..<structure.rowCount { perUnit[Int(structure.unitCodes[row])] += 1 }
            let balancedUnits = complete.filter { perUnit[$0] == structure.periodValues.count }.count
            let (balanced, _) = try balancedTable(design.sourceTable, structure: structure, outcome: options.outcome, covariates: [])
            let balancedStructure = try PanelStructure(table: balanced, unit: structure.unitName, time: structure.timeName,
                                                       treatment: structure.cohortSource.map { column in
                                                           structure.cohortDerivedFromTreatment ? .treatment(column) : .cohort(column, neverTreated: structure.neverTreatedCode)
                                                       } ?? .none)
            let balancedTiming = try TreatmentTiming(structure: balancedStructure, treatmentColumn: nil, treatmentValues: nil)
            let balancedDesign = try DiDDesign(table: balanced, timing: balancedTiming, options: options)
            let bacon = try decomposition(design: balancedDesign, structure: balancedStructure)
            baconText = "comparisons of later- with already-treated units carry \(Int((bacon.forbiddenWeight * 100).rounded()))% of the TWFE weight (Goodman-Bacon, \(balancedUnits) units observed in every period)"
        } catch {
            baconText = "the Goodman-Bacon weights need a balanced panel with the outcome throughout, which this one lacks"
        }
        return "Callaway–Sant'Anna (\(NumberFormat.short4g(robust.estimate))) is the headline: support starts in \(design.timing.cohorts.count) different periods, and TWFE (\(NumberFormat.short4g(twfe.estimate))) averages 2x2 comparisons that include already-treated units as controls; \(baconText)"
    }
}
