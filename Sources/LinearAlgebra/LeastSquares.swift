// Least squares with collinearity detection.
//
// Goals, in order:
// 1. Agree with the peers on which columns are collinear. Under `.fixestPivot` (what `feols`
//    uses) the decision is fixest's: a Cholesky factorisation of the unscaled cross-product XᵀX,
//    in formula order, leaves out a column whose squared pivot (its squared residual norm on the
//    earlier kept columns) is below `collin.tol` (fixest's `cpp_cholesky`; Bergé 2018). The
//    decision is taken on that rule alone; the estimates come from the solvers below.
// 2. Accuracy on ill-conditioned but full-rank designs (NIST StRD Filip, Longley, Wampler), and on
//    nearly collinear columns that the rule keeps: such a design is solved, not truncated. The
//    normal equations square the condition number, so when the column-scaled cross-product's
//    Cholesky factor shows a small pivot we switch to Householder QR on the column-scaled design,
//    whose error grows only with the condition number itself (Golub & Van Loan, Matrix
//    Computations, 4th ed., §5.3.8), and keep its triangular factor so that covariance sandwiches
//    can be formed without the unscaled inverse.
// 3. Speed: the common, well-conditioned case costs one `dsyrk` over the rows and a k x k Cholesky.

/// How a least-squares solver decides that a column is collinear with earlier ones.
public enum CollinearityRule: Sendable, Equatable {
    /// fixest's and pyfixest's rule: the squared pivot of the unscaled cross-product's Cholesky
    /// factor below the tolerance (`collin.tol`: fixest 1e-10, pyfixest 1e-9).
    case fixestPivot(Double)
    /// A column whose residual norm on the earlier columns is below this fraction of its own norm
    /// (a scale-free rule, for designs built inside Quipu).
    case scaledResidual(Double)
}

/// How a least-squares problem was solved.
public enum LeastSquaresMethod: String, Sendable, Equatable {
    /// Cholesky factorisation of the column-scaled cross-product.
    case cholesky
    /// Householder QR of the column-scaled design.
    case qr
}

/// The solution of a least-squares problem `min ‖y − Xb‖`, with what inference needs.
public struct LeastSquaresSolution: Sendable {
    /// The coefficients of the kept columns, in their original order.
    public let coefficients: [Double]
    /// Indices (into the design's columns) of the columns kept.
    public let keptColumns: [Int]
    /// Indices of the columns dropped as collinear with earlier ones.
    public let droppedColumns: [Int]
    /// `(XₖᵀXₖ)⁻¹` for the kept columns: the bread of every covariance estimator.
    public let inverseCrossProduct: Matrix
    /// The factorisation used.
    public let method: LeastSquaresMethod
    /// The smallest pivot of the scaled cross-product's Cholesky factor (squared), a conditioning hint.
    public let smallestScaledPivot: Double
    /// The factorisation `XₖD⁻¹ = QR` (or `D⁻¹XₖᵀXₖD⁻¹ = RᵀR`) of the kept columns scaled to unit
    /// norm: `(XₖᵀXₖ)⁻¹ = D⁻¹R⁻¹R⁻ᵀD⁻¹`. Sandwich estimators use it to transform scores before
    /// squaring them, which keeps nearly collinear columns' variances accurate.
    public let scaledFactor: ScaledTriangularFactor
}

extension LeastSquaresSolution {
    /// The solution when every column is dropped.
    static func empty(dropping dropped: [Int]) -> LeastSquaresSolution {
        LeastSquaresSolution(coefficients: [], keptColumns: [], droppedColumns: dropped,
                             inverseCrossProduct: Matrix(rows: 0, columns: 0), method: .cholesky, smallestScaledPivot: 1,
                             scaledFactor: ScaledTriangularFactor(triangle: Matrix(rows: 0, columns: 0), norms: []))
    }
}


/// Solves least-squares problems on a design matrix, detecting collinear columns.
public struct LeastSquaresSolver: Sendable {
    /// How a column is judged collinear with earlier ones.
    public var collinearity: CollinearityRule
    /// Below this smallest squared pivot of the scaled cross-product, the solver switches to QR.
    /// The normal equations lose about log10(1/pivot) digits more than QR; 1e-3 keeps at least
    /// ten correct digits on NIST's Wampler designs, and only strongly collinear designs (a
    /// regressor with R² > 0.999 on the others) pay for the QR.
    public var choleskyPivotFloor: Double

