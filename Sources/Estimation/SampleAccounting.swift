/// Where the rows of a regression went: the rows read, the rows used, and the rows dropped by
/// reason. The model frame fills the reasons every model shares; Poisson adds its own two (all-zero
/// fixed-effect groups and separation). One value, so that a new reason is counted once for
/// `feols` and `fepois` alike, and the parts always add up: `rowsUsed + dropped == rowsRead`
/// (fixest's `nobs_origin` and its `obs_selection`; pyfixest's `_N` and `_na_index`).
public struct SampleAccounting: Sendable {
    /// Rows of the data the frame read: after `--subset`, whose removals `subset` counts when a
    /// caller adds them with `including(subset:)`.
    public var rowsRead: Int
    /// Observations the model used.
    public var rowsUsed: Int
    /// Rows a row filter (`--subset`) removed before the frame read the rest.
    public var subset = 0
    /// Rows with a missing value (empty, NA, NaN) in a variable used.
    public var missing = 0
    /// Rows with an infinite value (inf, 1e400) in a variable used, or an overflowing product.
    public var nonFinite = 0
    /// Rows where a function of a present value is undefined, by reason ("log of zero or
    /// negative"), in the order first met.
    public var undefinedTransforms: [(reason: String, rows: Int)] = []
    /// Rows with a zero weight.
    public var zeroWeight = 0
    /// Fixed-effect singletons (removed recursively, as fixest 0.13).
    public var singletons = 0
    /// Poisson: rows in fixed-effect groups whose outcome is zero throughout.
    public var allZeroGroups = 0
    /// Poisson: rows where the regressors and fixed effects predict y = 0 perfectly.
    public var separated = 0

    /// Accounting for `rowsRead` rows, of which `rowsUsed` (all, by default) were used, with the
    /// drops the model frame counts.
    public init(rowsRead: Int, rowsUsed: Int? = nil, missing: Int = 0, nonFinite: Int = 0,
                undefinedTransforms: [(reason: String, rows: Int)] = [], zeroWeight: Int = 0, singletons: Int = 0) {
        self.rowsRead = rowsRead
        self.rowsUsed = rowsUsed ?? rowsRead
        self.missing = missing
        self.nonFinite = nonFinite
        self.undefinedTransforms = undefinedTransforms
        self.zeroWeight = zeroWeight
        self.singletons = singletons
    }

    /// Rows dropped for an undefined transformation, summed over the reasons.
    public var undefinedTransformRows: Int { undefinedTransforms.reduce(0) { $0 + $1.rows } }

    /// Rows dropped for any reason.
    public var dropped: Int {
        subset + missing + nonFinite + undefinedTransformRows + zeroWeight + singletons + allZeroGroups + separated
    }

    /// Whether the parts add up to the rows read.
    public var isBalanced: Bool { rowsUsed + dropped == rowsRead }

    /// The same accounting counted from the rows before a row filter, with the filter's removals
    /// as the first reason.
    public func including(subset summary: SubsetSummary?) -> SampleAccounting {
        guard let summary else { return self }
        var counted = self
        counted.rowsRead = summary.rowsBefore
        counted.subset = summary.removed
        return counted
    }
}
