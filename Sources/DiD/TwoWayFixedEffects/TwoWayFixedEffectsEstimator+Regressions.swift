// TWFE's regressions beside `y ~ D | unit + time`: the canonical 2x2 `y ~ group * post`, the event
// study `y ~ i(event_time, ref = c(ref, never)) | unit + time` with its F pre-trend test, and the
// lookup of a regression term with did's own refusals. Their standard errors, tests and intervals
// are not computed here: TWFE's effect set (EstimateInference, each estimate with its own
// regression's t) derives them.

import Estimation
import Formula
import Inference
import PanelData
import Primitives

extension TwoWayFixedEffectsEstimator {
    /// One event-study coefficient with the treated units and cohorts behind it.
    struct EventTimeTerm {
        let term: String
        let eventTime: Int
        let index: Int
        let treatedUnits: Int
        let cohortCount: Int
    }

    /// The event study's fit, its coefficients, its pre-trend test (the regression's own F over
    /// its leads) with the leads' terms, and warnings on thin leads.
    struct EventStudy {
        let fit: DiDDesign.FittedModel
        let terms: [EventTimeTerm]
        let test: WaldTestResult?
        let testTerms: [String]
        let warnings: [Diagnostic]
    }

    /// The canonical comparison of ever-treated and never-treated units before and after `post`:
    /// the difference of the four means, and its regression form `y ~ group * post` for inference
    /// (the fit and the index of the interaction).
    static func twoByTwo(design: DiDDesign, post: Int, options: DiDOptions) throws -> (fit: DiDDesign.FittedModel, index: Int, means: Double) {
        let means = try design.differenceOfMeans(post: post)
        let fit = try design.fit(formulaTerms: [design.groupName, design.postName, "\(design.groupName):\(design.postName)"],
                                 options: options, fixedEffects: false, extraColumns: design.twoByTwoColumns(post: post))
        let term = "\(design.groupName):\(design.postName)"
        return (fit, try index(fit, term: term, estimand: "2x2"), means)
    }

    /// The TWFE event study `y ~ i(event_time, ref = c(ref, never)) | unit + time`, its pre-trend
    /// test, and warnings on leads that rest on one cohort or fewer than 10 units.
    static func eventStudy(design: DiDDesign, timing: TreatmentTiming, options: DiDOptions) throws -> EventStudy {
        let structure = timing.structure
        guard timing.neverTreatedCount > 0 else {
            throw PanelError("\(structure.source): the event study uses never-treated units as controls, and every unit is treated at some point")
        }
        let eventTerm = "i(\(design.eventTimeName), ref = c(\(options.referencePeriod), \(Int(DiDDesign.neverTreatedEventTime))))"
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
        var terms = [EventTimeTerm]()
        var preIndices = [Int](), preTerms = [String]()
        for name in fit.fit.coefficientNames {
            guard let eventTime = design.eventTime(ofTerm: name) else { continue }
            let index = try index(fit, term: name, estimand: "event_study")
            terms.append(EventTimeTerm(term: name, eventTime: eventTime, index: index,
                                       treatedUnits: unitsAt[eventTime]?.count ?? 0, cohortCount: cohortsAt[eventTime]?.count ?? 0))
            if eventTime < 0 && eventTime != options.referencePeriod {
                preIndices.append(index)
                preTerms.append(name)
            }
        }
        var test: WaldTestResult? = nil
        var warnings = [Diagnostic]()
        if !preIndices.isEmpty {
            let wald = try WaldTest(coefficients: fit.fit.coefficients, covariance: fit.covariance, indices: preIndices)
            test = wald.result
            if let reason = wald.undefinedReason { warnings.append(Diagnostic(.pretrend, .warning, "TWFE pre-trend test: " + reason)) }
            if let note = wald.result.note { warnings.append(Diagnostic(.pretrend, .warning, "TWFE pre-trend test: " + note)) }
        }
        let thin = terms.filter { $0.eventTime < 0 && $0.eventTime != options.referencePeriod && ($0.cohortCount <= 1 || $0.treatedUnits < 10) }
        if !thin.isEmpty {
            warnings.append(Diagnostic(.leadThin, .warning, "TWFE pre-trend test: lead(s) " + thin.map { "\($0.eventTime) (\($0.cohortCount) cohort(s), \($0.treatedUnits) units)" }.joined(separator: ", ")
                            + " rest on one cohort or fewer than 10 units, so the test can reject or pass because of those few units alone; narrow the window (--window) to leads that several cohorts share"))
        }
        return EventStudy(fit: fit, terms: terms, test: test, testTerms: preTerms, warnings: warnings)
    }

    /// The index of `term` in a fitted DiD regression. A term the regression could not estimate is
    /// an error in did's own words.
    static func index(_ fit: DiDDesign.FittedModel, term: String, estimand: String) throws -> Int {
        guard let index = fit.fit.coefficientNames.firstIndex(of: term) else {
            if fit.fit.absorbedNames.contains(term) {
                let effects = fit.fit.fixedEffects.map(\.name)
                let extra = effects.count > 2 ? " and --fe " + effects.dropFirst(2).joined(separator: ", ") : ""
                let what = estimand == "event_study" ? "the event-time indicator '\(term)'" : "the treatment indicator"
                throw EstimationError("\(what) is absorbed by the unit and period fixed effects (\(effects.prefix(2).joined(separator: ", "))\(extra)): no unit changes treatment status within the periods observed, so the \(estimand == "twfe" ? "TWFE" : estimand) estimate is not identified. If the treatment column marks treated units rather than treated periods, give each unit's first treated period with --cohort instead of --treat")
            }
            throw EstimationError("'\(term)' was dropped as collinear; the \(estimand) estimate is not identified")
        }
        return index
    }
}