    /// A scaled QR diagonal below this is numerical rank deficiency whatever the rule says: the
    /// column is indistinguishable from a combination of the earlier ones in double precision.
    static let numericalRankFloor = 1e-13

    /// Creates a solver. The default keeps NIST's Filip (smallest scaled residual about 1e-9) while
    /// dropping exact dummy traps (about 1e-16).
    public init(collinearity: CollinearityRule = .scaledResidual(1e-11), choleskyPivotFloor: Double = 1e-3) {
        self.collinearity = collinearity
        self.choleskyPivotFloor = choleskyPivotFloor
    }

    /// Creates a solver with the scale-free rule at `collinearityTolerance`.
    public init(collinearityTolerance: Double, choleskyPivotFloor: Double = 1e-3) {
        self.init(collinearity: .scaledResidual(collinearityTolerance), choleskyPivotFloor: choleskyPivotFloor)
    }

    /// Solves `min ‖y − Xb‖` for the design `design` (rows × k) and response `response`.
    public func solve(design: Matrix, response: [Double]) throws(LinearAlgebraError) -> LeastSquaresSolution {
        guard response.count == design.rows else {
            throw .shapeMismatch("design has \(design.rows) rows, response \(response.count)")
        }
        let columnCount = design.columns
        let crossProduct = design.crossProduct()
        let crossResponse = try design.transposeTimes(response)
        let norms = (0..<columnCount).map { crossProduct[$0, $0].squareRoot() }
        let zeroColumns = (0..<columnCount).filter { !(norms[$0] > 0) || !norms[$0].isFinite }
        var candidates = (0..<columnCount).filter { !zeroColumns.contains($0) }
        var dropped = zeroColumns
        let qrTolerance: Double
        switch collinearity {
        case let .fixestPivot(tolerance) where tolerance > 0:
            let excluded = Self.excludedByPivot(crossProduct: crossProduct, columns: candidates, tolerance: tolerance)
            candidates.removeAll { excluded.contains($0) }
            dropped = (dropped + excluded).sorted()
            qrTolerance = Self.numericalRankFloor
        case .fixestPivot:
            // A tolerance of 0 turns the rule off: the squared pivots of an ill-conditioned XᵀX go
            // negative by rounding, so only the scaled QR can tell what is exactly collinear.
            qrTolerance = Self.numericalRankFloor
        case let .scaledResidual(tolerance):
            qrTolerance = tolerance
        }
        guard !candidates.isEmpty else { return .empty(dropping: dropped) }

        if let fast = try choleskySolution(crossProduct: crossProduct, crossResponse: crossResponse,
                                           norms: norms, columns: candidates) {
            return LeastSquaresSolution(
                coefficients: fast.coefficients, keptColumns: candidates, droppedColumns: dropped,
                inverseCrossProduct: fast.inverse, method: .cholesky, smallestScaledPivot: fast.smallestPivot,
                scaledFactor: ScaledTriangularFactor(triangle: fast.factor, norms: candidates.map { norms[$0] }))
        }

        // QR path: drop, one at a time, the first column whose scaled residual norm is negligible.
        // An unpivoted QR leaves the leading columns' factor untouched by later ones, so the first
        // small diagonal element identifies exactly the column fixest would drop.
        while true {
            let factor = try scaledQR(design: design, response: response, norms: norms, columns: candidates)
            let order = candidates.count
            if let position = (0..<order).first(where: { abs(factor[$0, $0]) < qrTolerance }) {
                dropped.append(candidates.remove(at: position))
                guard !candidates.isEmpty else { return .empty(dropping: dropped.sorted()) }
                continue
            }
            let triangle = factor.selecting(rows: Array(0..<order), columns: Array(0..<order))
            let projected = (0..<order).map { factor[$0, order] }
            var scaledCoefficients = try triangle.solveUpperTriangular(projected)
            // Iterative refinement by the corrected semi-normal equations, until the step is negligible
            // (Björck 1987): RᵀR δ = (XD⁻¹)ᵀ r. It recovers the digits a large residual costs an
            // ill-conditioned QR solution (NIST's Wampler4 and Wampler5).
            for _ in 0..<6 {
                let correction = try refinement(design: design, response: response, norms: norms, columns: candidates,
                                                triangle: triangle, scaledCoefficients: scaledCoefficients)
                var largestRelative = 0.0
                for index in 0..<order {
                    scaledCoefficients[index] += correction[index]
                    largestRelative = max(largestRelative, abs(correction[index]) / max(abs(scaledCoefficients[index]), .leastNormalMagnitude))
                }
                if largestRelative < 1e-15 { break }
            }
            let scaledInverse = try triangle.inverseFromUpperFactor()
            let (coefficients, inverse) = unscale(scaledCoefficients, scaledInverse, norms: norms, columns: candidates)
            let smallest = (0..<order).map { factor[$0, $0] * factor[$0, $0] }.min() ?? 1
            return LeastSquaresSolution(
                coefficients: coefficients, keptColumns: candidates, droppedColumns: dropped.sorted(),
                inverseCrossProduct: inverse, method: .qr, smallestScaledPivot: smallest,
                scaledFactor: ScaledTriangularFactor(triangle: triangle, norms: candidates.map { norms[$0] }))
        }
    }

