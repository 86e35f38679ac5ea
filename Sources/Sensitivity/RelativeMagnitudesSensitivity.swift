// Robust confidence intervals under relative magnitudes, Δ^RM(M̄) (Rambachan & Roth 2023, "A More
// Credible Approach to Parallel Trends", Review of Economic Studies 90(5), §2.4.1 and §3): every
// post-period change in the parallel-trends violation δ is at most M̄ times the largest
// pre-period change. The interval inverts the conditional test of Andrews, Roth & Pakes (2023,
// "Inference for Linear Conditional Moment Inequalities", Review of Economic Studies) or its
// conditional–least-favourable hybrid over a grid of θ, for each polyhedron of the union
// (RelativeMagnitudesRestriction.swift), and takes the union of the accepted values (Lemma 2.2).
//
// Goals, in order: HonestDiD's numbers (R `computeConditionalCS_DeltaRM`; its Python port
// moderndid 0.2.0 `didhonest.delta.rm.rm.compute_conditional_cs_rm` and
// `sensitivity.create_sensitivity_results_rm`, read to learn the algorithm; the code is our own):
// the same θ grid (1000 points from the identified set's bounds − 20 sd(θ̂) to + 20 sd(θ̂), as
// moderndid's `create_sensitivity_results_rm`), κ = α/10 for the hybrid, the moments of the
// post-periods only, the grid searched from its middle outwards and then by bisection as
// moderndid's `_binary_search_ci_bounds`; every linear program bounded; then speed.
// Bounds therefore equal HonestDiD's to the grid's resolution (one grid step), except that the
// least-favourable critical value is simulated with Quipu's own draws (LeastFavorableCriticalValue).

import Foundation
import Inference
import LinearAlgebra

public enum RelativeMagnitudesSensitivity {
    /// HonestDiD's default M̄ grid when the user gives none: 10 values evenly from 0 to 2
    /// (R `seq(0, 2, length.out = 10)`, moderndid `np.linspace(0, 2, 10)`).
    public static let defaultGrid: [Double] = (0..<10).map { 2 * Double($0) / 9 }
    /// Points of the θ grid the test is inverted over (HonestDiD's `gridPoints` default).
    public static let defaultThetaGridPoints = 1000
    /// Draws for the least-favourable critical value (HonestDiD's 1000).
    public static let defaultLeastFavorableSimulations = 1000
    /// How far beyond the identified set the θ grid reaches, in standard errors of θ̂.
    static let gridReachInStandardErrors = 20.0

    public static func curve(problem: SensitivityProblem, grid: [Double],
                             method: SensitivityIntervalMethod = .conditionalLeastFavorable,
                             level: Double = 0.95,
                             thetaGridPoints: Int = defaultThetaGridPoints,
                             leastFavorableSimulations: Int = defaultLeastFavorableSimulations,
                             seed: UInt64 = 0) throws -> SensitivityCurve {
        guard !grid.isEmpty else { throw SensitivityError.emptyGrid }
        for value in grid {
            guard value.isFinite, value >= 0 else { throw SensitivityError.negativeBound(value) }
        }
        guard method == .conditional || method == .conditionalLeastFavorable else {
            throw SensitivityError.methodNotAvailable(method: method.rawValue, restriction: "relative magnitudes")
        }
        guard level > 0, level < 1, thetaGridPoints >= 2 else {
            throw SensitivityError.optimizationFailed("relative magnitudes need a level in (0, 1) and at least 2 θ grid points")
        }
        let alpha = 1 - level
        let hybridKappa: Double? = method == .conditionalLeastFavorable ? alpha / 10 : nil
        // The M̄ values are independent: one per worker (ReplicateRunner, BLAS single-threaded), each
        // with its own seeded draws, so the result does not depend on the thread count.
        let failure = ReplicateFailures()
        let bounds = ReplicateRunner(chunkSize: 1, showsProgress: false).run(count: grid.count, width: 2) { range, output in
            for (slot, index) in range.enumerated() {
                do {
                    let result = try interval(problem: problem, mbar: grid[index], alpha: alpha, hybridKappa: hybridKappa,
                                              gridPoints: thetaGridPoints, simulations: leastFavorableSimulations, seed: seed)
                    output[2 * slot] = result.lower
                    output[2 * slot + 1] = result.upper
                } catch {
                    failure.record(error, at: index)
                }
            }
        }
        if let error = failure.first { throw error }
        let intervals = grid.indices.map { SensitivityInterval(bound: grid[$0], lower: bounds[2 * $0], upper: bounds[2 * $0 + 1]) }
        return SensitivityCurve(restriction: .relativeMagnitudes, method: method, level: level,
                                targetLabel: problem.targetLabel, original: problem.originalInterval(level: level),
                                intervals: intervals)
    }

