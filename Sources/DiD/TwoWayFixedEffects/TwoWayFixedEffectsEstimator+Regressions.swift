// TWFE's regressions beside `y ~ D | unit + time`: the canonical 2x2 `y ~ group * post`, the event
// study `y ~ i(event_time, ref = c(ref, never)) | unit + time` with its F pre-trend test, and the
// row of one regression term with that regression's own t inference (as fixest prints it).

import Estimation
import Formula
import Inference
import PanelData

extension TwoWayFixedEffectsEstimator {
    /// The event study's fit, its rows, its pre-trend test, and warnings on thin leads.
    struct EventStudy {
        let fit: DiDDesign.FittedModel
        let rows: [DiDEstimate]
        let test: WaldTestSummary?
        let warnings: [String]
    }

    /// The canonical comparison of ever-treated and never-treated units before and after `post`:
    /// the difference of the four means, and its regression form `y ~ group * post` for inference.
    static func twoByTwo(design: DiDDesign, post: Int, options: DiDOptions) throws -> (DiDEstimate, Double) {
        let means = try design.differenceOfMeans(post: post)
        let fit = try design.fit(formulaTerms: [design.groupName, design.postName, "\(design.groupName):\(design.postName)"],
                                 options: options, fixedEffects: false, extraColumns: design.twoByTwoColumns(post: post))
        let term = "\(design.groupName):\(design.postName)"
        return (try row(fit, term: term, estimand: "2x2", eventTime: nil, options: options), means)
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
        var rows = [DiDEstimate]()
        var preIndices = [Int](), preTerms = [String]()
        for (index, name) in fit.fit.coefficientNames.enumerated() {
            guard let eventTime = design.eventTime(ofTerm: name) else { continue }
            var estimate = try row(fit, term: name, estimand: "event_study", eventTime: eventTime, options: options)
            estimate.treatedUnits = unitsAt[eventTime]?.count ?? 0
            estimate.cohortCount = cohortsAt[eventTime]?.count ?? 0
            rows.append(estimate)
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
        let thin = rows.filter { ($0.eventTime ?? 0) < 0 && $0.eventTime != options.referencePeriod && (($0.cohortCount ?? 0) <= 1 || ($0.treatedUnits ?? 0) < 10) }
        if !thin.isEmpty {
            warnings.append("TWFE pre-trend test: lead(s) " + thin.map { "\($0.eventTime ?? 0) (\($0.cohortCount ?? 0) cohort(s), \($0.treatedUnits ?? 0) units)" }.joined(separator: ", ")
                            + " rest on one cohort or fewer than 10 units, so the test can reject or pass because of those few units alone; narrow the window (--window) to leads that several cohorts share")
        }
        return EventStudy(fit: fit, rows: rows, test: test, warnings: warnings)
    }

    /// One term's row from a fitted DiD regression. A term the regression could not estimate is
    /// an error in did's own words; without residual degrees of freedom the row keeps its estimate
    /// and has NA inference (the covariance's note says why).
    static func row(_ fit: DiDDesign.FittedModel, term: String, estimand: String, eventTime: Int?, options: DiDOptions)
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
