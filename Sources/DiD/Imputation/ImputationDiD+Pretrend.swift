// The imputation estimator's pre-trend test (Borusyak, Jaravel & Spiess 2024, REStud, §4.4,
// "Test 1"): on the untreated rows only, regress the outcome on indicators of the K periods before
// treatment with the same fixed effects, and test the lead coefficients jointly. Only untreated
// rows enter, so the test leaves the imputed effects untouched (BJS's separation of testing from
// estimation).
//
// Goals, in order:
// 1. Agreement with the peers: pyfixest's `feols(y ~ lead1 + … + leadK | unit + period)` on the
//    untreated rows, clustered by unit (Tests/Fixtures/staggered), i.e. CRV1 with fixest 0.13's
//    small-sample factor (singletons removed recursively for N and G, fixed effects nested in the
//    clusters counted once in K); the joint test is F(K, G − 1), the convention of the event
//    study's pre-trend test (Sources/Inference/WaldTest.swift; pyfixest's `wald_test` agrees).
// 2. A test that cannot be run never blocks the estimates: it becomes a note.
// 3. Speed: the fixed effects are partialled out exactly by the equations already set up for the
//    imputation (one batched solve for the outcome and the leads), not by a second iterative fit.

import Estimation
import Inference
import LinearAlgebra
import PanelData

extension ImputationDiD {
    /// The lead coefficients, their covariance and the joint test, or notes saying why not.
    struct PretrendOutcome {
        var estimates: [StaggeredEstimate] = []
        var covariance = Matrix(rows: 0, columns: 0)
        var test: WaldTestResult? = nil
        var notes: [String] = []
    }