    /// The robust interval at one M̄: the union over the polyhedra of the θ values their tests
    /// accept, on one shared grid. Both bounds are NaN when every θ is rejected (the data reject
    /// Δ^RM(M̄) itself, which only happens with M̄ near 0 and pre-periods far from parallel).
    static func interval(problem: SensitivityProblem, mbar: Double, alpha: Double, hybridKappa: Double?,
                         gridPoints: Int, simulations: Int, seed: UInt64) throws -> SensitivityInterval {
        let polyhedra = RelativeMagnitudesPolyhedron.all(preCount: problem.preCount, postCount: problem.postCount, mbar: mbar)
        var identifiedLower = Double.infinity, identifiedUpper = -Double.infinity
        for polyhedron in polyhedra {
            let set = try polyhedron.identifiedSet(estimates: problem.estimates, weights: problem.targetWeights)
            identifiedLower = min(identifiedLower, set.lower)
            identifiedUpper = max(identifiedUpper, set.upper)
        }
        let reach = gridReachInStandardErrors * problem.targetStandardError
        let theta = linearGrid(from: identifiedLower - reach, to: identifiedUpper + reach, count: gridPoints)
        var lowerIndex: Int?, upperIndex: Int?
        for polyhedron in polyhedra {
            let test = try momentTest(problem: problem, polyhedron: polyhedron, alpha: alpha,
                                      hybridKappa: hybridKappa, simulations: simulations, seed: seed)
            // A polyhedron whose first stage rejects every θ adds nothing to the union: skip its grid.
            if test.firstStageRejectsEveryTheta() { continue }
            guard let accepted = try acceptedRange(count: gridPoints, accepts: { try test.accepts(theta: theta[$0]) }) else { continue }
            lowerIndex = min(lowerIndex ?? accepted.lowerBound, accepted.lowerBound)
            upperIndex = max(upperIndex ?? accepted.upperBound, accepted.upperBound)
        }
        guard let lower = lowerIndex, let upper = upperIndex else {
            return SensitivityInterval(bound: mbar, lower: .nan, upper: .nan)
        }
        return SensitivityInterval(bound: mbar, lower: theta[lower], upper: theta[upper])
    }

    /// The test of one polyhedron: moments Y = A β̂ (d = 0) on the rows that involve a post-period
    /// (HonestDiD's `postPeriodMomentsOnly`), with τ_post reparametrised as (θ, ν) through Γ, whose
    /// first row is l and whose other rows pick the post-periods but the one with the largest |l_j|
    /// (HonestDiD's `.construct_Gamma`); A_post Γ⁻¹ has first column a (θ's direction) and X (ν's).
    static func momentTest(problem: SensitivityProblem, polyhedron: RelativeMagnitudesPolyhedron, alpha: Double,
                           hybridKappa: Double?, simulations: Int, seed: UInt64) throws -> ConditionalMomentInequalityTest {
        let pre = problem.preCount, post = problem.postCount, width = pre + post
        let allRows = polyhedron.rows
        let testRows = allRows.filter { row in row[pre...].contains { $0 != 0 } }
        let l = problem.targetWeights
        let pivot = l.indices.max { abs(l[$0]) < abs(l[$1]) } ?? 0
        guard l[pivot] != 0 else {
            throw SensitivityError.optimizationFailed("the target's weights are all zero")
        }
        // τ_pivot = (θ − Σ_{j≠pivot} l_j ν_j) / l_pivot, so A_post τ = a θ + X ν.
        let thetaDirection = testRows.map { $0[pre + pivot] / l[pivot] }
        let nuisance = testRows.map { row in
            (0..<post).filter { $0 != pivot }.map { j in row[pre + j] - row[pre + pivot] * l[j] / l[pivot] }
        }
        let moments = testRows.map { innerProduct($0, problem.estimates) }
        var covariance = Matrix(rows: testRows.count, columns: testRows.count)
        let sigmaRows = testRows.map { row in
            (0..<width).map { i in (0..<width).reduce(0) { $0 + problem.covariance[i, $1] * row[$1] } }
        }
        for i in testRows.indices {
            for j in testRows.indices { covariance[i, j] = innerProduct(testRows[i], sigmaRows[j]) }
        }
        var leastFavorable: (criticalValue: Double, kappa: Double)?
        if let kappa = hybridKappa {
            let criticalValue = try LeastFavorableCriticalValue.compute(nuisance: nuisance, covariance: covariance, kappa: kappa,
                                                                        simulations: simulations, seed: seed)
            leastFavorable = (criticalValue, kappa)
        }
        return ConditionalMomentInequalityTest(moments: moments, thetaDirection: thetaDirection, nuisance: nuisance,
                                               covariance: covariance, alpha: alpha, leastFavorable: leastFavorable)
    }

    /// The first and last accepted grid index, found as moderndid's `_binary_search_ci_bounds`: an
    /// accepted point searched outwards from the middle, then each end by bisection (the accepted
    /// set of one polyhedron's test is an interval). Nil when no point is accepted.
    static func acceptedRange(count: Int, accepts: (Int) throws -> Bool) throws -> ClosedRange<Int>? {
        var memo: [Int: Bool] = [:]
        func test(_ index: Int) throws -> Bool {
            if let known = memo[index] { return known }
            let result = try accepts(index)
            memo[index] = result
            return result
        }
        let middle = count / 2
        var seed: Int?
        if try test(middle) {
            seed = middle
        } else {
            for offset in 1..<max(count, 2) {
                let left = middle - offset, right = middle + offset
                if left >= 0, try test(left) { seed = left; break }
                if right < count, try test(right) { seed = right; break }
                if left < 0 && right >= count { break }
            }
        }
        guard let start = seed else { return nil }
        var lower = 0
        if start != 0, try test(0) {
            lower = 0
        } else {
            var low = 0, high = start
            while low < high {
                let mid = (low + high) / 2
                if try test(mid) { high = mid } else { low = mid + 1 }
            }
            lower = low
        }
        var upper = count - 1
        if start != count - 1, try test(count - 1) {
            upper = count - 1
        } else {
            var low = start, high = count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if try test(mid) { low = mid } else { high = mid - 1 }
            }
            upper = low
        }
        return lower...upper
    }

    /// `count` evenly spaced values from `start` to `stop` inclusive (numpy's `linspace`: start + i·step,
    /// the last value exactly `stop`).
    static func linearGrid(from start: Double, to stop: Double, count: Int) -> [Double] {
        let step = (stop - start) / Double(count - 1)
        var values = (0..<count).map { start + Double($0) * step }
        values[count - 1] = stop
        return values
    }
}
