// The imputation estimator's pre-trend test (Borusyak, Jaravel & Spiess 2024, REStud, §4.4,
// "Test 1"): on the untreated rows only, regress the outcome on indicators of the K periods before
// treatment with the same fixed effects, and test the lead coefficients jointly.
//
// Goals, in order:
// 1. Agreement with the peers: did_imputation's `pretrends(K)` runs this regression (reghdfe,
//    clustered) and an F test; we run it through Quipu's own fixed-effects OLS with fixest's CRV1
//    conventions (singletons dropped, fixed effects nested in the clusters counted once) and test
//    with F(K, G − 1), as the event study's pre-trend test does (Sources/Inference/WaldTest.swift).
//    Kept separate from the effects' test statistics: the test uses only untreated rows, so the
//    imputed effects stay untouched by it (BJS's point: the two are separated).
// 2. A test that cannot be run never blocks the estimates: it becomes a note.
// 3. Speed: one O(N) pass to build the regression's columns; the fit is the Estimation module's.

import Estimation
import Formula
import Inference
import LinearAlgebra
import PanelData

extension ImputationDiD {
    /// The lead coefficients, their covariance and the joint test, or notes saying why not.
    struct PretrendOutcome {
        var estimates: [StaggeredEstimate] = []
        var covariance = Matrix(rows: 0, columns: 0)
        var test: StaggeredPretrendTest? = nil
        var notes: [String] = []
    }

    /// Runs BJS Test 1 on `input`'s untreated rows with leads −1…−K before each unit's
    /// (anticipation-shifted) first treated period, clustered by `clusters`.
    static func pretrendRegression(_ input: ImputationInput, clusters: ClusterVariable) -> PretrendOutcome {
        var outcome = PretrendOutcome()
        let leadCount = input.pretrendLeads
        let slots = leadCount + 1
        let cohortValues = Array(Set(input.cohorts.compactMap { $0 })).sorted()
        let cohortPosition = Dictionary(uniqueKeysWithValues: cohortValues.enumerated().map { ($1, $0) })
        let cohortOfUnit = input.cohorts.map { $0.flatMap { cohortPosition[$0] } ?? 0 }
        var rows = [Int]()
        rows.reserveCapacity(input.rowCount)
        var leadOfRow = [Int]()
        leadOfRow.reserveCapacity(input.rowCount)
        // Rows, distinct units and distinct cohorts per lead (bit sets, not hashing per row).
        var leadRows = [Int](repeating: 0, count: slots)
        var units = [Int](repeating: 0, count: slots)
        var cohorts = [Int](repeating: 0, count: slots)
        var unitSeen = [Bool](repeating: false, count: input.unitCount * slots)
        var cohortSeen = [Bool](repeating: false, count: max(cohortValues.count, 1) * slots)
        for row in 0..<input.rowCount where !input.isTreated(row: row) {
            rows.append(row)
            let unit = Int(input.unitCodes[row])
            var lead = 0
            if let start = input.treatmentStart(ofUnit: unit) {
                let distance = start - input.periods[row]
                if distance >= 1 && distance <= leadCount { lead = distance }
            }
            leadOfRow.append(lead)
            guard lead > 0 else { continue }
            leadRows[lead] += 1
            if !unitSeen[unit * slots + lead] {
                unitSeen[unit * slots + lead] = true
                units[lead] += 1
            }
            let cohort = cohortOfUnit[unit]
            if !cohortSeen[cohort * slots + lead] {
                cohortSeen[cohort * slots + lead] = true
                cohorts[lead] += 1
            }
        }
        let presentLeads = (1...leadCount).filter { leadRows[$0] > 0 }
        if presentLeads.isEmpty {
            outcome.notes.append("pre-trend test skipped: no untreated rows of treated units fall in the \(leadCount) periods before treatment")
            return outcome
        }
        if presentLeads.count < leadCount {
            let missing = (1...leadCount).filter { leadRows[$0] == 0 }.map { String(-input.anticipation - $0) }
            outcome.notes.append("pre-trend test: no untreated rows at event time " + missing.joined(separator: ", ") + "; those leads were left out")
        }

        // The regression's columns, over the untreated rows.
        let count = rows.count
        var names = ["y", "unit", "period"]
        var columns: [Column] = [
            .numeric(rows.map { input.outcome[$0] }),
            .numeric(rows.map { Double(input.unitCodes[$0]) }),
            .numeric(rows.map { Double(input.periods[$0]) }),
        ]
        for (index, factor) in input.extraFixedEffects.enumerated() {
            names.append("fe\(index + 1)")
            columns.append(.numeric(rows.map { Double(factor.codes[$0]) }))
        }
        names.append("cluster")
        columns.append(.numeric(rows.map { Double(clusters.codes[$0]) }))
        for lead in presentLeads {
            names.append("lead\(lead)")
            columns.append(.numeric(leadOfRow.map { $0 == lead ? 1 : 0 }))
        }
        let effects = ["unit", "period"] + input.extraFixedEffects.indices.map { "fe\($0 + 1)" }
        let formulaText = "y ~ " + presentLeads.map { "lead\($0)" }.joined(separator: " + ") + " | " + effects.joined(separator: " + ")
        let table = DataTable(source: "imputation pre-trend regression", names: names, columns: columns, rowCount: count)
        do {
            let formula = try ModelFormula.parse(formulaText)
            let frame = try ModelFrame(table: table, formula: formula, options: ModelFrameOptions(clusters: ["cluster"], removeSingletons: true))
            let fit = try LinearModel.fit(frame, options: LinearModelOptions(fixedEffectTolerance: 1e-12, fixedEffectMaxIterations: 100_000))
            if !fit.collinearNames.isEmpty {
                outcome.notes.append("pre-trend test: leads absorbed by the fixed effects were left out: " + fit.collinearNames.joined(separator: ", "))
            }
            let covariance = try fit.covariance(.cluster(["cluster"]))
            var indices = [Int]()
            for (index, name) in fit.coefficientNames.enumerated() {
                guard let lead = Int(name.dropFirst("lead".count)) else { continue }
                indices.append(index)
                outcome.estimates.append(StaggeredEstimate(
                    kind: .dynamic, eventTime: -input.anticipation - lead, estimate: fit.coefficients[index],
                    treatedUnits: units[lead], cohortCount: cohorts[lead]))
            }
            guard !indices.isEmpty else { return outcome }
            // Leads in ascending event time, as the result lists its dynamic estimates.
            let order = Array((0..<indices.count).reversed())
            outcome.estimates = order.map { outcome.estimates[$0] }
            let ordered = order.map { indices[$0] }
            outcome.covariance = covariance.matrix.selecting(rows: ordered, columns: ordered)
            outcome.notes += covariance.notes
            let wald = try WaldTest(coefficients: fit.coefficients, covariance: covariance, indices: ordered)
            let first = outcome.estimates.first?.eventTime ?? 0, last = outcome.estimates.last?.eventTime ?? 0
            outcome.test = StaggeredPretrendTest(
                statistic: wald.statistic, numeratorDegrees: wald.numeratorDegrees, denominatorDegrees: wald.denominatorDegrees,
                pValue: wald.pValue,
                description: "leads \(first) to \(last) (BJS test 1: untreated rows on lead indicators with the fixed effects; F with G − 1 = \(Int(wald.denominatorDegrees)) denominator df, clustered by \(clusters.name))")
        } catch {
            outcome.notes.append("pre-trend test not computed: \(error)")
        }
        return outcome
    }
}