    /// Runs BJS Test 1 on the untreated rows of `sample` with leads −1…−K before each unit's
    /// (anticipation-shifted) first treated period, clustered by `clusters`.
    static func pretrendRegression(_ input: ImputationInput, sample: ImputationSample, equations: ImputationNormalEquations,
                                   clusters: ClusterVariable) -> PretrendOutcome
    {
        var outcome = PretrendOutcome()
        let leads = ImputationLeadIndicators(input)
        let present = (1...input.pretrendLeads).filter { leads.rows[$0] > 0 }
        let eventTime = { (lead: Int) in -input.anticipation - lead }
        guard !present.isEmpty else {
            outcome.notes.append("pre-trend test skipped: no untreated rows of treated units fall in the \(input.pretrendLeads) periods before treatment")
            return outcome
        }
        if present.count < input.pretrendLeads {
            let missing = (1...input.pretrendLeads).filter { leads.rows[$0] == 0 }.map { String(eventTime($0)) }
            outcome.notes.append("pre-trend test: no untreated rows at event time " + missing.joined(separator: ", ") + "; those leads were left out")
        }
        let columnOfLead = Dictionary(uniqueKeysWithValues: present.enumerated().map { ($1, $0 + 1) })
        let columnOfRow = leads.leadOfRow.map { $0 > 0 ? columnOfLead[$0] ?? 0 : 0 }  // 0: the outcome only
        let columns = present.count + 1
        let partialled: (response: [Double], design: [Double])
        do {
            partialled = try partialOut(sample: sample, equations: equations, columnOfRow: columnOfRow, columns: columns)
        } catch {
            outcome.notes.append("pre-trend test not computed: \(error)")
            return outcome
        }

        // Singletons leave the coefficients unchanged (fitted exactly by their own level) but not
        // N, G or K; fixest drops them recursively, so we count without them.
        let k = sample.width
        let rowCount = sample.untreatedOutcome.count
        var factors = [Factor(name: "eliminated", denseCodes: sample.untreatedPrimary, levelCount: sample.primaryCount)]
        for a in 0..<k {
            let offset = sample.secondaryOffsets[a]
            let codes = (0..<rowCount).map { sample.untreatedSecondary[$0 * k + a] - offset }
            factors.append(Factor(name: "other\(a)", denseCodes: codes, levelCount: sample.secondaryLevelCounts[a]))
        }
        let clusterFactor = Factor(name: clusters.name, denseCodes: sample.untreatedCluster, levelCount: clusters.levelCount)
        // The level sizes tell at once whether there is any singleton (usually not: nothing to copy).
        let hasSingleton = equations.primarySizes.contains(1) || equations.secondarySizes.contains(1)
        let keep = hasSingleton ? Singletons.keepMask(for: factors) : nil
        let keptRows = keep.map { mask in mask.indices.filter { mask[$0] } }
        let restrict = { (factor: Factor) in keep.map { factor.subset($0) } ?? factor }
        let response = keptRows.map { rows in rows.map { partialled.response[$0] } } ?? partialled.response
        var designValues = partialled.design
        if let keptRows {
            designValues = []
            designValues.reserveCapacity(keptRows.count * present.count)
            for j in 0..<present.count { designValues += keptRows.map { partialled.design[j * rowCount + $0] } }
        }
        let design = Matrix(rows: response.count, columns: present.count, values: designValues)
        do {
            let solution = try LeastSquaresSolver().solve(design: design, response: response)
            if !solution.droppedColumns.isEmpty {
                let names = solution.droppedColumns.map { String(eventTime(present[$0])) }
                outcome.notes.append("pre-trend test: leads at event time " + names.joined(separator: ", ") + " are absorbed by the fixed effects and were left out")
            }
            let keptDesign = solution.droppedColumns.isEmpty ? design : design.selecting(columns: solution.keptColumns)
            var residuals = response
            for (position, coefficient) in solution.coefficients.enumerated() {
                keptDesign.values.withUnsafeBufferPointer { values in
                    let base = position * keptDesign.rows
                    for row in 0..<residuals.count { residuals[row] -= coefficient * values[base + row] }
                }
            }
            // Always renumbered: clusters with no untreated row (always-treated units) do not count in G.
            let keptClusters = clusterFactor.subset(keep ?? [Bool](repeating: true, count: clusterFactor.observationCount))
            // One definition of K with nested fixed effects, the regressions' (fixest's rule).
            let parameters = FittedCovariance.nestedParameterCount(coefficientCount: solution.keptColumns.count,
                                                                   fixedEffects: factors.map(restrict), clusters: [keptClusters])
            guard keptClusters.levelCount >= 2 else {
                outcome.notes.append("pre-trend test not computed: its regression has \(keptClusters.levelCount) cluster of '\(clusters.name)'; clustering needs at least 2")
                return outcome
            }
            let covarianceInput = CovarianceInput(bread: solution.inverseCrossProduct, weightedDesign: keptDesign, weightedResiduals: residuals,
                                                  observationCount: response.count, parameterCount: parameters)
            var covariance = try CovarianceEstimator().clustered(
                covarianceInput, clusters: [ClusterVariable(name: clusters.name, codes: keptClusters.codes, count: keptClusters.levelCount)],
                parameterCount: parameters)
            // K above counts fixed effects nested in the clusters once (fixest's small-sample
            // convention), so N − K > 0 need not mean residual degrees of freedom: with two units
            // the leads and fixed effects can fit the untreated rows exactly, and the variance of
            // rounding-level residuals would print as SE 1e-24 and F = 1e45.
            if isExactFit(residuals: residuals, outcome: sample.untreatedOutcome) {
                let reason = "pre-trend test: the leads and fixed effects fit the \(response.count) untreated rows exactly (residuals zero up to rounding): no residual degrees of freedom, so the leads' standard errors and the test are undefined (NA)"
                covariance = covariance.undefined(because: reason)
                outcome.notes.append(reason)
            }
            // Leads in ascending event time (lead K first), as the result lists dynamic estimates.
            let order = Array(solution.keptColumns.indices.reversed())
            for position in order {
                let lead = present[solution.keptColumns[position]]
                outcome.estimates.append(StaggeredEstimate(
                    kind: .dynamic, eventTime: eventTime(lead), estimate: solution.coefficients[position],
                    treatedUnits: leads.units[lead], cohortCount: leads.cohorts[lead]))
            }
            outcome.covariance = covariance.matrix.selecting(rows: order, columns: order)
            let wald = try WaldTest(coefficients: solution.coefficients, covariance: covariance, indices: order)
            if let reason = wald.undefinedReason { outcome.notes.append("pre-trend test: " + reason) }
            if let note = wald.result.note { outcome.notes.append("pre-trend test: " + note) }
            let first = outcome.estimates.first?.eventTime ?? 0, last = outcome.estimates.last?.eventTime ?? 0
            outcome.test = wald.result.described(
                "leads \(first) to \(last) (BJS test 1: untreated rows on lead indicators with the fixed effects, CRV1 by \(clusters.name); Wald F on \(wald.numeratorDegrees) and G − 1 = \(Int(wald.denominatorDegrees)) df)")
        } catch {
            outcome.notes.append("pre-trend test not computed: \(error)")
        }
        return outcome
    }

