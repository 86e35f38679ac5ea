// The wild cluster bootstrap of a linear restriction R′β = r in a least-squares fit.
//
// Goals, in order:
// 1. Agreement with wildboottest / boottest (MacKinnon, Nielsen & Webb 2023, "Fast and reliable
//    jackknife and bootstrap methods for cluster-robust inference"; Roodman, MacKinnon, Nielsen &
//    Webb 2019, "Fast and wild: bootstrap inference in Stata using boottest"): restricted (WCR) or
//    unrestricted (WCU) residuals, CRV1 bootstrap t statistics, symmetric and equal-tailed
//    p-values, confidence sets by test inversion. Fixed effects are handled by bootstrapping the
//    demeaned regression (Frisch–Waugh–Lovell), as pyfixest hands wildboottest the demeaned data.
// 2. Speed: nothing in a replicate touches the N observations. With c = (X′X)⁻¹R, the bootstrap
//    numerator is s′v (s_g = c′X_g′ũ_g, one entry per bootstrap cluster) and the score of vcov
//    cluster h is (Sv)_h − w_h′(Av) with S_hg = c′X_{h∩g}′ũ_{h∩g}, w_h = X_h′X_h c and
//    A_g = (X′X)⁻¹X_g′ũ_g: the correction has rank k, so a replicate costs O(G·k), not O(G²).
// 3. Reproducibility: replicate b's weights come from RandomStream(seed, b), so results do not
//    depend on the thread count; with Rademacher weights and 2^G ≤ B every sign vector is
//    enumerated instead.
// WCR residuals are linear in the hypothesised value r, so every quantity above is a + r·b and
// the p-value at any r costs O(B): that is what makes test inversion cheap.

import LinearAlgebra

/// How a wild bootstrap p-value compares bootstrap and sample statistics.
public enum BootstrapPValueType: String, Sendable, CaseIterable {
    /// P(|t*| ≥ |t|).
    case symmetric
    /// 2·min(P(t* ≤ t), P(t* ≥ t)).
    case equalTailed = "equal-tailed"
}

/// The inputs of a wild cluster bootstrap test, taken from a fitted model.
public struct WildBootstrapProblem: Sendable {
    /// √w · X̃ (demeaned, weighted design), N × k.
    public let design: Matrix
    /// √w · û, the unrestricted residuals.
    public let residuals: [Double]
    /// The estimates β̂.
    public let coefficients: [Double]
    /// (X̃′X̃)⁻¹.
    public let bread: Matrix
    /// The restriction vector R (k entries) and value r in H0: R′β = r.
    public let restriction: [Double]
    public let value: Double
    /// The clusters of the CRV1 covariance and of the bootstrap weights (often the same).
    public let covarianceClusters: ClusterVariable
    public let bootstrapClusters: ClusterVariable
    /// The small-sample factor κ of the CRV1 variance; p-values do not depend on it.
    public let smallSampleFactor: Double
    /// A fixed effect to re-estimate in every draw without dense dummy columns (see
    /// `WildBootstrapDummyBlock`), or nil.
    public var dummyBlock: WildBootstrapDummyBlock?

    /// Creates a problem.
    public init(design: Matrix, residuals: [Double], coefficients: [Double], bread: Matrix, restriction: [Double], value: Double,
                covarianceClusters: ClusterVariable, bootstrapClusters: ClusterVariable, smallSampleFactor: Double) {
        self.design = design
        self.residuals = residuals
        self.coefficients = coefficients
        self.bread = bread
        self.restriction = restriction
        self.value = value
        self.covarianceClusters = covarianceClusters
        self.bootstrapClusters = bootstrapClusters
        self.smallSampleFactor = smallSampleFactor
    }
}

/// A fixed effect not nested in the clusters whose dummies belong in the bootstrap regression,
/// given by its level codes instead of dense columns.
///
/// With the design's other fixed effects nested in the clusters, the bootstrap regression's
/// projection splits into the k demeaned regressors and these L dummies demeaned by the nested
/// effects; the dummy block needs only per-cluster sums of d_i ũ_i and d_i (c′x̃_i), and the L × L
/// inverse Gram matrix of the demeaned dummies. Building them costs one pass over the rows.
public struct WildBootstrapDummyBlock: Sendable {
    /// Each row's dummy column (0..<count), or −1 for the reference level.
    public let codes: [Int32]
    /// L, the number of dummy columns.
    public let count: Int
    /// (D̃′D̃)⁻¹ for the dummies demeaned by the nested fixed effects.
    public let inverseGram: Matrix

    /// Creates a block.
    public init(codes: [Int32], count: Int, inverseGram: Matrix) {
        self.codes = codes
        self.count = count
        self.inverseGram = inverseGram
    }
}

/// Settings of a wild cluster bootstrap.
public struct WildBootstrapSettings: Sendable {
    public var replicates: Int
    public var seed: UInt64
    public var weights: BootstrapWeights
    /// Impose the null on the residuals (WCR) or not (WCU).
    public var imposeNull: Bool
    public var pValueType: BootstrapPValueType
    public var confidenceLevel: Double
    public var threads: Int
    /// A run expected to take longer than this many seconds is announced through `announce`
    /// before it starts (see WildClusterBootstrap+Duration).
    public var longRunSeconds: Double = 60
    /// Receives the long-run warning; nil: no pilot is timed.
    public var announce: (@Sendable (String) -> Void)? = nil

    /// Creates settings; the defaults are boottest's (WCR, Rademacher, symmetric).
    public init(replicates: Int = 9_999, seed: UInt64 = 1, weights: BootstrapWeights = .rademacher, imposeNull: Bool = true,
                pValueType: BootstrapPValueType = .symmetric, confidenceLevel: Double = 0.95, threads: Int = 1) {
        self.replicates = replicates
        self.seed = seed
        self.weights = weights
        self.imposeNull = imposeNull
        self.pValueType = pValueType
        self.confidenceLevel = confidenceLevel
        self.threads = threads
    }
}

/// The result of a wild cluster bootstrap test.
public struct WildBootstrapResult: Sendable {
    /// The sample t statistic (CRV1) of H0.
    public let statistic: Double
    public let pValue: Double
    /// The confidence set's end points, by test inversion (WCR) or bootstrap-t (WCU).
    public let confidenceLow: Double
    public let confidenceHigh: Double
    /// Replicates actually used (2^G under full enumeration).
    public let replicates: Int
    public let fullEnumeration: Bool
    /// Bootstrap t statistics at the hypothesised value, one per replicate.
    public let bootstrapStatistics: [Double]
}

/// Errors of the bootstrap.
public struct BootstrapError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
