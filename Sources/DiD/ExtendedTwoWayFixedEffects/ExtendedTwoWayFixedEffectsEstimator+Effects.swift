// The extended TWFE's cell effects and the covariance of the quantities its aggregates are built
// from: for least squares the cell coefficients and their regression covariance; for Poisson the
// average effects on the treated and the observed means of each cell, with a cluster-robust
// covariance from their influence functions.
//
// Poisson, with unit effects αᵢ concentrated out (fixest's fepois): on unit i's observations
// μ̂ᵢₜ = Yᵢ·exp(xᵢₜβ̂) / Σₛ exp(xᵢₛβ̂), Yᵢ the unit's total (the first-order condition of αᵢ).
// The cell effect τ_c = mean over the cell's observations of μ̂(1 − e^{−δ̂_c}). Its influence, per
// cluster: the gradient through β̂ (∂η/∂β = x̃, x demeaned within the unit with weights μ̂, since
// α̂ moves with β̂) times β̂'s influence (bread × the cluster's scores), plus the cell's own sampling
// of units, (τᵢₜ − τ_c)/n_c. On a balanced panel this equals the delta method of the cohort-dummy
// Poisson of jwdid and diff-diff (whose cohort intercept's score is that sampling term; Poisson
// unit and cohort effects give the same slopes there), which Tests/Fixtures/etwfe checks.
// The observed mean's influence is (yᵢₜ − ȳ_c)/n_c. The small-sample factor is fepois's own (the
// ratio of its covariance to the raw sandwich), so that no second convention is written here.
// Units whose outcome is zero throughout are out of the fit (α̂ᵢ = −∞, μ̂ = 0) but not out of the
// cohort: as in the cohort-dummy fits (jwdid, diff-diff; Wooldridge 2023 averages over the treated
// cohort), n_c counts their rows, with τᵢₜ = yᵢₜ = 0, β̂ does not move with them (their influence
// is the sampling term alone), and their clusters count in fepois's G/(G − 1).

import Estimation
import Foundation
import Inference
import LinearAlgebra
import PanelData

extension ExtendedTwoWayFixedEffectsEstimator {
    /// Cell effects and the covariance of the basis the aggregates are built from: the C cell
    /// effects, then (Poisson) the C cells' observed means.
    struct CellEffects {
        let effects: [Double]
        /// Poisson: each cell's mean observed outcome (ΣY₁ / n), nil for least squares.
        let observedMeans: [Double]?
        /// Covariance of effects (then observed means), C × C or 2C × 2C.
        let basisCovariance: Matrix
        /// Poisson: the clusters of that covariance when they differ from the fit's (the all-zero
        /// units' clusters count); nil: the fit's.
        var clusterCount: Int? = nil
    }

    /// Least squares: the cell's mean of its treatment block, δ + Σⱼ ξⱼ x̂ⱼ (δ itself without
    /// covariates, and on a balanced panel, where x̂ averages to zero in every cell).
    func linearEffects(cells: [(cell: Cell, index: Int)], blocks: [[(index: Int, values: [Double])]], fitted: DiDDesign.FittedModel,
                       covariance coefficientCovariance: Matrix) throws -> CellEffects {
        let p = fitted.fit.coefficients.count
        var map = Matrix(rows: cells.count, columns: p)
        var effects = [Double](repeating: 0, count: cells.count)
        for (index, entry) in cells.enumerated() {
            let size = Double(entry.cell.rows.count)
            for term in blocks[index] {
                let mean = entry.cell.rows.reduce(0) { $0 + term.values[$1] } / size
                map[index, term.index] += mean
                effects[index] += mean * fitted.fit.coefficients[term.index]
            }
        }
        let covariance = try map.multiplied(by: coefficientCovariance).multiplied(by: map, transposeOther: true)
        return CellEffects(effects: effects, observedMeans: nil, basisCovariance: covariance)
    }

