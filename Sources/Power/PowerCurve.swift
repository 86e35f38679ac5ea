/// Simulated power at each effect size of a grid, and the minimum detectable effect read off the
/// curve where it crosses the target power.
public struct PowerCurve: Sendable {
    /// One effect size's share of rejections.
    public struct Point: Sendable, Equatable {
        /// The injected effect (outcome units), or the simulator's effect scale.
        public let effect: Double
        /// Share of replicates whose two-sided test rejected at the significance level.
        public let power: Double
        /// Replicates with an estimate (those where the estimator failed are left out and counted).
        public let replicates: Int
        public let failures: Int
        /// Mean of the estimates, to see the estimator's bias at this effect.
        public let meanEstimate: Double

        public init(effect: Double, power: Double, replicates: Int, failures: Int, meanEstimate: Double) {
            self.effect = effect
            self.power = power
            self.replicates = replicates
            self.failures = failures
            self.meanEstimate = meanEstimate
        }

        /// The Monte Carlo standard error of `power`.
        public var monteCarloError: Double {
            replicates > 0 ? (power * (1 - power) / Double(replicates)).squareRoot() : .nan
        }
    }

    public let points: [Point]
    /// The target power the MDE is read at.
    public let targetPower: Double

    public init(points: [Point], targetPower: Double) {
        self.points = points
        self.targetPower = targetPower
    }

    /// The effect at which power first reaches the target, linearly interpolated between the two
    /// grid points around the crossing; nil when no point of the grid reaches it (the MDE lies
    /// above the grid) or the first point already does (it lies below).
    public var minimumDetectableEffect: Double? {
        for index in points.indices.dropFirst() {
            let low = points[index - 1], high = points[index]
            guard low.power < targetPower, high.power >= targetPower else { continue }
            let share = (targetPower - low.power) / (high.power - low.power)
            return low.effect + share * (high.effect - low.effect)
        }
        return nil
    }
}
