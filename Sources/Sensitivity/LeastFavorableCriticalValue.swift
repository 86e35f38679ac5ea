// The least-favourable critical value of the conditional–least-favourable hybrid test (Andrews,
// Roth & Pakes 2023, §3.3; used by Rambachan & Roth 2023 for Δ^RM): the (1 − κ) quantile of
// η* = min{η : ξ − Xν ≤ σ η} over draws ξ ~ N(0, Σ_Y), the statistic's law when every moment binds.
//
// Goals: HonestDiD's construction (R `.compute_least_favorable_cv`, moderndid 0.2.0
// `compute_least_favorable_cv`: 1000 draws, the quantile with linear interpolation), with
// Quipu's own seeded stream so that a run is reproducible; each draw's program bounded. The draws
// differ from R's and numpy's, so c_LF carries Monte Carlo error of its own (about ±0.1 at
// κ = 0.005 with 1000 draws); the tests compare C-LF intervals with a tolerance that allows for it.

import LinearAlgebra
import Inference
import Primitives

enum LeastFavorableCriticalValue {
    /// HonestDiD's number of draws.
    static let defaultSimulations = 1000

    static func compute(nuisance: [[Double]], covariance: Matrix, kappa: Double,
                        simulations: Int = defaultSimulations, seed: UInt64 = 0) throws -> Double {
        let count = covariance.rows
        guard count > 0, simulations > 0 else {
            throw SensitivityError.optimizationFailed("the least-favourable critical value has no moments to simulate")
        }
        // ξ = V diag(√λ⁺) z: an eigen-factor works for a singular Σ_Y too (A Σ A' has rank ≤ columns).
        let eigen: (values: [Double], vectors: Matrix)
        do { eigen = try covariance.symmetricEigen() } catch {
            throw SensitivityError.optimizationFailed("the moments' covariance could not be factored (\(error))")
        }
        let roots = eigen.values.map { max($0, 0).squareRoot() }
        let sd = (0..<count).map { max(max(covariance[$0, $0], 0).squareRoot(), 1e-10) }
        var stream = RandomStream(seed: seed)
        var statistics: [Double] = []
        statistics.reserveCapacity(simulations)
        var xi = [Double](repeating: 0, count: count)
        for _ in 0..<simulations {
            let z = (0..<count).map { roots[$0] * stream.nextNormal() }
            for row in 0..<count {
                var total = 0.0
                for column in 0..<count { total += eigen.vectors[row, column] * z[column] }
                xi[row] = total
            }
            if nuisance.first?.isEmpty ?? true {
                statistics.append((0..<count).map { xi[$0] / sd[$0] }.max() ?? 0)
                continue
            }
            let program = ConditionalMomentInequalityTest.dualProgram(objective: xi, standardDeviations: sd, nuisance: nuisance)
            switch program.solve() {
            case let .optimal(_, value): statistics.append(-value)
            case .infeasible, .unbounded: continue  // HonestDiD drops the draws whose program fails
            case .iterationLimit:
                throw SensitivityError.optimizationFailed("a least-favourable draw's linear program stopped at its pivot limit")
            }
        }
        guard !statistics.isEmpty else {
            throw SensitivityError.optimizationFailed("no least-favourable draw had a solvable program")
        }
        return quantile(statistics.sorted(), 1 - kappa)
    }

    /// The p-quantile with linear interpolation between order statistics (numpy's default, R type 7).
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let position = Double(sorted.count - 1) * p
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        return sorted[below] + (position - Double(below)) * (sorted[above] - sorted[below])
    }
}