    /// Whether `residuals` are zero up to rounding: their sum of squares below 10⁻²⁰ of the
    /// outcome's about its mean (relative size 10⁻¹⁰, far above rounding and far below any real fit).
    static func isExactFit(residuals: [Double], outcome: [Double]) -> Bool {
        guard !outcome.isEmpty else { return true }
        return residuals.reduce(0) { $0 + $1 * $1 } <= 1e-20 * centredSquares(outcome)
    }

    /// Σ (y − ȳ)²: the outcome's spread, the scale against which a variance or a residual sum of
    /// squares is judged to be rounding.
    static func centredSquares(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(max(values.count, 1))
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    }

    /// The outcome and each lead indicator (column c ≥ 1 where `columnOfRow` is c) on the untreated
    /// rows, with the fixed effects partialled out exactly (Frisch–Waugh–Lovell): the outcome, and
    /// the leads as a column-major design.
    static func partialOut(sample: ImputationSample, equations: ImputationNormalEquations, columnOfRow: [Int], columns m: Int)
        throws(PanelError) -> (response: [Double], design: [Double])
    {
        let k = sample.width
        let rows = sample.untreatedOutcome.count
        let mean = sample.untreatedOutcome.reduce(0, +) / Double(rows)
        var primarySums = [Double](repeating: 0, count: sample.primaryCount * m)
        var secondarySums = [Double](repeating: 0, count: sample.secondaryCount * m)
        for row in 0..<rows {
            let value = sample.untreatedOutcome[row] - mean
            let column = columnOfRow[row]
            let primary = Int(sample.untreatedPrimary[row]) * m
            primarySums[primary] += value
            if column > 0 { primarySums[primary + column] += 1 }
            for a in 0..<k {
                let secondary = Int(sample.untreatedSecondary[row * k + a]) * m
                secondarySums[secondary] += value
                if column > 0 { secondarySums[secondary + column] += 1 }
            }
        }
        let coefficients = try equations.solve(primarySums: primarySums, secondarySums: secondarySums, count: m)
        var response = [Double](repeating: 0, count: rows)
        var design = [Double](repeating: 0, count: rows * (m - 1))
        let primary = coefficients.primary, secondary = coefficients.secondary
        response.withUnsafeMutableBufferPointer { outcome in
            design.withUnsafeMutableBufferPointer { leads in
                sample.untreatedSecondary.withUnsafeBufferPointer { levels in
                    for row in 0..<rows {
                        let base = Int(sample.untreatedPrimary[row]) * m
                        let lead = columnOfRow[row]
                        for j in 0..<m {
                            var fitted = primary[base + j]
                            for a in 0..<k { fitted += secondary[Int(levels[row * k + a]) * m + j] }
                            if j == 0 {
                                outcome[row] = sample.untreatedOutcome[row] - mean - fitted
                            } else {
                                leads[(j - 1) * rows + row] = (lead == j ? 1.0 : 0) - fitted
                            }
                        }
                    }
                }
            }
        }
        return (response, design)
    }
}
