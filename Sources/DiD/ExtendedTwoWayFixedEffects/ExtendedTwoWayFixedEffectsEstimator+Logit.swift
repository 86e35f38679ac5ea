// The extended TWFE's logit (Wooldridge 2023, §3; Stata `jwdid, method(logit)`): a binary outcome
// on an intercept, the cohort × period cells, cohort dummies and period dummies (a logit with unit
// effects would have the incidental-parameter bias; cohort effects do not), fitted by maximum
// likelihood with the Newton–Raphson of TwoByTwo/LogitModel.swift. Cell effects are average
// effects on the treated, the cell's mean of Λ(η̂) − Λ(η̂ − δ̂); their covariance is the delta
// method on the cluster-robust sandwich (X'WX)⁻¹ (Σ_g s_g s_gᵀ) (X'WX)⁻¹ with the small-sample
// factor G/(G − 1)·(n − 1)/(n − K) (`SmallSampleCorrection.fixestDefault`, K every column).
// Time-invariant covariates enter as diff-diff's `exovar` and Wooldridge (2023, §3) do.

import Estimation
import Foundation
import Inference
import LinearAlgebra
import PanelData
import Primitives

extension ExtendedTwoWayFixedEffectsEstimator {
    /// What a logit fit gives the estimator.
    struct LogitSummary {
        let effects: CellEffects
        let rows: [Int]
        let clusterCount: Int
    }

