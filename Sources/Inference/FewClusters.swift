// The one rule for inference with few clusters, which every clustered test of feols and did
// follows: the regression covariance (CovarianceEstimator), did's TWFE (least squares and Poisson),
// Callaway–Sant'Anna, Sun–Abraham, imputation and the multiplier bootstrap. (`quipu fepois` keeps
// the normal for its GLM tests, as fixest and pyfixest do.)
//
// Goals, in order:
// 1. One reference distribution: t with G − 1 degrees of freedom for tests and intervals from a
//    cluster-robust variance (fixest's `t.df = "min"`; Cameron & Miller 2015, "A Practitioner's
//    Guide to Cluster-Robust Inference", §VI.C; Bester, Conley & Hansen 2011). With 2 clusters the
//    normal distribution would report p < 2e-16 where t(1) says p ≈ 0.3.
// 2. A warning below 30 clusters, where even t(G − 1) over-rejects (Cameron, Gelbach & Miller
//    2008; MacKinnon & Webb 2017), naming the wild cluster bootstrap as the check.
// 3. No pairs or multiplier bootstrap below 5 clusters: with G clusters the pairs bootstrap has
//    only C(2G − 1, G) distinct resamples (3 with 2 clusters, 10 with 3) and the multiplier
//    bootstrap 2^G sign vectors (4 with 2 clusters, whose sup-t "band" came out narrower than a
//    pointwise interval), so their standard errors and quantiles describe a handful of draws.

/// The few-cluster rule: degrees of freedom, the warning threshold, and the pairs bootstrap's minimum.
public enum FewClusters {
    /// Below this many clusters the report warns that cluster-robust inference is unreliable.
    public static let warningThreshold = 30
    /// Below this many clusters the pairs and multiplier bootstraps are refused.
    public static let bootstrapMinimum = 5

    /// The degrees of freedom of the t distribution for `clusters` clusters: G − 1.
    public static func degreesOfFreedom(clusters: Int) -> Double { Double(clusters - 1) }

    /// The number of distinct resamples of `clusters` clusters drawn with replacement, C(2G − 1, G).
    public static func distinctResamples(clusters: Int) -> Double {
        guard clusters > 0 else { return 0 }
        var count = 1.0
        for i in 1...clusters { count = count * Double(clusters - 1 + i) / Double(i) }
        return count.rounded()
    }

    /// The warning for `clusters` clusters of `variable` (nil at or above the threshold). `check`
    /// says how to run the wild cluster bootstrap for the estimate at hand.
    /// `distribution` names the reference distribution when it is not t(G − 1) (fepois's normal).
    public static func warning(clusters: Int, variable: String, check: String, distribution: String? = nil) -> String? {
        guard clusters < warningThreshold else { return nil }
        let reference = distribution ?? "t with G − 1 = \(clusters - 1) df"
        return "only \(clusters) clusters (\(variable)): tests and intervals use \(reference), and below "
            + "\(warningThreshold) clusters even these over-reject (Cameron, Gelbach & Miller 2008); check the conclusions with the wild cluster bootstrap (\(check))"
    }

    /// Why a joint Wald test of `restrictions` coefficients is undefined with `clusters` clusters,
    /// or nil: a cluster-robust covariance sums G cluster scores that add up to zero, so it has
    /// rank G − 1 at most, and a block of more than G − 1 coefficients is singular; inverted
    /// anyway it gives rounding noise such as F = 10¹⁷.
    public static func jointTestUndefinedReason(restrictions: Int, clusters: Int) -> String? {
        guard restrictions > clusters - 1 else { return nil }
        return "a joint test of \(restrictions) coefficients needs more than \(restrictions) clusters: with \(clusters) the cluster-robust covariance has rank \(max(clusters - 1, 0)) at most, so the test is undefined (NA)"
    }

    /// Refuses the pairs bootstrap with fewer than `bootstrapMinimum` clusters.
    public static func checkPairsBootstrap(clusters: Int) throws(BootstrapError) {
        guard clusters >= bootstrapMinimum else {
            let resamples = Int(distinctResamples(clusters: clusters))
            throw BootstrapError("the pairs bootstrap needs at least \(bootstrapMinimum) clusters, got \(clusters): with \(clusters) there are only \(resamples) distinct resamples of the clusters, so its standard error and percentile interval describe \(resamples) refits, not a sampling distribution; use --bootstrap wild (the wild cluster bootstrap, which enumerates its 2^G sign vectors and says what it can resolve)")
        }
    }

    /// Refuses the multiplier bootstrap with fewer than `bootstrapMinimum` clusters (or units).
    public static func checkMultiplierBootstrap(clusters: Int) throws(BootstrapError) {
        guard clusters >= bootstrapMinimum else {
            throw BootstrapError("the multiplier bootstrap needs at least \(bootstrapMinimum) clusters, got \(clusters): with \(clusters) its Rademacher weights have only \(1 << max(clusters, 0)) sign vectors, so its standard errors and uniform bands describe \(1 << max(clusters, 0)) draws, not a sampling distribution; use the analytic standard errors (t with G − 1 df), and for the TWFE estimate the wild cluster bootstrap (quipu feols --bootstrap wild)")
        }
    }
}
