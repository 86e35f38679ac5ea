import COpenBLAS

/// Factorisations and inverses computed by LAPACK, with `info` codes turned into typed errors.
extension Matrix {
    /// The upper Cholesky factor `R` with `RᵀR = self` (`dpotrf`); the strict lower triangle is zeroed.
    public func choleskyUpper() throws(LinearAlgebraError) -> Matrix {
        guard rows == columns else { throw .shapeMismatch("Cholesky of a \(rows)x\(columns) matrix") }
        var factor = try upperTriangleResult(of: "dpotrf", LAPACKE_dpotrf)
        factor.zeroStrictLowerTriangle()
        return factor
    }

    /// The inverse of `RᵀR` given its upper triangular factor `R` (`dpotri`), symmetrised.
    public func inverseFromUpperFactor() throws(LinearAlgebraError) -> Matrix {
        guard rows == columns else { throw .shapeMismatch("inverse from a \(rows)x\(columns) factor") }
        var inverse = try upperTriangleResult(of: "dpotri", LAPACKE_dpotri)
        inverse.symmetrizeFromUpper()
        return inverse
    }

    /// A copy of this square matrix after `routine`, a LAPACK call that works in place on the upper
    /// triangle (`dpotrf`, `dpotri`), with its `info` turned into a typed error.
    private func upperTriangleResult(
        of name: String,
        _ routine: (Int32, CChar, Int32, UnsafeMutablePointer<Double>?, Int32) -> Int32
    ) throws(LinearAlgebraError) -> Matrix {
        var result = self
        guard rows > 0 else { return result }
        let info = result.values.withUnsafeMutableBufferPointer { a in
            routine(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(rows), a.baseAddress, Int32(rows))
        }
        if let error = LinearAlgebraError.check(info, routine: name) { throw error }
        return result
    }

    /// The inverse of a symmetric positive definite matrix, through its Cholesky factor.
    public func symmetricPositiveDefiniteInverse() throws(LinearAlgebraError) -> Matrix {
        try choleskyUpper().inverseFromUpperFactor()
    }

    /// The triangular factor `R` of a Householder QR factorisation without pivoting (`dgeqrf`).
    ///
    /// Only `R` is returned: least squares here needs `R` for the solution and the bread `(XᵀX)⁻¹ =
    /// R⁻¹R⁻ᵀ`, and `Qᵀy` is obtained by factoring `[X y]` together.
    public func householderR() throws(LinearAlgebraError) -> Matrix {
        guard rows >= columns else { throw .shapeMismatch("QR of a \(rows)x\(columns) matrix needs rows >= columns") }
        var work = self
        var tau = [Double](repeating: 0, count: Swift.max(1, columns))
        guard columns > 0 else { return Matrix(rows: 0, columns: 0) }
        let info = work.values.withUnsafeMutableBufferPointer { a in
            tau.withUnsafeMutableBufferPointer { t in
                LAPACKE_dgeqrf(LAPACK_COL_MAJOR, Int32(rows), Int32(columns), a.baseAddress, Int32(rows), t.baseAddress)
            }
        }
        if let error = LinearAlgebraError.check(info, routine: "dgeqrf") { throw error }
        var r = Matrix(rows: columns, columns: columns)
        for c in 0..<columns {
            for row in 0...c { r[row, c] = work[row, c] }
        }
        return r
    }

    /// Solves `Rx = b` for upper triangular `R` by back substitution (`dtrsv`).
    public func solveUpperTriangular(_ rhs: [Double]) throws(LinearAlgebraError) -> [Double] {
        guard rows == columns, rhs.count == rows else { throw .shapeMismatch("triangular solve") }
        for index in 0..<rows where self[index, index] == 0 {
            throw .singular(routine: "dtrsv", position: index + 1)
        }
        var solution = rhs
        guard rows > 0 else { return solution }
        values.withUnsafeBufferPointer { a in
            solution.withUnsafeMutableBufferPointer { x in
                cblas_dtrsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, Int32(rows),
                            a.baseAddress, Int32(rows), x.baseAddress, 1)
            }
        }
        return solution
    }

    /// Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix (`dsyevd`).
    public func symmetricEigen() throws(LinearAlgebraError) -> (values: [Double], vectors: Matrix) {
        guard rows == columns else { throw .shapeMismatch("eigen-decomposition of a \(rows)x\(columns) matrix") }
        var vectors = self
        var eigenvalues = [Double](repeating: 0, count: rows)
        guard rows > 0 else { return (eigenvalues, vectors) }
        let info = vectors.values.withUnsafeMutableBufferPointer { a in
            eigenvalues.withUnsafeMutableBufferPointer { w in
                LAPACKE_dsyevd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")),
                               Int32(rows), a.baseAddress, Int32(rows), w.baseAddress)
            }
        }
        if let error = LinearAlgebraError.check(info, routine: "dsyevd") { throw error }
        return (eigenvalues, vectors)
    }

    mutating func zeroStrictLowerTriangle() {
        for c in 0..<columns {
            for r in (c + 1)..<Swift.max(rows, c + 1) { self[r, c] = 0 }
        }
    }
}
