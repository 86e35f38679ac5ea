/// What `--estimator dcdh` estimates: the treatment column that may switch on and off (binary or
/// discrete), the horizons after and before each unit's first change, and which switchers.
public struct SwitchingTreatmentOptions: Sendable {
    /// Which units' first treatment change enters the effects (did_multiplegt_dyn's `switchers`).
    public enum Switchers: String, Sendable, CaseIterable {
        /// Units whose treatment first rises (joiners), and those whose treatment first falls (leavers), pooled with the sign of their change.
        case both
        /// Units whose treatment first rises.
        case `in`
        /// Units whose treatment first falls; their effects carry the sign of the change, like the pooled ones (did_multiplegt_dyn's convention).
        case out
    }

    /// The treatment column (numeric; constant within a unit and period).
    public var treatment: String
    /// Effects ℓ = 1..L after the first change (`--effects`).
    public var effects = 1
    /// Placebos ℓ = 1..K before it (`--placebo`).
    public var placebos = 0
    /// Divide each effect by the average cumulated change of treatment behind it (`--normalized`).
    public var normalized = false
    /// Which switchers (`--switchers`).
    public var switchers: Switchers = .both

    public init(treatment: String) {
        self.treatment = treatment
    }
}
