// Covariance estimators for least-squares fits.
//
// Goals, in order: exact agreement with fixest 0.13 / pyfixest (conventions in
// SmallSampleCorrection.swift); then one pass over the rows per estimator, with the per-cluster
// score sums and the meat formed by BLAS.

import LinearAlgebra

/// A clustering variable is a factor: one dense code per observation, `levelCount` clusters.
public typealias ClusterVariable = Factor

extension Factor {
    /// Creates a cluster variable from dense codes `0..<count`.
    public init(name: String, codes: [Int32], count: Int) {
        self.init(name: name, denseCodes: codes, levelCount: count)
    }

    /// The clusters formed by the intersections of this variable's and `other`'s levels.
    public func intersected(with other: Factor) -> Factor {
        var lookup = [Int64: Int32]()
        var next: Int32 = 0
        var codes = [Int32](repeating: 0, count: self.codes.count)
        for index in 0..<codes.count {
            let key = Int64(self.codes[index]) * Int64(other.levelCount) + Int64(other.codes[index])
            if let code = lookup[key] {
                codes[index] = code
            } else {
                lookup[key] = next
                codes[index] = next
                next += 1
            }
        }
        return Factor(name: "\(name)^\(other.name)", denseCodes: codes, levelCount: Int(next))
    }
}

/// What a least-squares fit hands to a covariance estimator.
public struct CovarianceInput: Sendable {
    /// (X̃ᵀWX̃)⁻¹ for the estimated coefficients.
    public let bread: Matrix
    /// √w · X̃: the demeaned, weighted design (N × k).
    public let weightedDesign: Matrix
    /// √w · û: the weighted residuals.
    public let weightedResiduals: [Double]
    /// The number of observations N.
    public let observationCount: Int
    /// K: slopes plus non-redundant fixed-effect coefficients.
    public let parameterCount: Int
    /// The column-scaled factor behind `bread`, when the fit kept it: sandwiches are then formed
    /// from whitened scores, accurate for nearly collinear columns.
    public let scaledFactor: ScaledTriangularFactor?

    /// Creates the input.
    public init(bread: Matrix, weightedDesign: Matrix, weightedResiduals: [Double], observationCount: Int, parameterCount: Int,
                scaledFactor: ScaledTriangularFactor? = nil) {
        self.bread = bread
        self.weightedDesign = weightedDesign
        self.weightedResiduals = weightedResiduals
        self.observationCount = observationCount
        self.parameterCount = parameterCount
        self.scaledFactor = scaledFactor
    }

    /// The sandwich B (Σ± SᵀS) B for score matrices S with signs ±1 (two-way clustering subtracts
    /// the intersection's term): through the scaled factor when there is one, else from B itself.
    func sandwich(_ terms: [(scores: Matrix, sign: Double)]) throws(LinearAlgebraError) -> Matrix {
        if let scaledFactor, scaledFactor.order == bread.rows {
            var whitenedMeat = Matrix(rows: bread.rows, columns: bread.rows)
            for term in terms { whitenedMeat = whitenedMeat + term.sign * (try scaledFactor.whitened(term.scores)).crossProduct() }
            return try scaledFactor.sandwich(whitenedMeat: whitenedMeat)
        }
        var meat = Matrix(rows: bread.rows, columns: bread.rows)
        for term in terms { meat = meat + term.sign * term.scores.crossProduct() }
        return try Matrix.sandwich(bread: bread, meat: meat)
    }
}

/// A covariance matrix with what tests and intervals need.
public struct CovarianceEstimate: Sendable {
    /// The estimator used.
    public let type: CovarianceType
    /// The k × k covariance of the coefficients.
    public internal(set) var matrix: Matrix
    /// Degrees of freedom of the t distribution for tests and intervals.
    public let degreesOfFreedom: Double
    /// The number of clusters of each cluster variable (empty unless clustered).
    public let clusterCounts: [Int]
    /// Things the user should know (for example an eigenvalue fix).
    public internal(set) var notes: [String]
    /// Why standard errors are undefined (no residual degrees of freedom), or nil when they are
    /// defined. When set, `matrix` holds NaN, so that every figure derived from it is NA.
    public internal(set) var undefinedReason: String? = nil

    /// The standard errors: square roots of the diagonal (NaN when undefined), by the one rule.
    public var standardErrors: [Double] { matrix.diagonal.map(EstimateInference.standardError(ofVariance:)) }

    /// Whether standard errors, tests and intervals can be computed from this estimate.
    public var isDefined: Bool { undefinedReason == nil }

    /// The estimate with its matrix replaced by NaN and a note saying why.
    public func undefined(because reason: String) -> CovarianceEstimate {
        var copy = self
        copy.matrix = Matrix(rows: matrix.rows, columns: matrix.columns,
                             values: [Double](repeating: .nan, count: matrix.rows * matrix.columns))
        copy.undefinedReason = reason
        copy.notes.append(reason)
        return copy
    }
}

/// Computes covariance matrices of least-squares coefficients.
public struct CovarianceEstimator: Sendable {
    /// The small-sample convention.
    public var correction: SmallSampleCorrection

