/// Choices that change how a Goodman-Bacon decomposition is reported, never its total.
public struct BaconOptions: Sendable, Equatable {
    /// Where units treated in or before the first period ("always treated") go.
    ///
    /// Within the window such units have `D = 1` in every period, so the unit fixed effect
    /// absorbs their treatment: in the two-way fixed-effects regression they are
    /// indistinguishable from never-treated units, and both choices below give the same
    /// ``BaconDecomposition/twfeEstimate`` and the same weighted sum. They differ only in how
    /// the comparisons that use these units as controls are labelled:
    ///
    /// - ``separateGroup`` (the default) keeps them as one group with treatment share
    ///   `D̄ = 1`, the convention of R's and Stata's `bacondecomp` ("Later vs Always Treated",
    ///   "Always_v_timing"). Each adoption cohort `k` then has a
    ///   ``BaconComparison/Kind/laterVsEarlier`` comparison against them
    ///   (``BaconComparison/controlIsAlwaysTreated`` is `true`): they are already-treated
    ///   controls, biased when their effects change over time, so their weight counts in
    ///   ``BaconDecomposition/forbiddenWeight``. Their own comparison as the "earlier" group has
    ///   zero weight (no untreated period) and is omitted, as is always-vs-never (no variation).
    /// - ``pooledWithUntreated`` folds them into the untreated group `U`, as the paper does
    ///   (Goodman-Bacon 2021, footnote 11) and as the Python package diff-diff does.
    ///
    /// The two are consistent: with `n` the groups' sample shares, the `treatedVsNever` weight
    /// of cohort `k` against the pooled `U` is `n_k (n_A + n_N) D̄_k (1 − D̄_k) / V̂^D`
    /// (Eqs. 7 and 10e), the sum of its weights against the always-treated `A` and the
    /// never-treated `N` apart, and the pooled estimate is their `n`-weighted mean.
    public enum AlwaysTreated: String, Sendable, CaseIterable {
        /// One group with treatment share 1 (R/Stata `bacondecomp`); the default.
        case separateGroup = "separate"
        /// Part of the untreated group (the paper's footnote 11; diff-diff).
        case pooledWithUntreated = "pooled"
    }

    /// Where always-treated units go; see ``AlwaysTreated``.
    public var alwaysTreated: AlwaysTreated

    /// Creates options; the defaults follow R/Stata `bacondecomp`.
    public init(alwaysTreated: AlwaysTreated = .separateGroup) {
        self.alwaysTreated = alwaysTreated
    }
}