    /// Fits the logit on `usable` rows with `cells`, and returns the cells' average effects on the
    /// treated with their covariance.
    /// Covariates (time-invariant) enter as diff-diff's `exovar`: cell × (x − cohort mean), cohort
    /// × x (all but the first cohort level), period × x (all but the first period), and x.
    func logitEffects(cells: [Cell], usable: [Bool], design: DiDDesign, covariates: [(name: String, values: [Double])] = [],
                      centred: [[Double]] = []) throws -> LogitSummary {
        let structure = design.timing.structure
        let outcome = design.outcomeColumn.values
        let name = design.outcomeColumn.name
        let rows = (0..<structure.rowCount).filter { usable[$0] }
        try Self.requireBinary(outcome, usable: usable, name: name, source: structure.source)
        // The cluster of each row: the unit, or a numeric column.
        let clusterName: String
        if case let .cluster(names) = design.options.covariance, names.count == 1 { clusterName = names[0] } else {
            throw EstimationError("--estimator etwfe with --model logit needs one-way clustered standard errors (the default clusters by unit)")
        }
        let clusterKeys: [Int64]
        if clusterName == structure.unitName {
            clusterKeys = rows.map { Int64(structure.unitCodes[$0]) }
        } else if case let .numeric(values)? = design.sourceTable.column(named: clusterName), rows.allSatisfy({ !values[$0].isNaN }) {
            clusterKeys = rows.map { Int64(values[$0].bitPattern) }
        } else {
            throw PanelError("\(structure.source): --cluster '\(clusterName)' must be a numeric column without missing values for --model logit")
        }
        let cluster = Factor(name: clusterName, keys: clusterKeys)
        // Columns: intercept, cells, cohorts but the first level (never treated first), periods but the first.
        let cohortOf = rows.map { structure.cohorts[Int(structure.unitCodes[$0])] ?? Int.min }
        let cohortLevels = Array(Set(cohortOf).sorted().dropFirst())
        let periodLevels = Array(Set(rows.map { structure.periods[$0] }).sorted().dropFirst())
        let cellOfRow = Dictionary(cells.enumerated().flatMap { index, cell in cell.rows.map { ($0, index) } }, uniquingKeysWith: { first, _ in first })
        let c = cells.count, m = covariates.count
        // Columns: 1, cells, cells × x̂, cohorts, periods, then per covariate cohorts × x, periods × x, x.
        let cohortStart = 1 + c + c * m, periodStart = cohortStart + cohortLevels.count
        let covariateStart = periodStart + periodLevels.count
        let perCovariate = cohortLevels.count + periodLevels.count + 1
        let k = covariateStart + m * perCovariate
        let cohortColumn = Dictionary(uniqueKeysWithValues: cohortLevels.enumerated().map { ($1, $0) })
        let periodColumn = Dictionary(uniqueKeysWithValues: periodLevels.enumerated().map { ($1, $0) })
        let n = rows.count
        var x = [Double](repeating: 0, count: n * k)
        for (i, row) in rows.enumerated() {
            x[i * k] = 1
            let cohortIndex = cohortColumn[cohortOf[i]], periodIndex = periodColumn[structure.periods[row]]
            if let cell = cellOfRow[row] {
                x[i * k + 1 + cell] = 1
                for j in 0..<m { x[i * k + 1 + c + cell * m + j] = centred[j][row] }
            }
            if let cohortIndex { x[i * k + cohortStart + cohortIndex] = 1 }
            if let periodIndex { x[i * k + periodStart + periodIndex] = 1 }
            for j in 0..<m {
                let base = covariateStart + j * perCovariate
                let value = covariates[j].values[row]
                if let cohortIndex { x[i * k + base + cohortIndex] = value }
                if let periodIndex { x[i * k + base + cohortLevels.count + periodIndex] = value }
                x[i * k + base + perCovariate - 1] = value
            }
        }
        let model: LogitModel
        do {
            model = try LogitModel(design: x, columns: k, treated: rows.map { outcome[$0] == 1 })
        } catch .separation {
            throw EstimationError("--model logit: '\(name)' is perfectly predicted by a combination of cohort × period cells, cohorts and periods (no single cell, cohort or period is all 0 or all 1; those are left out before the fit), so the logit has no finite maximum; use --model linear")
        } catch {
            throw EstimationError("--model logit: the logit's information matrix is singular: the cohort × period cells, cohorts and periods are collinear, or fitted probabilities reached 0 or 1 (quasi-separation by a combination of them); use --model linear")
        }
        // Bread, cluster score sums, sandwich.
        var information = Matrix(rows: k, columns: k)
        var scores = Matrix(rows: cluster.levelCount, columns: k)
        for i in 0..<n {
            let p = model.fitted[i]
            let weight = p * (1 - p)
            let residual = outcome[rows[i]] - p
            let g = Int(cluster.codes[i])
            for a in 0..<k where x[i * k + a] != 0 {
                scores[g, a] += x[i * k + a] * residual
                for b in 0..<k where x[i * k + b] != 0 { information[a, b] += weight * x[i * k + a] * x[i * k + b] }
            }
        }
        let bread = try information.symmetricPositiveDefiniteInverse()
        let influence = try scores.multiplied(by: bread)
        let correction = SmallSampleCorrection.fixestDefault
        let factor = correction.parameterFactor(observations: n, parameters: k) * correction.clusterFactor(clusters: cluster.levelCount)
        // Effects and their gradients.
        var gradient = Matrix(rows: c, columns: k)
        var effects = [Double](repeating: 0, count: c)
        for index in cells.indices {
            // The cell's treatment block: δ and its covariate products, switched off together.
            let block = [1 + index] + (0..<m).map { 1 + c + index * m + $0 }
            let members = rows.indices.filter { cellOfRow[rows[$0]] == index }
            let size = Double(members.count)
            for i in members {
                var eta = 0.0
                for a in 0..<k { eta += x[i * k + a] * model.coefficients[a] }
                let switchedOff = block.reduce(0) { $0 + x[i * k + $1] * model.coefficients[$1] }
                let treated = 1 / (1 + exp(-eta)), untreated = 1 / (1 + exp(-(eta - switchedOff)))
                effects[index] += (treated - untreated) / size
                let slope = treated * (1 - treated) - untreated * (1 - untreated)
                for a in 0..<k where x[i * k + a] != 0 { gradient[index, a] += slope * x[i * k + a] / size }
                for a in block { gradient[index, a] += untreated * (1 - untreated) * x[i * k + a] / size }
            }
        }
        let through = try influence.multiplied(by: gradient, transposeOther: true)
        let covariance = factor * (try through.multiplied(by: through, transposeSelf: true))
        return LogitSummary(effects: CellEffects(effects: effects, observedMeans: nil, basisCovariance: covariance),
                            rows: rows, clusterCount: cluster.levelCount)
    }

    /// A one-line error naming the first row whose outcome is neither 0 nor 1.
    static func requireBinary(_ outcome: [Double], usable: [Bool], name: String, source: String) throws {
        if let row = outcome.indices.first(where: { usable[$0] && outcome[$0] != 0 && outcome[$0] != 1 }) {
            throw PanelError("\(source): --model logit needs a 0/1 outcome, but '\(name)' is \(NumberFormat.short4g(outcome[row])) in row \(row + 1)")
        }
    }
}