    /// Creates an estimator with the given convention.
    public init(correction: SmallSampleCorrection = .fixestDefault) { self.correction = correction }

    /// The homoskedastic covariance s²(X̃ᵀX̃)⁻¹ with s² = SSR/(N − K).
    public func iid(_ input: CovarianceInput) -> CovarianceEstimate {
        let residualDegrees = input.observationCount - input.parameterCount
        let ssr = input.weightedResiduals.reduce(0) { $0 + $1 * $1 }
        let variance = residualDegrees > 0 ? ssr / Double(residualDegrees) : .nan
        return Self.checked(CovarianceEstimate(type: .iid, matrix: variance * input.bread,
                                               degreesOfFreedom: Double(residualDegrees), clusterCounts: [], notes: []), input: input)
    }

    /// The estimate, or its undefined form when nothing is left to estimate a variance from: with
    /// N − K ≤ 0 the fit is exact (every residual zero) whatever the estimator, and with fewer than
    /// two clusters CRV1 has G − 1 = 0 degrees of freedom. R's `lm` reports NA there; a standard
    /// error of 0 would print as p < 2.2e-16.
    static func checked(_ estimate: CovarianceEstimate, input: CovarianceInput) -> CovarianceEstimate {
        checked(estimate, observationCount: input.observationCount, parameterCount: input.parameterCount,
                residualSumOfSquares: input.weightedResiduals.reduce(0) { $0 + $1 * $1 }, bread: input.bread)
    }

    /// `checked(_:input:)` from the figures it reads, for fits whose rows are not on this machine
    /// (`CovarianceEstimator+Combined`).
    static func checked(_ estimate: CovarianceEstimate, observationCount: Int, parameterCount: Int, residualSumOfSquares: Double,
                        bread: Matrix) -> CovarianceEstimate {
        let residualDegrees = observationCount - parameterCount
        if residualDegrees <= 0 {
            return estimate.undefined(because: "no residual degrees of freedom (N − K = \(observationCount) − \(parameterCount) = \(residualDegrees)): the fit is exact, so standard errors, t statistics, p-values and confidence intervals are undefined (NA)")
        }
        if let smallest = estimate.clusterCounts.min(), smallest < 2 {
            return estimate.undefined(because: "\(smallest) cluster leaves G − 1 = \(smallest - 1) degrees of freedom: clustered standard errors, t statistics, p-values and confidence intervals are undefined (NA)")
        }
        return degeneracyChecked(estimate, observationCount: observationCount, residualSumOfSquares: residualSumOfSquares, bread: bread)
    }

    /// The robust estimate with NA for coefficients whose variance is zero although the residuals
    /// are not: their scores cancel exactly within the clusters (two clusters with period fixed
    /// effects make the two clusters' score sums equal and opposite, hence zero) or at the rows
    /// that identify them. A standard error of 1e-16 there is rounding, and would print as
    /// p < 2.2e-16. "Zero" is a variance below 1e-20 of the homoskedastic scale SSR/N · (X̃ᵀX̃)⁻¹ⱼⱼ,
    /// far below any real ratio of robust to classical variance.
    static func degeneracyChecked(_ estimate: CovarianceEstimate, observationCount: Int, residualSumOfSquares ssr: Double,
                                  bread: Matrix) -> CovarianceEstimate {
        guard estimate.type != .iid, observationCount > 0 else { return estimate }
        guard ssr > 0 else { return estimate }
        let order = estimate.matrix.rows
        let degenerate = (0..<order).filter { index in
            let scale = ssr / Double(observationCount) * bread[index, index]
            return scale > 0 && !(estimate.matrix[index, index] > 1e-20 * scale)
        }
        guard !degenerate.isEmpty else { return estimate }
        let reason = "a robust variance is zero although the residuals are not: the scores cancel within the clusters (as with two clusters and period fixed effects) or at the few rows that identify the coefficient, so the standard errors, t statistics, p-values and confidence intervals concerned are undefined (NA)"
        guard degenerate.count < order else { return estimate.undefined(because: reason) }
        var copy = estimate
        for index in degenerate {
            for other in 0..<order {
                copy.matrix[index, other] = .nan
                copy.matrix[other, index] = .nan
            }
        }
        copy.notes.append(reason)
        return copy
    }

    /// The heteroskedasticity-robust covariance (HC1).
    public func hetero(_ input: CovarianceInput) throws(LinearAlgebraError) -> CovarianceEstimate {
        let rows = input.weightedDesign.rows
        var scores = input.weightedDesign
        for column in 0..<scores.columns {
            for row in 0..<rows { scores.values[row + column * rows] *= input.weightedResiduals[row] }
        }
        let degrees = Double(input.observationCount - input.parameterCount)
        guard scores.columns > 0 else {
            return Self.checked(CovarianceEstimate(type: .hetero, matrix: input.bread, degreesOfFreedom: degrees, clusterCounts: [], notes: []), input: input)
        }
        let factor = correction.heteroFactor(observations: input.observationCount, parameters: input.parameterCount)
        let matrix = factor * (try input.sandwich([(scores, 1)]))
        return Self.checked(CovarianceEstimate(type: .hetero, matrix: matrix, degreesOfFreedom: degrees, clusterCounts: [], notes: []), input: input)
    }

