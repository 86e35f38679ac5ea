/// The Goodman-Bacon (2021) decomposition of a two-way fixed-effects difference-in-differences.
///
/// With staggered, absorbing treatment, the coefficient on `D` in
/// `y_it = α_i + α_t + β D_it + e_it` (Eq. 2 of Goodman-Bacon, "Difference-in-differences with
/// variation in treatment timing", J. Econometrics 225(2), 2021) is a weighted average of every
/// 2×2 difference-in-differences between groups of units that share a treatment date
/// (Theorem 1, Eq. 10a): cohorts against the untreated, earlier against later cohorts before the
/// later ones are treated, and later against earlier cohorts after the earlier ones are treated.
/// The weights are positive and sum to one; they grow with group size and with the variance
/// of the treatment dummy within the pair.
///
/// Conventions (see ``BaconInput`` and ``BaconOptions`` for the details):
/// - Balanced panels only; anything else is a ``BaconError`` naming a missing unit-period.
/// - Units are grouped by their treatment path within the window: cohorts after the last
///   period join the never treated in the untreated group `U`; cohorts at or before the first
///   period are "always treated"; cohort labels between observed periods are grouped under the
///   first observed period at or after them.
/// - ``twfeEstimate`` is computed independently by two-way demeaning; the decomposition's
///   ``weightedSum`` reproduces it to rounding error (the tests require 1e-10).
public struct BaconDecomposition: Sendable, Equatable {
    /// Every 2×2 comparison with positive weight: first the cohorts against `U` (by cohort),
    /// then each pair of cohorts `k < l`, earlier-vs-later before later-vs-earlier.
    public let comparisons: [BaconComparison]
    /// The coefficient on `D` in `y ~ D + unit FE + period FE`.
    public let twfeEstimate: Double
    /// Total weight of each kind; every kind is present (zero when it has no comparison).
    public let weightsByKind: [BaconComparison.Kind: Double]
    /// Weighted mean estimate within each kind; only kinds with positive weight are present.
    public let estimateByKind: [BaconComparison.Kind: Double]
    /// `V̂^D`, the variance of the treatment dummy after removing unit and period effects
    /// (the denominator of Eqs. 10e–g). Zero would mean no TWFE estimate, so it is positive.
    public let identifyingVariance: Double
    /// The panel's periods, ascending.
    public let periods: [Int]
    /// Number of units.
    public let unitCount: Int
    /// Units per adoption cohort (first treated period strictly inside the window).
    public let cohortSizes: [Int: Int]
    /// Units untreated throughout the window (never treated or treated after the last period).
    public let untreatedUnits: Int
    /// Units treated in or before the first period. With
    /// ``BaconOptions/AlwaysTreated/pooledWithUntreated`` they are also counted in
    /// ``untreatedUnits``.
    public let alwaysTreatedUnits: Int
    /// The options used.
    public let options: BaconOptions

    /// Share of the TWFE weight on later-vs-earlier comparisons, which use already-treated
    /// units as controls: the part of the estimate that changing treatment effects bias.
    public var forbiddenWeight: Double { weightsByKind[.laterVsEarlier] ?? 0 }

    /// `Σ weight × estimate`: Theorem 1 says it equals ``twfeEstimate``.
    public var weightedSum: Double {
        comparisons.reduce(0) { $0 + $1.weight * $1.estimate }
    }

    /// Decomposes the TWFE estimate of a balanced panel with absorbing treatment.
    ///
    /// - Throws: ``BaconError`` when the input is not a balanced panel with finite outcomes and
    ///   one cohort per unit, or when timing does not vary enough to identify `β` (no unit
    ///   changes treatment inside the window, or all that do change at once and no other group
    ///   is left to compare them with).
    public static func compute(_ input: BaconInput, options: BaconOptions = BaconOptions())
        throws(BaconError) -> BaconDecomposition
    {
        let panel = try BaconPanel(input)
        return try decompose(panel, options: options)
    }

    init(comparisons: [BaconComparison], twfeEstimate: Double, identifyingVariance: Double,
         periods: [Int], unitCount: Int, cohortSizes: [Int: Int], untreatedUnits: Int,
         alwaysTreatedUnits: Int, options: BaconOptions) {
        self.comparisons = comparisons
        self.twfeEstimate = twfeEstimate
        self.identifyingVariance = identifyingVariance
        self.periods = periods
        self.unitCount = unitCount
        self.cohortSizes = cohortSizes
        self.untreatedUnits = untreatedUnits
        self.alwaysTreatedUnits = alwaysTreatedUnits
        self.options = options
        var weights = Dictionary(uniqueKeysWithValues: BaconComparison.Kind.allCases.map { ($0, 0.0) })
        var weighted = weights
        for c in comparisons {
            weights[c.kind, default: 0] += c.weight
            weighted[c.kind, default: 0] += c.weight * c.estimate
        }
        self.weightsByKind = weights
        var means: [BaconComparison.Kind: Double] = [:]
        for (kind, w) in weights where w > 0 {
            means[kind] = (weighted[kind] ?? 0) / w
        }
        self.estimateByKind = means
    }
}