    /// Poisson: average effects on the treated, observed means, and their joint covariance.
    func poissonEffects(cells: [(cell: Cell, index: Int)], blocks: [[(index: Int, values: [Double])]], fitted: DiDDesign.FittedModel,
                        design: DiDDesign, extraColumns: [(String, Column)], allZeroUnitRows: [Int]) throws -> CellEffects {
        let fit = fitted.fit
        let structure = design.timing.structure
        let outcome = design.outcomeColumn.values
        guard case let .cluster(names) = fitted.covariance.type, names.count == 1,
              let cluster = fit.clusterVariables.first(where: { $0.name == names[0] }) else {
            throw EstimationError("--estimator etwfe with --model poisson needs one-way clustered standard errors (the default clusters by unit): its delta method sums influence functions by cluster")
        }
        let rows = fit.core.sourceRows
        // The all-zero units (`allZeroUnitRows`: all their rows) are sampled units whose influence
        // is their cells' share only: their clusters, coded after the fit's from the data's cluster
        // column, count in G as in the cohort-dummy fits of jwdid and diff-diff.
        let zeroRows = allZeroUnitRows
        var zeroCluster = [Int: Int]()
        var clusterCount = cluster.levelCount
        if !zeroRows.isEmpty {
            guard let column = design.sourceTable.column(named: names[0]) else {
                throw EstimationError("etwfe: the cluster column '\(names[0])' is not in the data")
            }
            func key(_ row: Int) -> Double {
                switch column {
                case .numeric(let values): values[row]
                case .text(let text): Double(text.codes[row])
                }
            }
            var code = [Double: Int]()
            for (k, row) in rows.enumerated() { code[key(row)] = Int(cluster.codes[k]) }
            for row in zeroRows {
                if let known = code[key(row)] { zeroCluster[row] = known; continue }
                code[key(row)] = clusterCount
                zeroCluster[row] = clusterCount
                clusterCount += 1
            }
        }
        let n = rows.count
        let p = fit.coefficients.count
        // Each observation's non-zero regressors (a cell, a period, their covariate products).
        let columnByName = Dictionary(extraColumns.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        var active = [[(j: Int, value: Double)]](repeating: [], count: n)
        for (j, name) in fit.coefficientNames.enumerated() {
            guard case let .numeric(values)? = columnByName[name] else {
                throw EstimationError("etwfe: coefficient '\(name)' is not one of its indicators")
            }
            for k in 0..<n where values[rows[k]] != 0 { active[k].append((j, values[rows[k]])) }
        }
        let beta = fit.coefficients
        let eta = active.map { $0.reduce(0) { $0 + beta[$1.j] * $1.value } }
        // μ̂ from the unit totals, shifted by each unit's largest η for safety.
        let unitOf = rows.map { Int(structure.unitCodes[$0]) }
        var shift = [Int: Double](), total = [Int: Double](), scale = [Int: Double]()
        for k in 0..<n { shift[unitOf[k]] = max(shift[unitOf[k]] ?? -.infinity, eta[k]) }
        for k in 0..<n {
            total[unitOf[k], default: 0] += outcome[rows[k]]
            scale[unitOf[k], default: 0] += exp(eta[k] - (shift[unitOf[k]] ?? 0))
        }
        var mu = [Double](repeating: 0, count: n)
        for k in 0..<n {
            let unit = unitOf[k]
            let relative: Double = exp(eta[k] - (shift[unit] ?? 0)) / (scale[unit] ?? 1)
            mu[k] = (total[unit] ?? 0) * relative
        }
        // μ̂-weighted unit means of the regressors, sparse: unit → (coefficient → Σ μ̂x / Yᵢ).
        var unitMeans = [Int: [Int: Double]]()
        for k in 0..<n {
            for term in active[k] { unitMeans[unitOf[k], default: [:]][term.j, default: 0] += mu[k] * term.value / (total[unitOf[k]] ?? 1) }
        }
        // Gradients of each cell effect with respect to β̂ (C × p), effects and observed means.
        let c = cells.count
        var gradient = Matrix(rows: c, columns: p)
        var effects = [Double](repeating: 0, count: c), means = [Double](repeating: 0, count: c)
        let position = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1, $0) })
        var cellObservations = [[Int]](repeating: [], count: c)
        // The treatment block of each observation: δ + Σⱼ ξⱼ x̂ⱼ, switched off in the counterfactual
        // (Wooldridge 2023, eq. 3.15).
        var block = [Double](repeating: 0, count: n)
        for (index, entry) in cells.enumerated() {
            let members = entry.cell.rows.compactMap { position[$0] }
            cellObservations[index] = members
            for k in members { block[k] = blocks[index].reduce(0) { $0 + beta[$1.index] * $1.values[rows[k]] } }
        }
        for index in cells.indices {
            let members = cellObservations[index]
            let size = Double(cells[index].cell.size)
            for k in members {
                let untreated = mu[k] * exp(-block[k])
                let effect = mu[k] - untreated
                effects[index] += effect / size
                means[index] += outcome[rows[k]] / size
                for term in active[k] { gradient[index, term.j] += effect * term.value / size }
                for (j, mean) in unitMeans[unitOf[k]] ?? [:] { gradient[index, j] -= effect * mean / size }
                for term in blocks[index] { gradient[index, term.index] += untreated * term.values[rows[k]] / size }
            }
        }
        // β̂'s influence per cluster: (Σ scores) × bread, G × p.
        let design = fit.weightedDesign
        let residuals = fit.weightedResiduals
        var scoreSums = Matrix(rows: cluster.levelCount, columns: p)
        for j in 0..<p {
            for k in 0..<n { scoreSums[Int(cluster.codes[k]), j] += design[k, j] * residuals[k] }
        }
        let influence = try scoreSums.multiplied(by: fit.bread)
        let raw = try influence.multiplied(by: influence, transposeSelf: true)
        let reference = (0..<p).max { raw[$0, $0] < raw[$1, $1] } ?? 0
        var factor = raw[reference, reference] > 0 ? fitted.covariance.matrix[reference, reference] / raw[reference, reference] : .nan
        // fepois's G/(G − 1) with the all-zero units' clusters counted (its (n − 1)/(n − K) kept).
        let fitClusters = Double(cluster.levelCount), allClusters = Double(clusterCount)
        if clusterCount != cluster.levelCount { factor *= allClusters / (allClusters - 1) * (fitClusters - 1) / fitClusters }
        // Influence of the basis per cluster: the β̂ part, then each cell's own sampling of units
        // (an all-zero unit's rows: effect and outcome 0; β̂ does not move with them).
        var basis = Matrix(rows: clusterCount, columns: 2 * c)
        let through = try influence.multiplied(by: gradient, transposeOther: true)
        for g in 0..<cluster.levelCount { for index in 0..<c { basis[g, index] = through[g, index] } }
        for index in 0..<c {
            let size = Double(cells[index].cell.size)
            for k in cellObservations[index] {
                let g = Int(cluster.codes[k])
                basis[g, index] += (mu[k] * (1 - exp(-block[k])) - effects[index]) / size
                basis[g, c + index] += (outcome[rows[k]] - means[index]) / size
            }
            for row in cells[index].cell.allZeroRows {
                guard let g = zeroCluster[row] else { continue }
                basis[g, index] -= effects[index] / size
                basis[g, c + index] -= means[index] / size
            }
        }
        let covariance = factor * (try basis.multiplied(by: basis, transposeSelf: true))
        return CellEffects(effects: effects, observedMeans: means, basisCovariance: covariance,
                           clusterCount: clusterCount == cluster.levelCount ? nil : clusterCount)
    }
}