    /// The cluster-robust covariance (CRV1), one-way or two-way.
    ///
    /// `parameterCount` is K for the (N − 1)/(N − K) factor, with nested fixed effects already
    /// left out by the caller.
    public func clustered(_ input: CovarianceInput, clusters: [ClusterVariable], parameterCount: Int)
        throws(LinearAlgebraError) -> CovarianceEstimate
    {
        let parameterFactor = correction.parameterFactor(observations: input.observationCount, parameters: parameterCount)
        let smallest = clusters.map(\.levelCount).min() ?? 0
        let degrees = FewClusters.degreesOfFreedom(clusters: smallest)
        let type = CovarianceType.cluster(clusters.map(\.name))
        guard input.bread.columns > 0 else {
            return Self.checked(CovarianceEstimate(type: type, matrix: input.bread, degreesOfFreedom: degrees,
                                                   clusterCounts: clusters.map(\.levelCount), notes: []), input: input)
        }
        if clusters.count == 1 {
            let factor = parameterFactor * correction.clusterFactor(clusters: smallest)
            let matrix = factor * (try input.sandwich([(clusterScoreSums(input, clusters[0]), 1)]))
            return Self.checked(CovarianceEstimate(type: type, matrix: matrix, degreesOfFreedom: degrees,
                                                   clusterCounts: [smallest], notes: []), input: input)
        }
        // Two-way (Cameron, Gelbach & Miller 2011): V_A + V_B − V_{A∩B}, one G/(G − 1) factor from
        // the smaller dimension for all three terms (fixest's cluster.df = "min").
        let first = clusters[0]
        let second = clusters[1]
        let terms = [(clusterScoreSums(input, first), 1.0), (clusterScoreSums(input, second), 1.0),
                     (clusterScoreSums(input, first.intersected(with: second)), -1.0)]
        let factor = parameterFactor * correction.clusterFactor(clusters: smallest)
        var matrix = factor * (try input.sandwich(terms))
        var notes = [String]()
        if let repaired = try Self.repairedIfNegativeDiagonal(matrix) {
            matrix = repaired
            notes.append("the two-way clustered covariance had a negative variance on its diagonal, so it was repaired as fixest does (Cameron, Gelbach & Miller 2011): eigenvalues below \(Self.repairFloor) raised to \(Self.repairFloor); its standard errors are approximate")
        }
        return Self.checked(CovarianceEstimate(type: type, matrix: matrix, degreesOfFreedom: degrees,
                                               clusterCounts: clusters.map(\.levelCount), notes: notes), input: input)
    }

    /// The eigenvalue floor of fixest's repair (`mat_posdef_fix`, tol = 1e-10, on the final matrix).
    static let repairFloor = 1e-10

    /// The matrix with its eigenvalues raised to `repairFloor`, when one of its variances is negative;
    /// nil when every variance is non-negative.
    ///
    /// fixest repairs a multiway estimate only then, and otherwise reports the matrix as it is: an
    /// indefinite matrix with non-negative variances still gives valid-looking standard errors, and
    /// clipping it whenever an eigenvalue is negative would also "repair" eigenvalues that are
    /// only rounding error in a nearly singular matrix, changing standard errors that were right.
    static func repairedIfNegativeDiagonal(_ matrix: Matrix) throws(LinearAlgebraError) -> Matrix? {
        guard matrix.diagonal.contains(where: { $0 < 0 }) else { return nil }
        let (eigenvalues, vectors) = try matrix.symmetricEigen()
        var floored = Matrix(rows: matrix.rows, columns: matrix.columns)
        for (index, value) in eigenvalues.enumerated() { floored[index, index] = max(value, repairFloor) }
        return try vectors.multiplied(by: floored).multiplied(by: vectors, transposeOther: true)
    }

    /// The per-cluster score sums X̃_gᵀû_g (G × k) in one pass; the meat is their cross-product.
    func clusterScoreSums(_ input: CovarianceInput, _ cluster: ClusterVariable) -> Matrix {
        let rows = input.weightedDesign.rows
        let columns = input.weightedDesign.columns
        var sums = Matrix(rows: cluster.levelCount, columns: columns)
        input.weightedDesign.values.withUnsafeBufferPointer { design in
            input.weightedResiduals.withUnsafeBufferPointer { residuals in
                cluster.codes.withUnsafeBufferPointer { codes in
                    sums.values.withUnsafeMutableBufferPointer { output in
                        for column in 0..<columns {
                            let designOffset = column * rows
                            let outputOffset = column * cluster.levelCount
                            for row in 0..<rows {
                                output[outputOffset + Int(codes[row])] += design[designOffset + row] * residuals[row]
                            }
                        }
                    }
                }
            }
        }
        return sums
    }
}
