import Foundation

/// The serial-correlation structure of a panel's idiosyncratic errors that a difference-in-
/// differences design's precision depends on (Burlig, Preonas & Woerman 2020, section 3): the error
/// variance and the three average within-unit covariances over a window of `pre` + `post` periods.
///
/// Differencing removes every within-unit correlation the pre and post periods share, so the
/// precision of a DiD rests on how much more alike the periods within each side are than the
/// periods across the two sides, not on the variance alone; a power calculation that assumes
/// independent errors (McKenzie 2012's formula) overstates precision when errors are positively
/// serially correlated across years, as firm outcomes are.
public struct ErrorCovariance: Sendable, Equatable {
    /// σ²: the variance of the idiosyncratic error (after unit and period effects).
    public var variance: Double
    /// ψᴮ: the average covariance between two different pre-periods of a unit (0 with one pre-period).
    public var preCovariance: Double
    /// ψᴬ: the average covariance between two different post-periods of a unit (0 with one post-period).
    public var postCovariance: Double
    /// ψˣ: the average covariance between a pre-period and a post-period of a unit.
    public var crossCovariance: Double
    /// How the parameters were obtained: the true values, or estimates from a pilot panel's
    /// residuals (which BPW's formula then corrects for the demeaning, see `DesignPower`).
    public var origin: Origin

    /// Where the parameters come from.
    public enum Origin: Sendable, Equatable {
        /// Given as the population values (pcpanel's `trueparameters`).
        case given
        /// Estimated from the two-way demeaned residuals of a pilot panel with `units` units on
        /// average per window, over `windows` windows of consecutive periods.
        case pilot(units: Double, windows: Int)
    }

    /// The structure with the parameters given as population values.
    public init(variance: Double, preCovariance: Double, postCovariance: Double, crossCovariance: Double) {
        self.variance = variance
        self.preCovariance = preCovariance
        self.postCovariance = postCovariance
        self.crossCovariance = crossCovariance
        self.origin = .given
    }

    init(variance: Double, preCovariance: Double, postCovariance: Double, crossCovariance: Double, origin: Origin) {
        self.init(variance: variance, preCovariance: preCovariance, postCovariance: postCovariance, crossCovariance: crossCovariance)
        self.origin = origin
    }

    /// Independent errors over time (the McKenzie 2012 case BPW generalise).
    public static func independent(variance: Double) -> ErrorCovariance {
        ErrorCovariance(variance: variance, preCovariance: 0, postCovariance: 0, crossCovariance: 0)
    }

    /// Every pair of a unit's periods correlated by `correlation` (diff-diff's `rho`).
    public static func equicorrelated(variance: Double, correlation: Double) -> ErrorCovariance {
        let covariance = correlation * variance
        return ErrorCovariance(variance: variance, preCovariance: covariance, postCovariance: covariance, crossCovariance: covariance)
    }

    /// First-order autoregressive errors, Corr(εₜ, εₛ) = ρ^|t−s|, averaged over the pairs of a
    /// window of `pre` then `post` consecutive periods (pcpanel's `ar1()`).
    public static func autoregressive(variance: Double, correlation rho: Double, pre: Int, post: Int) -> ErrorCovariance {
        func power(_ lag: Int) -> Double { Foundation.pow(rho, Double(lag)) }
        func averageWithin(_ length: Int) -> Double {
            guard length > 1 else { return 0 }
            var sum = 0.0
            for lag in 1..<length { sum += Double(length - lag) * power(lag) }
            return sum / Double(length * (length - 1) / 2) * variance
        }
        var cross = 0.0
        for t in 0..<pre { for s in pre..<(pre + post) { cross += power(s - t) } }
        return ErrorCovariance(variance: variance, preCovariance: averageWithin(pre), postCovariance: averageWithin(post),
                               crossCovariance: cross / Double(pre * post) * variance)
    }

    /// Whether any covariance is non-zero: BPW then take the units, not the unit-periods, as the
    /// t distribution's degrees of freedom.
    public var isSeriallyCorrelated: Bool {
        preCovariance != 0 || postCovariance != 0 || crossCovariance != 0 || origin != .given
    }
}
