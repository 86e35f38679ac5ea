// The quadratic form W = b′V⁻b of a joint Wald test, and its rank, for a covariance block V that
// may be singular or so ill-conditioned that its ordinary inverse is rounding error amplified.
//
// Goals, in order:
// 1. A test never misleads: Callaway–Sant'Anna's pre-treatment ATT(g,t) of a staggered panel can
//    have a covariance of deficient rank (cells that share their comparisons), where a Cholesky
//    inverse either fails (the test vanished) or succeeds on rounding error (χ²(78) = 5·10⁸). A
//    generalized inverse over the directions the covariance supports, with the rank as the
//    degrees of freedom, is the generalized Wald test of Andrews (1987, Econometrica 55(6),
//    "Asymptotic results for generalized Wald tests"); Stata's `test` likewise drops restrictions
//    that are linear combinations of others and reports the reduced df.
// 2. Scale-free: the rank is judged on the correlation matrix D^{-1/2} V D^{-1/2}, so an outcome
//    in dollars and one in logs give the same rank. Eigenvalues at or below
//    `relativeTolerance` × the largest are treated as zero (MASS::ginv's and numpy's pinv's rule,
//    relative to the largest; the tolerance is √ε ≈ 1.5·10⁻⁸, MASS::ginv's default).
//    D^{-1/2} R⁺ D^{-1/2} is a generalized inverse of V, so W does not depend on the scaling
//    when the estimates lie in V's column space.
// 3. Output stability: a block of full rank keeps the Cholesky inverse the tests have always used,
//    to the last digit.

import LinearAlgebra

/// W = b′V⁻b over the directions V supports, with the rank of V. See the file's opening comment.
public struct WaldQuadraticForm: Sendable {
    /// Eigenvalues of the correlation matrix at or below this fraction of the largest are zero.
    public static let relativeTolerance = Double.ulpOfOne.squareRoot()
    /// The tolerance as notes print it.
    static let toleranceText = "1.5e-8"

    /// The quadratic form (the χ² statistic before any division by the degrees of freedom).
    public let value: Double
    /// The rank of V: the test's degrees of freedom.
    public let rank: Int
    /// The number of tested estimates.
    public let restrictions: Int
    /// The smallest eigenvalue of the correlation matrix over the largest (1/condition number).
    public let reciprocalCondition: Double

    /// Whether the generalized inverse replaced the ordinary one (rank below the restrictions).
    public var isRankDeficient: Bool { rank < restrictions }

    /// The form for `estimates` b with covariance `covariance` V (q × q, finite).
    public init(estimates: [Double], covariance: Matrix) throws(LinearAlgebraError) {
        let q = estimates.count
        guard covariance.rows == q, covariance.columns == q else {
            throw .shapeMismatch("Wald test of \(q) estimates with a \(covariance.rows)x\(covariance.columns) covariance")
        }
        // Correlation scale; an estimate without variance keeps scale 1, so that its zero row
        // shows as a zero eigenvalue.
        let scales = covariance.diagonal.map { $0 > 0 ? $0.squareRoot() : 1 }
        var correlation = covariance
        for i in 0..<q { for j in 0..<q { correlation[i, j] = covariance[i, j] / (scales[i] * scales[j]) } }
        let (eigenvalues, vectors) = try correlation.symmetricEigen()
        let largest = eigenvalues.last ?? 0
        let kept = eigenvalues.indices.filter { largest > 0 && eigenvalues[$0] > Self.relativeTolerance * largest }
        restrictions = q
        rank = kept.count
        reciprocalCondition = largest > 0 ? max(eigenvalues.first ?? 0, 0) / largest : 0
        if rank == q, let inverse = try? covariance.symmetricPositiveDefiniteInverse() {
            var quadratic = 0.0
            for i in 0..<q { for j in 0..<q { quadratic += estimates[i] * inverse[i, j] * estimates[j] } }
            value = quadratic
            return
        }
        // Σ over the supported directions u of (u′z)²/λ, with z = D^{-1/2} b.
        let standardized = estimates.indices.map { estimates[$0] / scales[$0] }
        var quadratic = 0.0
        for k in kept {
            var projection = 0.0
            for i in 0..<q { projection += vectors[i, k] * standardized[i] }
            quadratic += projection * projection / eigenvalues[k]
        }
        value = quadratic
    }

    /// What the test did with a rank-deficient covariance, in one sentence for a note.
    public var rankNote: String {
        "the covariance of the \(restrictions) tested estimates has rank \(rank) (eigenvalues of their correlation matrix at or below "
            + "\(Self.toleranceText) of the largest taken as zero), so the test uses its generalized inverse with \(rank) "
            + "degree\(rank == 1 ? "" : "s") of freedom (Andrews 1987)"
    }
}
