import LinearAlgebra

/// A joint Wald test that a subset of coefficients are all zero, reported as an F statistic.
///
/// F = b′V⁻¹b / q for the q tested coefficients b and their covariance block V, compared with
/// F(q, df₂), where df₂ is the covariance estimate's degrees of freedom: G − 1 when clustered,
/// N − K otherwise, the same degrees of freedom as the coefficients' t tests. The peers differ
/// here: R fixest's `wald()` uses N − K whatever the vcov, and pyfixest's `wald_test` switches to
/// a χ²(q) test for a subset of coefficients; with few clusters G − 1 is the conservative choice
/// (the fixtures in Tests/Fixtures/did record all three).
public struct WaldTest: Sendable {
    /// The F statistic.
    public let statistic: Double
    /// Numerator degrees of freedom q.
    public let numeratorDegrees: Int
    /// Denominator degrees of freedom.
    public let denominatorDegrees: Double
    /// P(F ≥ statistic).
    public let pValue: Double
    /// Why the test is undefined (NaN statistic), when a rule rather than the covariance says so.
    public private(set) var undefinedReason: String? = nil

    /// Tests that `coefficients[indices]` are jointly zero under covariance `covariance`.
    public init(coefficients: [Double], covariance: CovarianceEstimate, indices: [Int]) throws(CovarianceError) {
        guard !indices.isEmpty else { throw CovarianceError(message: "the Wald test needs at least one coefficient") }
        // Without residual degrees of freedom (or with a degenerate robust variance) the covariance
        // is undefined where its note says, and so is the test: NA, like the coefficients' own
        // tests, rather than an error.
        let block = covariance.matrix.selecting(rows: indices, columns: indices)
        guard covariance.isDefined, !block.values.contains(where: \.isNaN) else {
            self.statistic = .nan
            self.numeratorDegrees = indices.count
            self.denominatorDegrees = covariance.degreesOfFreedom
            self.pValue = .nan
            return
        }
        if let clusters = covariance.clusterCounts.min(),
           let reason = FewClusters.jointTestUndefinedReason(restrictions: indices.count, clusters: clusters) {
            self.statistic = .nan
            self.numeratorDegrees = indices.count
            self.denominatorDegrees = covariance.degreesOfFreedom
            self.pValue = .nan
            self.undefinedReason = reason
            return
        }
        let tested = indices.map { coefficients[$0] }
        let inverse: Matrix
        do {
            inverse = try block.symmetricPositiveDefiniteInverse()
        } catch {
            throw CovarianceError(message: "the covariance of the tested coefficients is singular; the Wald test is undefined (\(error))")
        }
        var quadratic = 0.0
        for i in 0..<tested.count {
            for j in 0..<tested.count { quadratic += tested[i] * inverse[i, j] * tested[j] }
        }
        let q = indices.count
        self.statistic = quadratic / Double(q)
        self.numeratorDegrees = q
        self.denominatorDegrees = covariance.degreesOfFreedom
        self.pValue = FDistribution(numerator: Double(q), denominator: covariance.degreesOfFreedom).survival(statistic)
    }
}
