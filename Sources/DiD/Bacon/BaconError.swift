/// Why a Goodman-Bacon decomposition could not be computed, in words a user can act on.
public struct BaconError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of problem, for callers that react to it (e.g. a CLI that balances the panel
    /// and retries on ``unbalancedPanel``).
    public enum Code: String, Sendable, CaseIterable {
        /// The four input arrays do not have the same length.
        case lengthMismatch = "length_mismatch"
        /// The input has no rows.
        case emptyInput = "empty_input"
        /// Fewer than two distinct periods: there is no before and after.
        case tooFewPeriods = "too_few_periods"
        /// Fewer than two units: there is nothing to compare.
        case tooFewUnits = "too_few_units"
        /// A unit has two rows for the same period.
        case duplicateRow = "duplicate_row"
        /// A unit has no row for some period (the message names one).
        case unbalancedPanel = "unbalanced_panel"
        /// A unit's first treated period differs between its rows.
        case inconsistentCohort = "inconsistent_cohort"
        /// An outcome is NaN or infinite.
        case nonFiniteOutcome = "non_finite_outcome"
        /// The treatment dummy has no variation left after unit and period effects, so the
        /// two-way fixed-effects coefficient does not exist.
        case noIdentifyingVariation = "no_identifying_variation"
    }

    /// The kind of problem.
    public let code: Code
    /// A sentence that says what is wrong and, where it can, which unit and period.
    public let message: String

    /// Creates an error of the given kind with its explanation.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
