// Sensitivity to violations of parallel trends (Rambachan & Roth 2023, "A More Credible Approach
// to Parallel Trends", Review of Economic Studies 90(5)); peers: R HonestDiD, moderndid's
// `honest_did`, diff-diff's `HonestDiD`.
//
// Goals, in order: intervals equal to HonestDiD's (through moderndid 0.2.0) on the same event
// study, grid and target; every optimisation bounded (a failure is a typed error, never a hang);
// then speed. This file holds the one input every restriction reads: an event study's estimates
// and covariance split into pre- and post-periods around the omitted reference period, and the
// target (a weight per post period).

import Inference
import LinearAlgebra

/// An event study ready for a sensitivity analysis: the estimates β̂ for the pre-periods (oldest
/// first, the reference period omitted) followed by the post-periods (on impact first), their
/// covariance Σ, and the target θ = l'τ_post.
public struct SensitivityProblem: Sendable {
    /// Event times of the estimates, in order: the pre-periods, then the post-periods.
    public let eventTimes: [Int]
    /// The estimates β̂ in the same order.
    public let estimates: [Double]
    /// Their covariance Σ, (pre + post) × (pre + post).
    public let covariance: Matrix
    /// How many of the estimates are pre-periods (they come first).
    public let preCount: Int
    /// How many are post-periods (they come last).
    public var postCount: Int { estimates.count - preCount }
    /// The target's weights l over the post-periods: θ = Σ l_k τ_k.
    public let targetWeights: [Double]
    /// What the target is, for outputs ("on impact", "average of post periods", or an expression).
    public let targetLabel: String

    /// Validates the shapes; the event study needs at least one pre-period and one post-period.
    public init(eventTimes: [Int], estimates: [Double], covariance: Matrix, preCount: Int,
                targetWeights: [Double], targetLabel: String) throws {
        let count = estimates.count
        guard eventTimes.count == count, covariance.rows == count, covariance.columns == count else {
            throw SensitivityError.shapeMismatch(estimates: count, eventTimes: eventTimes.count,
                                                 covarianceRows: covariance.rows, covarianceColumns: covariance.columns)
        }
        guard preCount >= 1 else { throw SensitivityError.noPrePeriods }
        guard count - preCount >= 1 else { throw SensitivityError.noPostPeriods }
        guard targetWeights.count == count - preCount else {
            throw SensitivityError.targetLength(expected: count - preCount, got: targetWeights.count)
        }
        guard estimates.allSatisfy(\.isFinite), covariance.values.allSatisfy(\.isFinite) else {
            throw SensitivityError.nonFiniteInput
        }
        self.eventTimes = eventTimes
        self.estimates = estimates
        self.covariance = covariance
        self.preCount = preCount
        self.targetWeights = targetWeights
        self.targetLabel = targetLabel
    }
}

/// Which restriction on the post-period violation δ_post the analysis imposes.
public enum SensitivityRestriction: String, Sendable, CaseIterable {
    /// Δ^RM(M̄): each post-period change in δ is at most M̄ times the largest pre-period change.
    case relativeMagnitudes = "rm"
    /// Δ^SD(M): the slope of δ changes by at most M between consecutive periods.
    case smoothness = "sd"
}

/// How the interval is computed for a restriction (HonestDiD's `method`).
public enum SensitivityIntervalMethod: String, Sendable {
    /// Fixed-length confidence interval (Armstrong & Kolesár), HonestDiD's default for Δ^SD.
    case fixedLengthCI = "FLCI"
    /// Conditional test of Andrews, Roth & Pakes (ARP).
    case conditional = "Conditional"
    /// Hybrid of the conditional test and a least-favourable test, HonestDiD's default for Δ^RM.
    case conditionalLeastFavorable = "C-LF"
    /// Hybrid of the conditional test and the FLCI.
    case conditionalFLCI = "C-F"
}

/// One point of a sensitivity curve: the robust interval at one value of M̄ (or M).
public struct SensitivityInterval: Sendable, Equatable {
    /// M̄ for relative magnitudes, M for smoothness.
    public let bound: Double
    public let lower: Double
    public let upper: Double
    public init(bound: Double, lower: Double, upper: Double) {
        self.bound = bound
        self.lower = lower
        self.upper = upper
    }
    /// Whether the interval excludes zero.
    public var excludesZero: Bool { lower > 0 || upper < 0 }
}

/// The result of one restriction over its grid, beside the original (parallel-trends) interval.
public struct SensitivityCurve: Sendable {
    public let restriction: SensitivityRestriction
    public let method: SensitivityIntervalMethod
    public let level: Double
    public let targetLabel: String
    /// The conventional interval for the target, assuming exact parallel trends.
    public let original: SensitivityInterval
    /// The robust interval at each grid value, in grid order.
    public let intervals: [SensitivityInterval]
    /// The largest grid value whose interval excludes zero (nil when none does). Computed from the
    /// grid, so its resolution is the grid's.
    public var breakdown: Double? {
        var best: Double?
        for interval in intervals where interval.excludesZero {
            best = max(best ?? interval.bound, interval.bound)
        }
        return best
    }
    public init(restriction: SensitivityRestriction, method: SensitivityIntervalMethod, level: Double,
                targetLabel: String, original: SensitivityInterval, intervals: [SensitivityInterval]) {
        self.restriction = restriction
        self.method = method
        self.level = level
        self.targetLabel = targetLabel
        self.original = original
        self.intervals = intervals
    }
}

extension SensitivityProblem {
    /// The target's point estimate θ̂ = l'β̂_post.
    public var targetEstimate: Double {
        zip(targetWeights, estimates[preCount...]).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// The target's standard error √(l'Σ_post l).
    public var targetStandardError: Double {
        var variance = 0.0
        for (i, li) in targetWeights.enumerated() {
            for (j, lj) in targetWeights.enumerated() {
                variance += li * lj * covariance[preCount + i, preCount + j]
            }
        }
        return max(variance, 0).squareRoot()
    }

    /// The conventional interval under exact parallel trends (normal critical value, as HonestDiD's
    /// `constructOriginalCS`), reported beside every robust curve.
    public func originalInterval(level: Double) -> SensitivityInterval {
        let z = StandardNormal.quantile(1 - (1 - level) / 2)
        let estimate = targetEstimate, se = targetStandardError
        return SensitivityInterval(bound: 0, lower: estimate - z * se, upper: estimate + z * se)
    }
}
