// The collapsed Poisson fit's cell effects and their covariance (derivation in
// +CollapsedPoisson.swift; the quantities are those of +Effects.swift, computed by group and
// accumulated by cluster instead of from a rows × parameters design).

import Estimation
import Foundation
import Inference
import LinearAlgebra

extension ExtendedTwoWayFixedEffectsEstimator {
    /// Cell effects, observed means and their covariance from the group fit (see the file header
    /// of +CollapsedPoisson.swift), and the number of clusters.
    func collapsedEffects(cells: [(cell: Cell, index: Int)], coefficientOfTerm: [Int?], p: Int,
                          fit: RegressionFit, groupOf: [Int], groupPattern: [[Int]], periodCount: Int, pi: [Double], unitTotal: [Double],
                          active: (Int, Int) -> [Int], clusterOf: [Int], usable: [Bool], inFit: (Int) -> Bool, observations: Int,
                          design: DiDDesign) throws -> (cellEffects: CellEffects, clusters: Int) {
        let structure = design.timing.structure
        let outcome = design.outcomeColumn.values
        let c = cells.count
        let groupCount = groupPattern.count
        let periodIndex = Dictionary(uniqueKeysWithValues: structure.periodValues.enumerated().map { ($1, $0) })
        // Group totals over units in the fit, and μ̂-weighted means x̄ₖ = Σₜ πₖₜ xₜ (by coefficient).
        var groupTotal = [Double](repeating: 0, count: groupCount)
        for unit in unitTotal.indices where groupOf[unit] >= 0 && unitTotal[unit] > 0 { groupTotal[groupOf[unit]] += unitTotal[unit] }
        var groupMean = [[Double]](repeating: [], count: groupCount)
        for k in 0..<groupCount {
            var mean = [Double](repeating: 0, count: p)
            for t in groupPattern[k] where pi[k * periodCount + t] > 0 {
                for term in active(k, t) { if let j = coefficientOfTerm[term] { mean[j] += pi[k * periodCount + t] } }
            }
            groupMean[k] = mean
        }
        // Each cell: size (fit rows + all-zero rows), effect, observed mean, gradient (C × p).
        var effects = [Double](repeating: 0, count: c), means = [Double](repeating: 0, count: c)
        var gradient = Matrix(rows: c, columns: p)
        var cellOfRow = [Int32](repeating: -1, count: structure.rowCount)
        var delta = [Double](repeating: 0, count: c)
        for (index, entry) in cells.enumerated() {
            delta[index] = fit.coefficients[entry.index]
            let size = Double(entry.cell.size)
            // The groups of the cell's units in the fit, in increasing order: a fixed summation
            // order, so the effects and their gradient are the same bits in every run (a
            // dictionary's order changes from process to process).
            let groups = Set(entry.cell.rows.map { groupOf[Int(structure.unitCodes[$0])] }).sorted()
            for row in entry.cell.rows + entry.cell.allZeroRows {
                means[index] += outcome[row] / size
                cellOfRow[row] = Int32(index)
            }
            let t = periodIndex[entry.cell.time] ?? 0
            for k in groups {
                let mu = groupTotal[k] * pi[k * periodCount + t]
                let effect = mu * (1 - exp(-delta[index])), untreated = mu * exp(-delta[index])
                effects[index] += effect / size
                for term in active(k, t) { if let j = coefficientOfTerm[term] { gradient[index, j] += effect / size } }
                for j in 0..<p where groupMean[k][j] != 0 { gradient[index, j] -= effect * groupMean[k][j] / size }
                gradient[index, entry.index] += untreated / size
            }
        }
        // Rows of the covariance: those in the fit and those of all-zero units, sorted by cluster.
        var clusterCode = [Int: Int]()
        var rowsByCluster = [[Int]]()
        for row in 0..<structure.rowCount where usable[row] {
            let unit = Int(structure.unitCodes[row])
            guard unitTotal[unit] == 0 || inFit(row) else { continue }
            let code = clusterCode[clusterOf[unit]] ?? rowsByCluster.count
            if code == rowsByCluster.count { clusterCode[clusterOf[unit]] = code; rowsByCluster.append([]) }
            rowsByCluster[code].append(row)
        }
        // Σ s sᵀ, Σ s eᵀ, Σ e eᵀ over clusters, with sparse scratch vectors.
        let b = 2 * c
        var meat = [Double](repeating: 0, count: p * p), cross = [Double](repeating: 0, count: p * b), own = [Double](repeating: 0, count: b * b)
        var score = [Double](repeating: 0, count: p), sampling = [Double](repeating: 0, count: b)
        var scoreTouched = [Int](), samplingTouched = [Int]()
        var scoreSeen = [Bool](repeating: false, count: p), samplingSeen = [Bool](repeating: false, count: b)
        for rows in rowsByCluster {
            for row in rows {
                let unit = Int(structure.unitCodes[row])
                let k = groupOf[unit], t = periodIndex[structure.periods[row]] ?? 0
                let mu = unitTotal[unit] * pi[k * periodCount + t]
                if unitTotal[unit] > 0 {
                    let residual = outcome[row] - mu
                    for term in active(k, t) {
                        guard let j = coefficientOfTerm[term] else { continue }
                        score[j] += residual
                        if !scoreSeen[j] { scoreSeen[j] = true; scoreTouched.append(j) }
                    }
                }
                guard cellOfRow[row] >= 0 else { continue }
                let index = Int(cellOfRow[row])
                let size = Double(cells[index].cell.size)
                sampling[index] += (mu * (1 - exp(-delta[index])) - effects[index]) / size
                sampling[c + index] += (outcome[row] - means[index]) / size
                for position in [index, c + index] where !samplingSeen[position] { samplingSeen[position] = true; samplingTouched.append(position) }
            }
            for i in scoreTouched {
                for j in scoreTouched { meat[i + j * p] += score[i] * score[j] }
                for j in samplingTouched { cross[i + j * p] += score[i] * sampling[j] }
            }
            for i in samplingTouched { for j in samplingTouched { own[i + j * b] += sampling[i] * sampling[j] } }
            for i in scoreTouched { score[i] = 0; scoreSeen[i] = false }
            for i in samplingTouched { sampling[i] = 0; samplingSeen[i] = false }
            scoreTouched.removeAll(keepingCapacity: true)
            samplingTouched.removeAll(keepingCapacity: true)
        }
        // A = [gradient · bread; 0] (2C × p); V = A M Aᵀ + A C + (A C)ᵀ + E.
        let through = try gradient.multiplied(by: fit.bread)
        var a = Matrix(rows: b, columns: p)
        for i in 0..<c { for j in 0..<p { a[i, j] = through[i, j] } }
        let meatMatrix = Matrix(rows: p, columns: p, values: meat)
        let crossMatrix = Matrix(rows: p, columns: b, values: cross)
        let ac = try a.multiplied(by: crossMatrix)
        var covariance = try a.multiplied(by: meatMatrix).multiplied(by: a, transposeOther: true)
        for i in 0..<b { for j in 0..<b { covariance[i, j] += ac[i, j] + ac[j, i] + own[i + j * b] } }
        let clusters = rowsByCluster.count
        let correction = SmallSampleCorrection.fixestDefault
        let factor = correction.parameterFactor(observations: observations, parameters: p + 1) * correction.clusterFactor(clusters: clusters)
        for i in 0..<b { for j in 0..<b { covariance[i, j] *= factor } }
        return (CellEffects(effects: effects, observedMeans: means, basisCovariance: covariance), clusters)
    }
}
