import COpenBLAS

/// An upper triangular factor `R` of column-scaled data, with the column norms `D` it was scaled by:
/// `(XᵀX)⁻¹ = D⁻¹R⁻¹R⁻ᵀD⁻¹`.
///
/// Robust covariances are sandwiches `B M B` with `B = (XᵀX)⁻¹` and `M = SᵀS` for scores `S`.
/// Forming `B` and multiplying loses the digits of nearly collinear columns: `B`'s entries are
/// about 1/pivot with opposite signs, and they cancel in the product. Transforming the scores
/// first, `G = S D⁻¹ R⁻¹`, keeps every step near the scale of its result (Björck, Numerical
/// Methods for Least Squares Problems, 1996, §1.4 and §2.2: covariance from the R factor).
public struct ScaledTriangularFactor: Sendable {
    /// `R` (k × k, upper triangular).
    public let triangle: Matrix
    /// The norms of the kept columns (the diagonal of `D`).
    public let norms: [Double]

    /// Creates a factor.
    public init(triangle: Matrix, norms: [Double]) {
        self.triangle = triangle
        self.norms = norms
    }

    /// The number of coefficients.
    public var order: Int { norms.count }

    /// `S D⁻¹ R⁻¹` for a score matrix `S` (n × k): scores in coordinates where the bread is the
    /// identity, so that their cross-product is the meat of `sandwich(whitenedMeat:)`.
    public func whitened(_ scores: Matrix) throws(LinearAlgebraError) -> Matrix {
        guard scores.columns == order, triangle.rows == order else {
            throw .shapeMismatch("scores with \(scores.columns) columns for a factor of order \(order)")
        }
        var result = scores
        guard scores.rows > 0, order > 0 else { return result }
        for column in 0..<order {
            let scale = 1 / norms[column]
            for row in 0..<scores.rows { result.values[column * scores.rows + row] *= scale }
        }
        triangle.values.withUnsafeBufferPointer { r in
            result.values.withUnsafeMutableBufferPointer { b in
                cblas_dtrsm(CblasColMajor, CblasRight, CblasUpper, CblasNoTrans, CblasNonUnit,
                            Int32(scores.rows), Int32(order), 1.0, r.baseAddress, Int32(order), b.baseAddress, Int32(scores.rows))
            }
        }
        return result
    }

    /// `D⁻¹R⁻¹ T R⁻ᵀD⁻¹` for a symmetric `T` in whitened coordinates: the sandwich `B M B` whose
    /// meat `M` was whitened to `T = R⁻ᵀD⁻¹ M D⁻¹R⁻¹`.
    public func sandwich(whitenedMeat meat: Matrix) throws(LinearAlgebraError) -> Matrix {
        guard meat.rows == order, meat.columns == order else {
            throw .shapeMismatch("a meat of \(meat.rows)x\(meat.columns) for a factor of order \(order)")
        }
        guard order > 0 else { return meat }
        var half = meat
        leftSolve(&half)
        // R⁻¹ T R⁻ᵀ = R⁻¹ (R⁻¹ T)ᵀ, as T is symmetric.
        var result = half.transposed
        leftSolve(&result)
        for column in 0..<order {
            for row in 0..<order {
                result[row, column] /= norms[row] * norms[column]
            }
        }
        for column in 0..<order {
            for row in 0..<column {
                let average = 0.5 * (result[row, column] + result[column, row])
                result[row, column] = average
                result[column, row] = average
            }
        }
        return result
    }

    /// Replaces `matrix` (k × m) by `R⁻¹ matrix` (`dtrsm`).
    private func leftSolve(_ matrix: inout Matrix) {
        let columns = matrix.columns
        triangle.values.withUnsafeBufferPointer { r in
            matrix.values.withUnsafeMutableBufferPointer { b in
                cblas_dtrsm(CblasColMajor, CblasLeft, CblasUpper, CblasNoTrans, CblasNonUnit,
                            Int32(order), Int32(columns), 1.0, r.baseAddress, Int32(order), b.baseAddress, Int32(order))
            }
        }
    }
}
