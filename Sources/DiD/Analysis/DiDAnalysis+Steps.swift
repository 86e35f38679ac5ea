// The steps of `quipu did` around its estimators: which ones run (and the conformance of each),
// the warnings on the design before they run, and after them the steps that read several effect
// sets: warnings on thin leads, the few-cluster warning, `--combine`, and the note that explains
// why a staggered design's robust estimate and TWFE differ.

import Estimation
import Foundation
import Formula
import Inference
import LinearAlgebra
import PanelData
import Primitives

extension DiDAnalysis {
    /// The estimators to run, headline first. `auto` with staggered cohorts puts a
    /// heterogeneity-robust estimator first and TWFE beside it: Callaway–Sant'Anna for linear
    /// models, the extended TWFE's proportional effect for Poisson (Wooldridge 2023; the scale the
    /// Poisson TWFE estimates, so the two read side by side). With one cohort TWFE has no
    /// already-treated controls and stays the headline on either scale. `all` runs every
    /// estimator that has the model's scale: Sun–Abraham is linear only.
    static func chosenEstimators(_ choice: EstimatorChoice, cohortCount: Int, model: DiDModel = .linear) -> [StaggeredEstimator] {
        switch choice {
        case .auto:
            guard cohortCount > 1 else { return [.twfe] }
            return model == .poisson ? [.etwfe, .twfe] : [.callawaySantAnna, .twfe]
        case .twfe: return [.twfe]
        case .cs: return [.callawaySantAnna]
        case .sunab: return [.sunAbraham]
        case .imputation: return [.imputation]
        case .twostage: return [.twoStage]
        case .etwfe: return [.etwfe]
        case .cic: return [.changesInChanges]
        case .qdid: return [.quantileDiD]
        case .qtt: return [.panelQTT]
        case .ddd: return [.tripleDifferences]
        case .dcdh: return [.dcdh]
        case .all:
            return model == .poisson ? [.etwfe, .callawaySantAnna, .imputation, .twfe]
                : [.callawaySantAnna, .sunAbraham, .imputation, .etwfe, .twfe]
        }
    }

    /// The conforming type of each estimator.
    static func conformance(for id: StaggeredEstimator) -> any DiDEstimator {
        switch id {
        case .twfe: return TwoWayFixedEffectsEstimator()
        case .callawaySantAnna: return CallawaySantAnnaEstimator()
        case .sunAbraham: return SunAbrahamEstimator()
        case .imputation: return ImputationEstimator()
        case .etwfe: return ExtendedTwoWayFixedEffectsEstimator()
        case .twoStage: return TwoStageEstimator()
        case .changesInChanges: return ChangesInChangesEstimator()
        case .quantileDiD: return QuantileDiDEstimator()
        case .panelQTT: return PanelQuantileTreatmentEffectEstimator()
        case .tripleDifferences: return TripleDifferencesEstimator()
        case .dcdh: return ChaisemartinDHaultfoeuilleEstimator()
        }
    }

    /// Warnings on the design that hold whichever estimator runs, and the refusal of an
    /// anticipation that leaves no cohort a pre-treatment period.
    static func designWarnings(timing: TreatmentTiming, options: DiDOptions, estimators: [StaggeredEstimator]) throws -> [Diagnostic] {
        let structure = timing.structure
        var notes = [Diagnostic]()
        let lonely = timing.cohorts.filter { cohort in structure.cohorts.lazy.filter { $0 == cohort }.count == 1 }
        if !lonely.isEmpty && estimators != [.twfe] {
            notes.append(Diagnostic(.singleUnitCohort, .warning, "cohort(s) " + lonely.map(String.init).joined(separator: ", ") + " have a single unit: their effects rest on one unit's outcomes and their standard errors are unreliable"))
        }
        if options.callawaySantAnna.anticipation > 0, let first = structure.periodValues.first,
           !timing.cohorts.contains(where: { $0 - options.callawaySantAnna.anticipation > first }) {
            throw PanelError("\(structure.source): --anticipation \(options.callawaySantAnna.anticipation) leaves no cohort a pre-treatment period (cohorts start \(timing.cohorts.first ?? 0)–\(timing.cohorts.last ?? 0), the panel starts in \(first)); use a smaller value")
        }
        return notes
    }

