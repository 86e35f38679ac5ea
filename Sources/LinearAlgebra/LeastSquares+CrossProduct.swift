/// Least squares from a cross-product alone, for fits whose rows never meet on one machine
/// (`quipu combine` sums XᵀX and Xᵀy over partitions; docs/scaling.md section 5).
///
/// Goal: the same columns dropped and the same coefficients as `solve(design:response:)` gives on
/// the rows. The collinearity decision is the same fixest pivot rule on the same cross-product,
/// and the solve the same scaled Cholesky. What cannot be had without the rows is the QR fallback
/// for nearly collinear designs (smallest scaled squared pivot below `choleskyPivotFloor`): such a
/// design is refused with the reason rather than solved less accurately than on one machine.
extension LeastSquaresSolver {
    /// Solves the normal equations `crossProduct` · b = `crossResponse`.
    public func solve(crossProduct: Matrix, crossResponse: [Double]) throws(LinearAlgebraError) -> LeastSquaresSolution {
        let columnCount = crossProduct.columns
        guard crossProduct.rows == columnCount, crossResponse.count == columnCount else {
            throw .shapeMismatch("cross-product is \(crossProduct.rows) × \(columnCount), cross-response has \(crossResponse.count) values")
        }
        let norms = (0..<columnCount).map { crossProduct[$0, $0].squareRoot() }
        let zeroColumns = (0..<columnCount).filter { !(norms[$0] > 0) || !norms[$0].isFinite }
        var candidates = (0..<columnCount).filter { !zeroColumns.contains($0) }
        var dropped = zeroColumns
        if case let .fixestPivot(tolerance) = collinearity, tolerance > 0 {
            let excluded = Self.excludedByPivot(crossProduct: crossProduct, columns: candidates, tolerance: tolerance)
            candidates.removeAll { excluded.contains($0) }
            dropped = (dropped + excluded).sorted()
        }
        guard !candidates.isEmpty else { return .empty(dropping: dropped) }
        guard let fast = try choleskySolution(crossProduct: crossProduct, crossResponse: crossResponse, norms: norms, columns: candidates) else {
            throw .shapeMismatch("the regressors are nearly collinear (smallest scaled squared pivot below \(choleskyPivotFloor)): the single-machine fit switches to QR on the rows, which a combined cross-product cannot do; fit this model on one machine")
        }
        return LeastSquaresSolution(
            coefficients: fast.coefficients, keptColumns: candidates, droppedColumns: dropped,
            inverseCrossProduct: fast.inverse, method: .cholesky, smallestScaledPivot: fast.smallestPivot,
            scaledFactor: ScaledTriangularFactor(triangle: fast.factor, norms: candidates.map { norms[$0] }))
    }
}