    /// The Cholesky solution, or `nil` when the scaled cross-product is too ill-conditioned for it.
    func choleskySolution(crossProduct: Matrix, crossResponse: [Double], norms: [Double], columns: [Int])
        throws(LinearAlgebraError) -> (coefficients: [Double], inverse: Matrix, smallestPivot: Double, factor: Matrix)?
    {
        let order = columns.count
        var scaled = Matrix(rows: order, columns: order)
        for (j, column) in columns.enumerated() {
            for (i, row) in columns.enumerated() {
                scaled[i, j] = crossProduct[row, column] / (norms[row] * norms[column])
            }
        }
        let factor: Matrix
        do {
            factor = try scaled.choleskyUpper()
        } catch .notPositiveDefinite {
            return nil
        }
        let smallest = factor.diagonal.map { $0 * $0 }.min() ?? 1
        guard smallest >= choleskyPivotFloor else { return nil }
        let scaledResponse = columns.map { crossResponse[$0] / norms[$0] }
        // Solve RᵀR b = c: forward substitution with Rᵀ, then back substitution with R.
        let intermediate = try factor.transposed.solveLowerTriangular(scaledResponse)
        let scaledCoefficients = try factor.solveUpperTriangular(intermediate)
        let scaledInverse = try factor.inverseFromUpperFactor()
        let (coefficients, inverse) = unscale(scaledCoefficients, scaledInverse, norms: norms, columns: columns)
        return (coefficients, inverse, smallest, factor)
    }

    /// The columns fixest leaves out: a Cholesky factorisation of the unscaled cross-product in
    /// column order, skipping a column (and leaving it out of later pivots) when its squared pivot
    /// is below `tolerance`.
    static func excludedByPivot(crossProduct: Matrix, columns: [Int], tolerance: Double) -> [Int] {
        let order = columns.count
        var lower = Matrix(rows: order, columns: order)
        var kept = [Int]()
        var excluded = [Int]()
        for (j, column) in columns.enumerated() {
            var pivot = crossProduct[column, column]
            for k in kept { pivot -= lower[j, k] * lower[j, k] }
            // NaN fails the comparison and is excluded with the small pivots.
            guard pivot >= tolerance else {
                excluded.append(column)
                continue
            }
            let root = pivot.squareRoot()
            lower[j, j] = root
            for i in (j + 1)..<max(order, j + 1) {
                var value = crossProduct[columns[i], column]
                for k in kept { value -= lower[i, k] * lower[j, k] }
                lower[i, j] = value / root
            }
            kept.append(j)
        }
        return excluded
    }