    /// `--combine`: each expression evaluated in every estimator whose labels it uses; an error
    /// only when no estimator can evaluate it (the first estimator's error).
    static func combine(_ expressions: [CombinationExpression], results: [StaggeredResult]) throws -> [StaggeredCombination] {
        var combinations = [StaggeredCombination]()
        for expression in expressions {
            var firstError: Error? = nil
            var found = false
            for result in results {
                do { combinations.append(try result.combine(expression)); found = true } catch { firstError = firstError ?? error }
            }
            if !found, let firstError { throw firstError }
        }
        return combinations
    }

    /// Warnings on an estimator's tested event-time leads that rest on one cohort (leads on fewer
    /// than 10 treated units are left out of the test, PretrendLeads).
    static func leadWarnings(_ result: StaggeredResult) -> [Diagnostic] {
        // Leads on fewer than PretrendLeads.minimumTreatedUnits are out of the test (its note names
        // them); this warns about the tested ones that rest on a single cohort.
        let thin = result.estimates.filter {
            $0.kind == .dynamic && ($0.eventTime ?? 0) < -1 && $0.cohortCount <= 1 && $0.treatedUnits >= PretrendLeads.minimumTreatedUnits
        }
        guard !thin.isEmpty else { return [] }
        return [Diagnostic(.leadThin, .warning, "\(result.estimator.displayName) pre-trend test: lead(s) " + thin.map { "\($0.eventTime ?? 0) (\($0.cohortCount) cohort(s), \($0.treatedUnits) units)" }.joined(separator: ", ")
                + " rest on one cohort; read the test with care and look at the leads that several cohorts share")]
    }

    /// The few-cluster warning (FewClusters) for the smallest number of clusters any estimator's
    /// inference rests on, pointing to the wild cluster bootstrap of the TWFE regression.
    static func fewClustersWarning(_ results: [StaggeredResult], unit: String, time: String, options: DiDOptions) -> String? {
        guard let smallest = results.compactMap(\.clusterCount).min() else { return nil }
        let variable = options.covariance.clusterVariables.first ?? unit
        return FewClusters.warning(clusters: smallest, variable: variable,
                                   check: "for the TWFE estimate, quipu feols --formula \"\(options.outcome) ~ D | \(unit) + \(time)\" --vcov cluster:\(variable) --bootstrap wild, with D the treated-period indicator")
    }

    /// The one-line explanation of why the robust headline and TWFE differ, with the Goodman-Bacon
    /// weight on later-vs-earlier comparisons (computed on the balanced subset of the panel).
    static func autoHeadline(design: DiDDesign, options: DiDOptions, results: [StaggeredEstimator: StaggeredResult]) throws -> String? {
        let structure = design.timing.structure
        // The Poisson headline is the extended TWFE's log ratio of means, read beside TWFE's log points.
        let poisson = options.model == .poisson
        let robustEstimator: StaggeredEstimator = poisson ? .etwfe : .callawaySantAnna
        guard let robustResult = results[robustEstimator],
              let robust = robustResult.estimates.first(where: { $0.kind == .simple && $0.scale == robustResult.headlineScale }),
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
            let bacon = try BaconDecomposition(design: balancedDesign)
            baconText = "comparisons of later- with already-treated units carry \(Int((bacon.forbiddenWeight * 100).rounded()))% of the TWFE weight (Goodman-Bacon, \(balancedUnits) units observed in every period)"
        } catch {
            baconText = "the Goodman-Bacon weights need a balanced panel with the outcome throughout, which this one lacks"
        }
        let robustName = poisson ? "The extended TWFE's proportional effect (log ratio of means \(NumberFormat.short4g(robust.estimate)))" : "Callaway–Sant'Anna (\(NumberFormat.short4g(robust.estimate)))"
        return "\(robustName) is the headline: support starts in \(design.timing.cohorts.count) different periods, and TWFE (\(NumberFormat.short4g(twfe.estimate))) averages 2x2 comparisons that include already-treated units as controls; \(baconText)"
    }
}

