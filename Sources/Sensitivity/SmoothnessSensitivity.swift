// Sensitivity under smoothness restrictions Δ^SD(M) (Rambachan & Roth 2023, section 2.3): the
// post-period violation's slope may change by at most M between consecutive periods, so M = 0
// allows a linear extrapolation of the pre-trend and larger M lets it bend. The interval is the
// fixed-length confidence interval (FLCI) of Armstrong & Kolesár (2018), HonestDiD's default for
// Δ^SD: the affine estimator l_pre'β̂_pre + l'β̂_post ± χ with the smallest half-length χ =
// h·cv_α(M·b̄(h)/h) over the standard deviation h of the estimator, b̄(h) its worst-case bias.
//
// Goals, in order:
// 1. Intervals equal to moderndid 0.2.0's `compute_flci` (R HonestDiD's `findOptimalFLCI`): the
//    same golden-section search over h between the minimum-variance and the minimum-bias
//    estimators, with its tolerance min((h_max − h_min)/100, 10⁻⁶·h_max); the same default M grid.
// 2. Bounded: the golden section stops at its tolerance or after 200 steps; the inner program is
//    bounded too (SmoothnessBiasProgram). Failures are SensitivityError values.

import Inference
import LinearAlgebra

/// Smoothness (Δ^SD) sensitivity intervals for one event study and target.
public enum SmoothnessSensitivity {
    /// The FLCI at each M of `grid`, beside the original interval. Only `.fixedLengthCI` is
    /// available for Δ^SD here.
    public static func curve(problem: SensitivityProblem, grid: [Double],
                             method: SensitivityIntervalMethod = .fixedLengthCI,
                             level: Double = 0.95) throws -> SensitivityCurve {
        guard method == .fixedLengthCI else {
            throw SensitivityError.optimizationFailed("smoothness intervals are computed by the FLCI only, not by \(method.rawValue)")
        }
        guard !grid.isEmpty else { throw SensitivityError.emptyGrid }
        if let negative = grid.first(where: { !($0 >= 0) || !$0.isFinite }) { throw SensitivityError.negativeBound(negative) }
        let program = try SmoothnessBiasProgram(problem: problem)
        let intervals = try grid.map { m in try flci(problem: problem, program: program, bound: m, level: level) }
        return SensitivityCurve(restriction: .smoothness, method: .fixedLengthCI, level: level, targetLabel: problem.targetLabel,
                                original: problem.originalInterval(level: level), intervals: intervals)
    }

    /// HonestDiD's default M grid: ten points from 0 to the upper bound on the pre-periods'
    /// second differences, max_t (Δ²β̂_t + z_{0.95}·se(Δ²β̂_t)) (`DeltaSD_upperBound_Mpre`,
    /// moderndid's `compute_delta_sd_upperbound_m`, which needs three pre-periods); with fewer,
    /// ten points from 0 to the first pre-period's standard error (HonestDiD's rule for one
    /// pre-period, used here for two as well), and the same when the bound is not positive.
    public static func defaultGrid(for problem: SensitivityProblem) -> [Double] {
        let fallback = max(problem.covariance[0, 0], 0).squareRoot()
        var upper = fallback
        let n = problem.preCount
        if n >= 3 {
            let z = StandardNormal.quantile(0.95)
            var bound = -Double.infinity
            for r in 0..<(n - 2) {
                let weights = [1.0, -2, 1]
                var difference = 0.0, variance = 0.0
                for (a, wa) in weights.enumerated() {
                    difference += wa * problem.estimates[r + a]
                    for (b, wb) in weights.enumerated() { variance += wa * wb * problem.covariance[r + a, r + b] }
                }
                bound = max(bound, difference + z * max(variance, 0).squareRoot())
            }
            if bound.isFinite && bound > 0 { upper = bound }
        }
        return (0..<10).map { upper * Double($0) / 9 }
    }

    /// The FLCI at one M: moderndid's `_optimize_flci_params` with its golden-section search.
    static func flci(problem: SensitivityProblem, program: SmoothnessBiasProgram, bound m: Double,
                     level: Double) throws -> SensitivityInterval {
        let p = level
        let hMin = program.minimumStandardDeviation, hMax = program.minimumBiasStandardDeviation
        func halfLength(_ h: Double) throws -> (length: Double, y: [Double]) {
            let (bias, y) = try program.minimumBias(standardDeviation: h)
            return (FoldedNormal.quantile(p, mean: m * bias / h) * h, y)
        }
        var best: (h: Double, y: [Double])
        if hMax - hMin <= 1e-12 * hMax {
            // One pre-period, or a design where the two estimators coincide: no search.
            best = (hMax, [Double](repeating: 0, count: problem.preCount - 1))
        } else {
            let tolerance = min((hMax - hMin) / 100, abs(hMax) * 1e-6)
            let golden = (1 + 5.0.squareRoot()) / 2
            var lower = hMin, upper = hMax
            var midLow = upper - (upper - lower) / golden, midHigh = lower + (upper - lower) / golden
            var lengthLow = try halfLength(midLow).length, lengthHigh = try halfLength(midHigh).length
            var steps = 0
            while abs(upper - lower) > tolerance {
                steps += 1
                guard steps <= 200 else { throw SensitivityError.optimizationFailed("the FLCI's search over the estimator's standard deviation did not converge") }
                if lengthLow < lengthHigh {
                    upper = midHigh; midHigh = midLow; lengthHigh = lengthLow
                    midLow = upper - (upper - lower) / golden
                    lengthLow = try halfLength(midLow).length
                } else {
                    lower = midLow; midLow = midHigh; lengthLow = lengthHigh
                    midHigh = lower + (upper - lower) / golden
                    lengthHigh = try halfLength(midHigh).length
                }
            }
            let h = (lower + upper) / 2
            best = (h, try halfLength(h).y)
        }
        let biasAtBest = program.bias(best.y)
        let half = FoldedNormal.quantile(p, mean: m * biasAtBest / best.h) * best.h
        let preWeights = program.preWeights(best.y)
        var estimate = 0.0
        for i in 0..<problem.preCount { estimate += preWeights[i] * problem.estimates[i] }
        estimate += problem.targetEstimate
        guard estimate.isFinite, half.isFinite else { throw SensitivityError.optimizationFailed("the FLCI at M = \(m) is not finite") }
        return SensitivityInterval(bound: m, lower: estimate - half, upper: estimate + half)
    }
}
