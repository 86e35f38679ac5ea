/// Symmetric positive definite systems of the size of a covariate set (a handful of columns),
/// solved by a plain Cholesky factorisation: at this size a LAPACK call costs more in set-up than
/// the arithmetic, and the pivot ratio doubles as the singularity check the peers make with
/// `rcond` (R DRDID stops, or R did skips the cell, when it is below machine epsilon).
struct SmallSystem {
    /// The order of the system.
    let order: Int
    /// The lower Cholesky factor, row-major.
    private var factor: [Double]

    /// Factors the row-major symmetric matrix `matrix`; nil when it is singular to working precision.
    init?(_ matrix: [Double], order: Int) {
        self.order = order
        var l = [Double](repeating: 0, count: order * order)
        var largest = 0.0, smallest = Double.infinity
        for j in 0..<order {
            var diagonal = matrix[j * order + j]
            for k in 0..<j { diagonal -= l[j * order + k] * l[j * order + k] }
            guard diagonal > 0, diagonal.isFinite else { return nil }
            let root = diagonal.squareRoot()
            l[j * order + j] = root
            largest = max(largest, diagonal)
            smallest = min(smallest, diagonal)
            for i in (j + 1)..<max(j + 1, order) {
                var value = matrix[i * order + j]
                for k in 0..<j { value -= l[i * order + k] * l[j * order + k] }
                l[i * order + j] = value / root
            }
        }
        // The ratio of squared pivots bounds the reciprocal condition number from above.
        guard order == 0 || smallest / largest > Double.ulpOfOne else { return nil }
        factor = l
    }

    /// Solves `A x = b`.
    func solve(_ rhs: [Double]) -> [Double] {
        var x = rhs
        for i in 0..<order {
            var value = x[i]
            for k in 0..<i { value -= factor[i * order + k] * x[k] }
            x[i] = value / factor[i * order + i]
        }
        for i in stride(from: order - 1, through: 0, by: -1) {
            var value = x[i]
            for k in (i + 1)..<max(i + 1, order) { value -= factor[k * order + i] * x[k] }
            x[i] = value / factor[i * order + i]
        }
        return x
    }
}
