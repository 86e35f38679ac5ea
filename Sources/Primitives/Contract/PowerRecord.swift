/// The document `quipu power --format json` writes: the planned design, its analytic MDE and
/// power (Burlig, Preonas & Woerman 2020) and, with `--simulate`, the simulated power curve.
/// Absent parts are `null`.
public struct PowerRecord: JSONRecord, Sendable {
    /// The planned evaluation.
    public struct Design: Encodable, Sendable {
        public var treated: Int, controls: Int, prePeriods: Int, postPeriods: Int
        public var alpha: Double, power: Double
        public init(treated: Int, controls: Int, prePeriods: Int, postPeriods: Int, alpha: Double, power: Double) {
            self.treated = treated; self.controls = controls; self.prePeriods = prePeriods
            self.postPeriods = postPeriods; self.alpha = alpha; self.power = power
        }
        enum CodingKeys: String, CodingKey {
            case treated, controls, prePeriods = "pre_periods", postPeriods = "post_periods", alpha, power
        }
    }

    /// The analytic calculation.
    public struct Analytic: Encodable, Sendable {
        /// "pilot" (estimated from a panel's residuals) or "given".
        public var errorsSource: String
        public var variance: Double, preCovariance: Double, postCovariance: Double, crossCovariance: Double
        /// Pilot units per window and windows averaged (null for given values).
        public var pilotUnits: Double?, windows: Int?
        public var criticalValues: String
        public var degreesOfFreedom: Double?
        public var standardError: Double, mde: Double
        /// The power against `--effect` (null without it).
        public var effect: Double?, powerAtEffect: Double?

        public init(errorsSource: String, variance: Double, preCovariance: Double, postCovariance: Double, crossCovariance: Double,
                    pilotUnits: Double?, windows: Int?, criticalValues: String, degreesOfFreedom: Double?,
                    standardError: Double, mde: Double, effect: Double?, powerAtEffect: Double?) {
            self.errorsSource = errorsSource; self.variance = variance; self.preCovariance = preCovariance
            self.postCovariance = postCovariance; self.crossCovariance = crossCovariance; self.pilotUnits = pilotUnits
            self.windows = windows; self.criticalValues = criticalValues; self.degreesOfFreedom = degreesOfFreedom
            self.standardError = standardError; self.mde = mde; self.effect = effect; self.powerAtEffect = powerAtEffect
        }

        enum CodingKeys: String, CodingKey {
            case errorsSource = "errors_source", variance, preCovariance = "pre_covariance", postCovariance = "post_covariance"
            case crossCovariance = "cross_covariance", pilotUnits = "pilot_units", windows, criticalValues = "critical_values"
            case degreesOfFreedom = "degrees_of_freedom", standardError = "std_error", mde, effect, powerAtEffect = "power_at_effect"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(errorsSource, forKey: .errorsSource)
            try c.encode(variance, forKey: .variance)
            try c.encode(preCovariance, forKey: .preCovariance)
            try c.encode(postCovariance, forKey: .postCovariance)
            try c.encode(crossCovariance, forKey: .crossCovariance)
            try c.encode(pilotUnits, forKey: .pilotUnits)
            try c.encode(windows, forKey: .windows)
            try c.encode(criticalValues, forKey: .criticalValues)
            try c.encode(degreesOfFreedom, forKey: .degreesOfFreedom)
            try c.encode(standardError, forKey: .standardError)
            try c.encode(mde, forKey: .mde)
            try c.encode(effect, forKey: .effect)
            try c.encode(powerAtEffect, forKey: .powerAtEffect)
        }
    }

    /// One point of the simulated curve.
    public struct CurvePoint: Encodable, Sendable {
        public var effect: Double, power: Double, monteCarloError: Double
        public var replicates: Int, failures: Int, meanEstimate: Double
        public init(effect: Double, power: Double, monteCarloError: Double, replicates: Int, failures: Int, meanEstimate: Double) {
            self.effect = effect; self.power = power; self.monteCarloError = monteCarloError
            self.replicates = replicates; self.failures = failures; self.meanEstimate = meanEstimate
        }
        enum CodingKeys: String, CodingKey {
            case effect, power, monteCarloError = "monte_carlo_se", replicates, failures, meanEstimate = "mean_estimate"
        }
    }

    /// The simulation.
    public struct Simulation: Encodable, Sendable {
        /// "resample" or "peru"; the effect's unit: "outcome" or "effect_scale".
        public var source: String, effectUnit: String
        public var estimator: String
        public var replicates: Int
        public var seed: UInt64
        public var curve: [CurvePoint]
        /// Where the curve crosses the target power (null when the grid does not bracket it).
        public var mde: Double?

        public init(source: String, effectUnit: String, estimator: String, replicates: Int, seed: UInt64, curve: [CurvePoint], mde: Double?) {
            self.source = source; self.effectUnit = effectUnit; self.estimator = estimator
            self.replicates = replicates; self.seed = seed; self.curve = curve; self.mde = mde
        }
        enum CodingKeys: String, CodingKey {
            case source, effectUnit = "effect_unit", estimator, replicates, seed, curve, mde
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(source, forKey: .source)
            try c.encode(effectUnit, forKey: .effectUnit)
            try c.encode(estimator, forKey: .estimator)
            try c.encode(replicates, forKey: .replicates)
            try c.encode(seed, forKey: .seed)
            try c.encode(curve, forKey: .curve)
            try c.encode(mde, forKey: .mde)
        }
    }

    public var outcome: String?
    public var design: Design
    public var analytic: Analytic?
    public var simulation: Simulation?

    public init(outcome: String?, design: Design, analytic: Analytic?, simulation: Simulation?) {
        self.outcome = outcome; self.design = design; self.analytic = analytic; self.simulation = simulation
    }

    enum CodingKeys: String, CodingKey { case schemaVersion = "schema_version", outcome, design, analytic, simulation }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(OutputContract.schemaVersion, forKey: .schemaVersion)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(design, forKey: .design)
        try c.encode(analytic, forKey: .analytic)
        try c.encode(simulation, forKey: .simulation)
    }
}
