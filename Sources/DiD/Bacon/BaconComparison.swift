/// One 2×2 difference-in-differences inside a two-way fixed-effects estimate, and its weight.
///
/// Theorem 1 of Goodman-Bacon (2021, Eq. 10a) writes the TWFE coefficient as
/// `Σ weight × estimate` over these comparisons, with weights that are positive and sum to one.
/// Each estimate is a difference of group means over two windows of periods (Eqs. 10b–d):
/// `(ȳ_treated(post) − ȳ_treated(pre)) − (ȳ_control(post) − ȳ_control(pre))`.
public struct BaconComparison: Sendable, Equatable {
    /// Which of the paper's three kinds of 2×2 comparison this is.
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        /// Cohort `k` against the untreated group `U` over the whole window (Eq. 10b).
        case treatedVsNever = "treated_vs_never"
        /// Earlier cohort `k` treated, later cohort `l` as a not-yet-treated control, in the
        /// periods before `l` is treated (Eq. 10c).
        case earlierVsLater = "earlier_vs_later"
        /// Later cohort `l` treated, earlier cohort `k` (already treated) as control, in the
        /// periods from `k`'s treatment on (Eq. 10d). This is the "forbidden" comparison: it
        /// subtracts changes in `k`'s treatment effect (the ΔATT term of the paper's Eq. 15).
        case laterVsEarlier = "later_vs_earlier"

        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            // Declaration order, which is also the paper's order of presentation.
            let order = Kind.allCases
            return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
        }
    }

    /// The kind of comparison.
    public let kind: Kind
    /// The first treated period of the group whose treatment change is measured.
    ///
    /// For a cohort label that is not itself an observed period (e.g. 2005 in a panel of
    /// 2004, 2006, …) this is the first observed period at or after it, because units are
    /// grouped by their treatment path; see ``BaconDecomposition``.
    public let treatedCohort: Int
    /// The control group's first treated period; `nil` for the untreated group (never treated,
    /// or first treated after the last period). For the always-treated group this is the first
    /// period of the panel and ``controlIsAlwaysTreated`` is `true`.
    public let controlCohort: Int?
    /// Whether the control group is the always-treated group (see ``BaconOptions/AlwaysTreated``).
    public let controlIsAlwaysTreated: Bool
    /// The 2×2 difference-in-differences estimate.
    public let estimate: Double
    /// The weight of this comparison in the TWFE estimate (Eqs. 10e–g); all weights sum to one.
    public let weight: Double
    /// Number of units in the treated group.
    public let treatedUnits: Int
    /// Number of units in the control group.
    public let controlUnits: Int
    /// First period of the comparison's window (pre and post periods together).
    public let firstPeriod: Int
    /// Last period of the comparison's window.
    public let lastPeriod: Int
    /// First period of the comparison's "post" part; the window's earlier periods are "pre".
    public let firstPostPeriod: Int

    /// Creates a comparison; ``BaconDecomposition/compute(_:options:)`` is the usual source.
    public init(kind: Kind, treatedCohort: Int, controlCohort: Int?, controlIsAlwaysTreated: Bool,
                estimate: Double, weight: Double, treatedUnits: Int, controlUnits: Int,
                firstPeriod: Int, lastPeriod: Int, firstPostPeriod: Int) {
        self.kind = kind
        self.treatedCohort = treatedCohort
        self.controlCohort = controlCohort
        self.controlIsAlwaysTreated = controlIsAlwaysTreated
        self.estimate = estimate
        self.weight = weight
        self.treatedUnits = treatedUnits
        self.controlUnits = controlUnits
        self.firstPeriod = firstPeriod
        self.lastPeriod = lastPeriod
        self.firstPostPeriod = firstPostPeriod
    }
}