    /// The correction δ solving RᵀR δ = (XD⁻¹)ᵀ(y − XD⁻¹b) for scaled coefficients b.
    ///
    /// The residual and the gradient are both sums that cancel heavily near the solution, so they
    /// are accumulated in double-double arithmetic (error-free products by FMA and TwoSum; Ogita,
    /// Rump & Oishi 2005, "Accurate sum and dot product"); otherwise the refinement would only
    /// reproduce the rounding it is meant to remove.
    private func refinement(design: Matrix, response: [Double], norms: [Double], columns: [Int],
                            triangle: Matrix, scaledCoefficients: [Double]) throws(LinearAlgebraError) -> [Double]
    {
        let rows = design.rows
        let coefficients = zip(scaledCoefficients, columns).map { $0 / norms[$1] }
        // The residual is kept as an unevaluated sum of two doubles: rounding it to one double
        // would perturb the gradient as much as perturbing y in its last digit.
        var residualHigh = [Double](repeating: 0, count: rows)
        var residualLow = [Double](repeating: 0, count: rows)
        for row in 0..<rows {
            var sum = CompensatedSum(response[row])
            for (position, column) in columns.enumerated() {
                sum.subtractProduct(design[row, column], coefficients[position])
            }
            residualHigh[row] = sum.value
            residualLow[row] = sum.remainder(after: residualHigh[row])
        }
        let scaledGradient = columns.map { column in
            var sum = CompensatedSum(0)
            for row in 0..<rows {
                sum.addProduct(design[row, column], residualHigh[row])
                sum.addProduct(design[row, column], residualLow[row])
            }
            return sum.value / norms[column]
        }
        let intermediate = try triangle.transposed.solveLowerTriangular(scaledGradient)
        return try triangle.solveUpperTriangular(intermediate)
    }

    /// The R factor of `[X D⁻¹, y]` restricted to the given columns; its last column holds `Qᵀy`.
    private func scaledQR(design: Matrix, response: [Double], norms: [Double], columns: [Int])
        throws(LinearAlgebraError) -> Matrix
    {
        var storage = [Double]()
        storage.reserveCapacity(design.rows * (columns.count + 1))
        for column in columns {
            let scale = 1 / norms[column]
            let start = column * design.rows
            for row in 0..<design.rows { storage.append(design.values[start + row] * scale) }
        }
        storage.append(contentsOf: response)
        let augmented = Matrix(rows: design.rows, columns: columns.count + 1, values: storage)
        return try augmented.householderR()
    }

    private func unscale(_ scaledCoefficients: [Double], _ scaledInverse: Matrix, norms: [Double], columns: [Int])
        -> ([Double], Matrix)
    {
        let coefficients = zip(scaledCoefficients, columns).map { $0 / norms[$1] }
        var inverse = scaledInverse
        for j in 0..<columns.count {
            for i in 0..<columns.count {
                inverse[i, j] = scaledInverse[i, j] / (norms[columns[i]] * norms[columns[j]])
            }
        }
        return (coefficients, inverse)
    }
}

extension Matrix {
    /// Solves `Lx = b` for lower triangular `L` by forward substitution (`dtrsv`).
    public func solveLowerTriangular(_ rhs: [Double]) throws(LinearAlgebraError) -> [Double] {
        guard rows == columns, rhs.count == rows else { throw .shapeMismatch("triangular solve") }
        var solution = rhs
        for row in 0..<rows {
            var sum = solution[row]
            for column in 0..<row { sum -= self[row, column] * solution[column] }
            let pivot = self[row, row]
            guard pivot != 0 else { throw .singular(routine: "forward substitution", position: row + 1) }
            solution[row] = sum / pivot
        }
        return solution
    }
}

/// A double-double accumulator: the running sum plus the rounding error it has lost.
public struct CompensatedSum: Sendable {
    private var high: Double
    private var low = 0.0

    public init(_ start: Double) { high = start }

    /// The accumulated value rounded to double.
    public var value: Double { high + low }

    /// What is left of the exact sum once `rounded` is taken away.
    func remainder(after rounded: Double) -> Double { (high - rounded) + low }

    public mutating func add(_ value: Double) {
        // TwoSum (Knuth): the exact rounding error of high + value.
        let sum = high + value
        let virtual = sum - high
        low += (high - (sum - virtual)) + (value - virtual)
        high = sum
    }

    mutating func addProduct(_ a: Double, _ b: Double) {
        let product = a * b
        low += Double.fusedError(a, b, product)
        add(product)
    }

    mutating func subtractProduct(_ a: Double, _ b: Double) { addProduct(-a, b) }
}

extension Double {
    /// The exact error a·b − fl(a·b), by one fused multiply-add.
    static func fusedError(_ a: Double, _ b: Double, _ product: Double) -> Double {
        (-product).addingProduct(a, b)
    }
}
