// The clustered variance of the Poisson imputation's proportional effects (ImputationDiD+Poisson),
// by the delta method through the first stage's scores: a two-step M-estimator's sandwich.
//
// For a set A of treated rows, r = log S₁ − log S₀(γ̂) with S₁ = Σ_A Y, S₀ = Σ_A exp(dᵢₜ′γ̂) and γ̂
// the unit and period effects fitted on the untreated rows, whose score is Σ dᵢₜ (Yᵢₜ − μᵢₜ).
// Linearising, γ̂ − γ ≈ H⁻¹ Σ dᵢₜ (Yᵢₜ − μᵢₜ) with H = Σ μᵢₜ dᵢₜ dᵢₜ′ over the untreated rows, so
//     r̂ − r ≈ Σ_A (Yᵢₜ − E Yᵢₜ) / S₁  −  Σ_untreated dᵢₜ′v (Yᵢₜ − μᵢₜ) / S₀,   v = H⁻¹ ∂S₀/∂γ,
// and the variance is Σ_clusters (Σ_rows score)². As Borusyak, Jaravel & Spiess (2024, Theorem 3)
// do for the linear imputation, E Yᵢₜ of a treated row is estimated within its cohort × period
// cell: Ŷ(0)ᵢₜ · S₁(cell) / S₀(cell) (its horizon when cells are not reported), so the treated
// rows' part is conservative when effects vary within cells. No small-sample factor; tests use t(G − 1) (FewClusters).
//
// Speed: H has a unit block that is diagonal, so v is found from the Schur complement on the
// period block (periods × periods, dense and small), for every estimand in one factorisation.

import LinearAlgebra
import PanelData

