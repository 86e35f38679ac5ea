/// Small-sample conventions of fixest 0.13 and pyfixest (`ssc()` defaults).
///
/// - iid: s² = SSR / (N − K).
/// - hetero: the HC0 sandwich times N / (N − K) (HC1).
/// - cluster (CRV1): the sandwich times G/(G − 1) · (N − 1)/(N − K), where K leaves out the levels
///   of fixed effects nested in the cluster variable (`fixef.K = "nested"`); with two-way clustering
///   every term uses the smaller G (`cluster.df = "min"`), and t has G − 1 degrees of freedom
///   (`t.df = "min"`).
public struct SmallSampleCorrection: Sendable, Equatable {
    /// Apply the (N − 1)/(N − K) factor.
    public var adjustForParameters: Bool
    /// Apply G/(G − 1) for clustered estimators.
    public var adjustForClusters: Bool

    /// The fixest 0.13 default.
    public static let fixestDefault = SmallSampleCorrection(adjustForParameters: true, adjustForClusters: true)

    /// Creates a correction.
    public init(adjustForParameters: Bool, adjustForClusters: Bool) {
        self.adjustForParameters = adjustForParameters
        self.adjustForClusters = adjustForClusters
    }

    /// The factor (N − 1)/(N − K) on a clustered sandwich for N observations and K parameters.
    public func parameterFactor(observations: Int, parameters: Int) -> Double {
        guard adjustForParameters, observations > parameters else { return 1 }
        return Double(observations - 1) / Double(observations - parameters)
    }

    /// The HC1 factor N/(N − K) on a heteroskedasticity-robust sandwich.
    public func heteroFactor(observations: Int, parameters: Int) -> Double {
        guard adjustForParameters, observations > parameters else { return 1 }
        return Double(observations) / Double(observations - parameters)
    }

    /// The factor G/(G − 1) for G clusters.
    public func clusterFactor(clusters: Int) -> Double {
        guard adjustForClusters, clusters > 1 else { return 1 }
        return Double(clusters) / Double(clusters - 1)
    }
}
