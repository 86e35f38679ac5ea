/// What `did --estimator dcdh` reports beside its effects (`switching_treatment`): the treatment
/// column, which switchers, how many units' first change rises or falls, and per horizon the
/// switchers and controls behind it, the normalization δ^D_ℓ (with `--normalized`) and the
/// horizon's weight in the average total effect.
public struct SwitchingTreatmentRecord: JSONRecord, Sendable {
    /// One effect or placebo.
    public struct Horizon: Encodable, Sendable {
        /// The `--combine` label of its row (`e0`, `e-2`).
        public var label: String
        /// `effect` or `placebo`.
        public var kind: String
        /// ℓ of did_multiplegt_dyn's Effect_ℓ or Placebo_ℓ.
        public var lag: Int
        public var switchers: Int
        public var controls: Int
        /// δ^D_ℓ, the divisor of a normalized effect (nil: not normalized, or a placebo).
        public var treatmentChange: Double?
        /// The effect's weight in the average total effect (nil for placebos).
        public var averageWeight: Double?

        public init(label: String, kind: String, lag: Int, switchers: Int, controls: Int, treatmentChange: Double?, averageWeight: Double?) {
            self.label = label
            self.kind = kind
            self.lag = lag
            self.switchers = switchers
            self.controls = controls
            self.treatmentChange = treatmentChange
            self.averageWeight = averageWeight
        }

        enum CodingKeys: String, CodingKey {
            case label, kind, lag, switchers, controls
            case treatmentChange = "treatment_change", averageWeight = "average_weight"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(label, forKey: .label)
            try container.encode(kind, forKey: .kind)
            try container.encode(lag, forKey: .lag)
            try container.encode(switchers, forKey: .switchers)
            try container.encode(controls, forKey: .controls)
            try container.encode(treatmentChange.flatMap { $0.isFinite ? $0 : nil }, forKey: .treatmentChange)
            try container.encode(averageWeight.flatMap { $0.isFinite ? $0 : nil }, forKey: .averageWeight)
        }
    }

    public var treatment: String
    /// `both`, `in` or `out`.
    public var switchers: String
    public var normalized: Bool
    /// Units whose first change raises the treatment, lowers it, and units whose treatment never changes.
    public var joiners: Int
    public var leavers: Int
    public var neverSwitching: Int
    public var horizons: [Horizon]

    public init(treatment: String, switchers: String, normalized: Bool, joiners: Int, leavers: Int, neverSwitching: Int, horizons: [Horizon]) {
        self.treatment = treatment
        self.switchers = switchers
        self.normalized = normalized
        self.joiners = joiners
        self.leavers = leavers
        self.neverSwitching = neverSwitching
        self.horizons = horizons
    }

    enum CodingKeys: String, CodingKey {
        case treatment, switchers, normalized, joiners, leavers, horizons
        case neverSwitching = "never_switching"
    }
}
