import Inference

/// Which bootstrap to run after a least-squares fit.
public enum BootstrapMethod: String, Sendable, CaseIterable {
    /// The wild cluster bootstrap (one test per coefficient, or of a linear restriction).
    case wild
    /// The pairs cluster bootstrap (resampling whole clusters).
    case pairs
}

/// A bootstrap asked for after a fit (`feols --bootstrap`): what `BootstrapRunner` runs.
public struct BootstrapRequest: Sendable {
    public var method: BootstrapMethod
    /// Replicates (random draws); the wild bootstrap enumerates the sign vectors when there are fewer.
    public var replicates: Int
    public var seed: UInt64
    /// The one coefficient to test (nil: every coefficient).
    public var term: String?
    /// A linear restriction to test with the wild bootstrap instead (`grant + grant_1 = 0`).
    public var restriction: String?
    /// The wild bootstrap's weights.
    public var weights: BootstrapWeights
    /// The variable whose clusters are resampled or weighted (nil: the covariance's first).
    public var cluster: String?
    /// Wild: impose the null on the residuals (WCR) or not (WCU).
    public var imposeNull: Bool
    /// Wild: symmetric or equal-tailed p-values.
    public var pValueType: BootstrapPValueType

    public init(method: BootstrapMethod, replicates: Int, seed: UInt64, term: String?, restriction: String?, weights: BootstrapWeights,
                cluster: String?, imposeNull: Bool, pValueType: BootstrapPValueType) {
        self.method = method
        self.replicates = replicates
        self.seed = seed
        self.term = term
        self.restriction = restriction
        self.weights = weights
        self.cluster = cluster
        self.imposeNull = imposeNull
        self.pValueType = pValueType
    }
}