extension ImputationDiD {
    /// The joint covariance of the Poisson imputation's estimands (`PoissonImputationEstimands` order), with
    /// the number of clusters that hold a row used.
    static func poissonCovariance(sample: ImputationSample, untreatedFitted: [Double], treatedFitted: [Double], sets: PoissonImputationEstimands,
                                  observed: [Double], imputed: [Double], clusterCount: Int) throws -> (covariance: Matrix, clustersUsed: Int)
    {
        let treated = sample.treated
        let untreatedCount = sample.untreatedOutcome.count
        let primaryCount = sample.primaryCount, levels = sample.secondaryCount
        let estimandCount = sets.count
        // ∂S₀/∂γ for each estimand: Σ Ŷ(0) over its rows, by primary and by secondary level.
        var gradientPrimary = [Double](repeating: 0, count: estimandCount * primaryCount)
        var gradientSecondary = [Double](repeating: 0, count: estimandCount * levels)
        for row in 0..<treated.count {
            let p = Int(treated.primary[row]), s = Int(treated.secondary[row])
            for j in sets.members(ofRow: row) {
                gradientPrimary[j * primaryCount + p] += treatedFitted[row]
                gradientSecondary[j * levels + s] += treatedFitted[row]
            }
        }
        // H's blocks: D (primary, diagonal), C (secondary, diagonal), and their cross sums.
        var primaryWeight = [Double](repeating: 0, count: primaryCount)
        var secondaryWeight = [Double](repeating: 0, count: levels)
        for row in 0..<untreatedCount {
            primaryWeight[Int(sample.untreatedPrimary[row])] += untreatedFitted[row]
            secondaryWeight[Int(sample.untreatedSecondary[row])] += untreatedFitted[row]
        }
        // Rows grouped by primary level (counting sort) for the Schur complement's outer products.
        var start = [Int](repeating: 0, count: primaryCount + 1)
        for row in 0..<untreatedCount { start[Int(sample.untreatedPrimary[row]) + 1] += 1 }
        for p in 0..<primaryCount { start[p + 1] += start[p] }
        var next = start, byPrimary = [Int](repeating: 0, count: untreatedCount)
        for row in 0..<untreatedCount {
            let p = Int(sample.untreatedPrimary[row])
            byPrimary[next[p]] = row
            next[p] += 1
        }
        // The secondary levels solved for: a positive weight, less one reference (H is singular by
        // the effects' common level; d′v does not depend on which level is fixed).
        let positive = (0..<levels).filter { secondaryWeight[$0] > 0 }
        let solved = Array(positive.dropFirst())
        var position = [Int](repeating: -1, count: levels)
        for (index, level) in solved.enumerated() { position[level] = index }
        // Schur complement C − Σₚ mₚmₚ′ / Dₚ, and the right-hand sides g_s − Σₚ mₚ g_p / Dₚ.
        var schur = Matrix(rows: solved.count, columns: solved.count)
        for (index, level) in solved.enumerated() { schur[index, index] = secondaryWeight[level] }
        var rhs = Matrix(rows: solved.count, columns: estimandCount)
        for j in 0..<estimandCount { for (index, level) in solved.enumerated() { rhs[index, j] = gradientSecondary[j * levels + level] } }
        for p in 0..<primaryCount where primaryWeight[p] > 0 {
            let rows = byPrimary[start[p]..<start[p + 1]]
            for a in rows {
                let i = position[Int(sample.untreatedSecondary[a])]
                guard i >= 0 else { continue }
                let wa = untreatedFitted[a] / primaryWeight[p]
                for b in rows {
                    let k = position[Int(sample.untreatedSecondary[b])]
                    if k >= 0 { schur[i, k] -= wa * untreatedFitted[b] }
                }
                for j in 0..<estimandCount { rhs[i, j] -= wa * gradientPrimary[j * primaryCount + p] }
            }
        }
        let secondarySolution = solved.isEmpty ? Matrix(rows: 0, columns: estimandCount)
            : try schur.symmetricPositiveDefiniteInverse().multiplied(by: rhs)
        var vSecondary = [Double](repeating: 0, count: estimandCount * levels)
        for j in 0..<estimandCount { for (index, level) in solved.enumerated() { vSecondary[j * levels + level] = secondarySolution[index, j] } }
        // v_p = (g_p − Σ_rows μ v_s) / D_p.
        var vPrimary = [Double](repeating: 0, count: estimandCount * primaryCount)
        for p in 0..<primaryCount where primaryWeight[p] > 0 {
            for j in 0..<estimandCount {
                var cross = 0.0
                for row in byPrimary[start[p]..<start[p + 1]] { cross += untreatedFitted[row] * vSecondary[j * levels + Int(sample.untreatedSecondary[row])] }
                vPrimary[j * primaryCount + p] = (gradientPrimary[j * primaryCount + p] - cross) / primaryWeight[p]
            }
        }
        // Per-cluster scores.
        var scores = [Double](repeating: 0, count: clusterCount * estimandCount)
        var used = [Bool](repeating: false, count: clusterCount)
        for row in 0..<untreatedCount {
            let cluster = Int(sample.untreatedCluster[row])
            used[cluster] = true
            let residual = sample.untreatedOutcome[row] - untreatedFitted[row]
            guard residual != 0 else { continue }
            let p = Int(sample.untreatedPrimary[row]), s = Int(sample.untreatedSecondary[row])
            for j in 0..<estimandCount where imputed[j] > 0 {
                let leverage = vPrimary[j * primaryCount + p] + vSecondary[j * levels + s]
                scores[cluster * estimandCount + j] -= leverage * residual / imputed[j]
            }
        }
        for row in 0..<treated.count {
            let cluster = Int(treated.cluster[row])
            used[cluster] = true
            let cell = sets.residualGroup(ofRow: row)
            let ratio = imputed[cell] > 0 ? observed[cell] / imputed[cell] : 0
            let residual = treated.outcome[row] - treatedFitted[row] * ratio
            for j in sets.members(ofRow: row) where observed[j] > 0 { scores[cluster * estimandCount + j] += residual / observed[j] }
        }
        var covariance = clusterScoreCrossProduct(scores, used: used, estimandCount: estimandCount)
        for j in 0..<estimandCount where !(observed[j] > 0 && imputed[j] > 0) {
            for k in 0..<estimandCount { covariance[j, k] = .nan; covariance[k, j] = .nan }
        }
        return (covariance, used.reduce(0) { $0 + ($1 ? 1 : 0) })
    }
}
