import COpenBLAS

/// Products computed by OpenBLAS.
extension Matrix {
    /// The cross-product `AᵀA`, from `dsyrk` (half the work of a general product), symmetrised.
    public func crossProduct() -> Matrix {
        var result = Matrix(rows: columns, columns: columns)
        guard rows > 0, columns > 0 else { return result }
        values.withUnsafeBufferPointer { a in
            result.values.withUnsafeMutableBufferPointer { c in
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(columns), Int32(rows),
                            1.0, a.baseAddress, Int32(rows), 0.0, c.baseAddress, Int32(columns))
            }
        }
        result.symmetrizeFromUpper()
        return result
    }

    /// The product `Aᵀv` (`dgemv`).
    public func transposeTimes(_ vector: [Double]) throws(LinearAlgebraError) -> [Double] {
        guard vector.count == rows else { throw .shapeMismatch("Aᵀv with \(rows) rows and a vector of \(vector.count)") }
        var result = [Double](repeating: 0, count: columns)
        accumulateProduct(transposed: true, scale: 1, vector, into: &result, keeping: 0)
        return result
    }

    /// Replaces `target` by `target − Av` in place (`dgemv` with β = 1): residuals without a copy.
    public func subtractProduct(_ vector: [Double], from target: inout [Double]) throws(LinearAlgebraError) {
        guard vector.count == columns, target.count == rows else { throw .shapeMismatch("y − Av with \(rows)x\(columns)") }
        accumulateProduct(transposed: false, scale: -1, vector, into: &target, keeping: 1)
    }

    /// The product `Av` (`dgemv`).
    public func times(_ vector: [Double]) throws(LinearAlgebraError) -> [Double] {
        guard vector.count == columns else { throw .shapeMismatch("Av with \(columns) columns and a vector of \(vector.count)") }
        var result = [Double](repeating: 0, count: rows)
        accumulateProduct(transposed: false, scale: 1, vector, into: &result, keeping: 0)
        return result
    }

    /// `target ← scale · op(A) v + keeping · target` (`dgemv`), `op` transposing when `transposed`:
    /// the one call behind `Av`, `Aᵀv` and `y − Av`. The caller has checked the lengths.
    private func accumulateProduct(
        transposed: Bool, scale: Double, _ vector: [Double], into target: inout [Double], keeping: Double
    ) {
        guard rows > 0, columns > 0 else { return }
        values.withUnsafeBufferPointer { a in
            vector.withUnsafeBufferPointer { v in
                target.withUnsafeMutableBufferPointer { y in
                    cblas_dgemv(CblasColMajor, transposed ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns), scale,
                                a.baseAddress, Int32(rows), v.baseAddress, 1, keeping, y.baseAddress, 1)
                }
            }
        }
    }

    /// The product `op(A) op(B)` (`dgemm`), where `op` transposes when asked.
    public func multiplied(by other: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false)
        throws(LinearAlgebraError) -> Matrix
    {
        let leftRows = transposeSelf ? columns : rows
        let inner = transposeSelf ? rows : columns
        let otherInner = transposeOther ? other.columns : other.rows
        let rightColumns = transposeOther ? other.rows : other.columns
        guard inner == otherInner else {
            throw .shapeMismatch("product of \(leftRows)x\(inner) and \(otherInner)x\(rightColumns)")
        }
        var result = Matrix(rows: leftRows, columns: rightColumns)
        guard leftRows > 0, rightColumns > 0, inner > 0 else { return result }
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                result.values.withUnsafeMutableBufferPointer { c in
                    cblas_dgemm(CblasColMajor, transposeSelf ? CblasTrans : CblasNoTrans,
                                transposeOther ? CblasTrans : CblasNoTrans,
                                Int32(leftRows), Int32(rightColumns), Int32(inner), 1.0,
                                a.baseAddress, Int32(rows), b.baseAddress, Int32(other.rows), 0.0,
                                c.baseAddress, Int32(leftRows))
                }
            }
        }
        return result
    }

    /// Writes `op(A)·B` (`dgemm`) into `result`, without allocating: for loops that reuse
    /// buffers. `other` holds a column-major matrix with `inner` rows (the columns of `op(A)`) and
    /// `result.count / rows(op(A))` columns; `result` is column-major too.
    public func multiply(by other: UnsafeBufferPointer<Double>, transposeSelf: Bool = false,
                         into result: UnsafeMutableBufferPointer<Double>) throws(LinearAlgebraError)
    {
        let leftRows = transposeSelf ? columns : rows
        let inner = transposeSelf ? rows : columns
        guard leftRows > 0, inner > 0 else {
            result.update(repeating: 0)
            return
        }
        let rightColumns = result.count / leftRows
        guard result.count == leftRows * rightColumns, other.count == inner * rightColumns else {
            throw .shapeMismatch("product of \(leftRows)x\(inner) and a buffer of \(other.count) into \(result.count)")
        }
        guard rightColumns > 0 else { return }
        values.withUnsafeBufferPointer { a in
            cblas_dgemm(CblasColMajor, transposeSelf ? CblasTrans : CblasNoTrans, CblasNoTrans,
                        Int32(leftRows), Int32(rightColumns), Int32(inner), 1.0,
                        a.baseAddress, Int32(rows), other.baseAddress, Int32(inner), 0.0,
                        result.baseAddress, Int32(leftRows))
        }
    }

    /// The sandwich `B M B` for symmetric `B` and `M`, the shape of every robust covariance.
    public static func sandwich(bread: Matrix, meat: Matrix) throws(LinearAlgebraError) -> Matrix {
        let half = try bread.multiplied(by: meat)
        var result = try half.multiplied(by: bread)
        // Rounding leaves the product a hair off symmetric; covariances must be exactly symmetric.
        for c in 0..<result.columns {
            for r in 0..<c {
                let average = 0.5 * (result[r, c] + result[c, r])
                result[r, c] = average
                result[c, r] = average
            }
        }
        return result
    }
}

extension Matrix {
    /// `C += AᵀB` on raw column-major blocks (`dgemm`): A is `inner × rows` with leading dimension
    /// `leadingA` (a block of rows of a taller matrix), B is `inner × columns` (contiguous), C is
    /// `rows × columns` (contiguous). For blocked products such as bootstrap replicates, where a
    /// matrix is streamed through in slices that stay in cache.
    public static func accumulateTransposedProduct(_ a: UnsafePointer<Double>, leadingA: Int, _ b: UnsafePointer<Double>,
                                                   rows: Int, columns: Int, inner: Int, into c: UnsafeMutablePointer<Double>) {
        guard rows > 0, columns > 0, inner > 0 else { return }
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(rows), Int32(columns), Int32(inner), 1.0,
                    a, Int32(leadingA), b, Int32(inner), 1.0, c, Int32(rows))
    }
}
