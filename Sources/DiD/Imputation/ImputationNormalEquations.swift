// The normal equations Z₀′Z₀ β = b of the fixed-effect dummies Z₀ on the untreated observations,
// solved without forming Z₀. The imputation estimator needs them twice (Borusyak, Jaravel & Spiess
// 2024, "Revisiting Event-Study Designs: Robust and Efficient Estimation", REStud): with
// b = Z₀′y to impute Y(0) (Theorem 1, step 1), and with b = Z₁′w₁ for the implied weights on the
// untreated observations, v₀ = −Z₀(Z₀′Z₀)⁻Z₁′w₁, of the conservative variance (Theorem 3).
//
// Goals, in order:
// 1. Agreement with the peers (pyfixest did2s, Stata did_imputation): solutions exact to rounding,
//    not to an iteration tolerance. The largest factor (usually the unit) is eliminated exactly,
//    leaving its Schur complement S, one equation per level of the other factors (periods and the
//    extra effects). When S is small it is formed densely and solved through its
//    eigen-decomposition, with one step of iterative refinement; its null space also says exactly
//    which treated rows have an identified imputed value, for any number of fixed effects.
// 2. Speed on 10⁷ rows: forming S costs Σ over eliminated levels of (rows·k)², O(N) when units have
//    few periods; each solve then costs two passes over the rows, batched over all right-hand
//    sides. A large S (daily periods, extra effects with thousands of levels) is instead solved by
//    conjugate gradients on the same Schur complement, two passes per iteration, to 1e-12 relative;
//    not converging is an error.

import LinearAlgebra
import PanelData

/// The fixed-effect normal equations on the untreated rows, ready to solve for many right-hand sides.
struct ImputationNormalEquations {
    /// Each untreated row's level of the eliminated factor, in `0..<primaryCount`.
    let primary: [Int32]
    /// Each untreated row's levels of the other factors (row-major, `width` per row), offset into
    /// one numbering `0..<secondaryCount`.
    let secondary: [Int32]
    /// The number of other factors, k.
    let width: Int
    let primaryCount: Int
    let secondaryCount: Int
    /// Rows per level: the diagonals of the two blocks of Z₀′Z₀.
    let primarySizes: [Double]
    let secondarySizes: [Double]
    let method: Method

    /// How the reduced (Schur complement) system is solved.
    enum Method {
        /// S and its pseudo-inverse, with a basis of S's null space and the matching eliminated
        /// coefficients (together, a basis of the null space of Z₀′Z₀).
        case dense(schur: Matrix, pseudoInverse: Matrix, nullSecondary: [[Double]], nullPrimary: [[Double]])
        /// Conjugate gradients; `components` are the connected components of the levels (the
        /// eliminated ones first), which decide identification exactly for two fixed effects.
        case iterative(components: [Int32])
    }

    /// The most reduced equations solved densely, and the most work spent forming them.
    static let denseLevelLimit = 1200
    static let denseWorkLimit = 2_000_000_000.0

    /// Sets up the equations; `denseLevelLimit` may be lowered to force conjugate gradients.
    init(primary: [Int32], primaryCount: Int, secondary: [Int32], width: Int, secondaryCount: Int,
         denseLevelLimit: Int = ImputationNormalEquations.denseLevelLimit) throws(PanelError) {
        self.primary = primary
        self.secondary = secondary
        self.width = width
        self.primaryCount = primaryCount
        self.secondaryCount = secondaryCount
        var primarySizes = [Double](repeating: 0, count: primaryCount)
        var secondarySizes = [Double](repeating: 0, count: secondaryCount)
        for code in primary { primarySizes[Int(code)] += 1 }
        for code in secondary { secondarySizes[Int(code)] += 1 }
        self.primarySizes = primarySizes
        self.secondarySizes = secondarySizes
        let work = primarySizes.reduce(0.0) { $0 + ($1 * Double(width)) * ($1 * Double(width)) }
        if secondaryCount <= denseLevelLimit && work <= Self.denseWorkLimit {
            method = try Self.denseMethod(primary: primary, secondary: secondary, width: width, primarySizes: primarySizes,
                                          secondaryCount: secondaryCount)
        } else {
            method = .iterative(components: Self.components(primary: primary, secondary: secondary, width: width,
                                                            primaryCount: primaryCount, secondaryCount: secondaryCount))
        }
    }

    /// Solves Z₀′Z₀ β = b for `count` right-hand sides, given as per-level sums (level-major:
    /// entry `level * count + j`); returns β split as the eliminated and the other coefficients,
    /// in the same layout. Fitted values are unique; β is one solution.
    func solve(primarySums: consuming [Double], secondarySums: consuming [Double], count m: Int) throws(PanelError)
        -> (primary: [Double], secondary: [Double])
    {
        // Eliminating the first block: β_p = D_p⁻¹(b_p − Z_p′Z_s β_s), so S β_s = b_s − Z_s′Z_p D_p⁻¹ b_p.
        // The sums are consumed and reused in place: with 10⁶ units they are large.
        var scaled = primarySums
        for level in 0..<primaryCount {
            let size = primarySizes[level]
            for j in 0..<m { scaled[level * m + j] /= size }
        }
        // The right-hand side's scale before the subtraction: a reduced side that cancels to
        // rounding noise (an outcome without effects of the other factors) is judged against it.
        var scale = [Double](repeating: 0, count: m)
        for level in 0..<secondaryCount {
            for j in 0..<m { scale[j] = max(scale[j], abs(secondarySums[level * m + j])) }
        }
        var reduced = secondarySums
        let k = width
        primary.withUnsafeBufferPointer { p in
            secondary.withUnsafeBufferPointer { s in
                scaled.withUnsafeBufferPointer { q in
                    reduced.withUnsafeMutableBufferPointer { r in
                        for row in 0..<p.count {
                            let base = Int(p[row]) * m
                            for a in 0..<k {
                                let target = Int(s[row * k + a]) * m
                                for j in 0..<m { r[target + j] -= q[base + j] }
                            }
                        }
                    }
                }
            }
        }
        let other: [Double]
        switch method {
        case let .dense(schur, pseudoInverse, _, _):
            other = try Self.solveDense(schur: schur, pseudoInverse: pseudoInverse, reduced: reduced, scale: scale, count: m)
        case .iterative:
            other = try solveIterative(reduced: reduced, scale: scale, count: m)
        }
        // Back-substitution for the eliminated coefficients.
        let accumulated = primaryTotals(of: other, count: m)
        for level in 0..<primaryCount {
            let size = primarySizes[level]
            for j in 0..<m { scaled[level * m + j] -= accumulated[level * m + j] / size }
        }
        return (scaled, other)
    }

    /// Σ over each eliminated level's rows of the other coefficients' sum on the row: Z_p′Z_s x.
    func primaryTotals(of values: [Double], count m: Int) -> [Double] {
        var totals = [Double](repeating: 0, count: primaryCount * m)
        let k = width
        primary.withUnsafeBufferPointer { p in
            secondary.withUnsafeBufferPointer { s in
                values.withUnsafeBufferPointer { x in
                    totals.withUnsafeMutableBufferPointer { t in
                        for row in 0..<p.count {
                            let base = Int(p[row]) * m
                            for a in 0..<k {
                                let source = Int(s[row * k + a]) * m
                                for j in 0..<m { t[base + j] += x[source + j] }
                            }
                        }
                    }
                }
            }
        }
        return totals
    }

    /// Whether the fitted value of a row with these levels is identified by the untreated rows:
    /// its dummy vector must be orthogonal to the null space of Z₀′Z₀.
    func isIdentified(primary level: Int32, secondary levels: UnsafeBufferPointer<Int32>) -> Bool {
        switch method {
        case let .dense(_, _, nullSecondary, nullPrimary):
            var squares = 0.0
            for (other, eliminated) in zip(nullSecondary, nullPrimary) {
                var value = eliminated[Int(level)]
                for code in levels { value += other[Int(code)] }
                squares += value * value
            }
            // Null vectors have unit norm; a dummy vector outside the row space projects on them
            // far above rounding (about 1e-15 here).
            return squares <= 1e-12
        case let .iterative(components):
            let component = components[Int(level)]
            return levels.allSatisfy { components[primaryCount + Int($0)] == component }
        }
    }

    // MARK: - Dense Schur complement

    private static func denseMethod(primary: [Int32], secondary: [Int32], width k: Int, primarySizes: [Double],
                                    secondaryCount: Int) throws(PanelError) -> Method {
        let levels = secondaryCount
        var schur = Matrix(rows: levels, columns: levels)
        // Group the rows' other levels by eliminated level (a counting sort), so that each group's
        // outer product c c′ / n can be subtracted: S = Z_s′Z_s − Σ_e c_e c_e′ / n_e.
        var offsets = [Int](repeating: 0, count: primarySizes.count + 1)
        for level in 0..<primarySizes.count { offsets[level + 1] = offsets[level] + Int(primarySizes[level]) * k }
        var grouped = [Int32](repeating: 0, count: secondary.count)
        var next = offsets
        for row in 0..<primary.count {
            let level = Int(primary[row])
            for a in 0..<k { grouped[next[level] + a] = secondary[row * k + a] }
            next[level] += k
        }
        schur.values.withUnsafeMutableBufferPointer { s in
            grouped.withUnsafeBufferPointer { codes in
                for level in 0..<primarySizes.count {
                    let start = offsets[level], end = offsets[level + 1]
                    let share = 1 / primarySizes[level]
                    for x in start..<end {
                        let column = Int(codes[x]) * levels
                        for y in start..<end { s[column + Int(codes[y])] -= share }
                    }
                    // Z_s′Z_s: each row adds 1 for every pair of its own levels.
                    var rowStart = start
                    while rowStart < end {
                        for a in 0..<k {
                            let column = Int(codes[rowStart + a]) * levels
                            for b in 0..<k { s[column + Int(codes[rowStart + b])] += 1 }
                        }
                        rowStart += k
                    }
                }
            }
        }
        let eigen: (values: [Double], vectors: Matrix)
        do {
            eigen = try schur.symmetricEigen()
        } catch {
            throw PanelError("imputation: the fixed-effect equations could not be decomposed (\(error))")
        }
        // S is positive semi-definite; eigenvalues at rounding level relative to the largest are
        // its null space (one per redundant level: the constant shared by units and periods, and
        // any level not connected to the rest).
        let largest = eigen.values.last ?? 0
        let threshold = max(largest, 0) * 1e-10
        var scaledVectors = Matrix(rows: levels, columns: 0)
        var kept: [[Double]] = []
        var nullSecondary: [[Double]] = []
        for (index, value) in eigen.values.enumerated() {
            let vector = eigen.vectors.column(index)
            if value > threshold && value > 0 {
                let scale = 1 / value.squareRoot()
                kept.append(vector.map { $0 * scale })
            } else {
                nullSecondary.append(vector)
            }
        }
        if !kept.isEmpty { scaledVectors = Matrix(columns: kept, rows: levels) }
        let pseudoInverse: Matrix
        do {
            pseudoInverse = kept.isEmpty
                ? Matrix(rows: levels, columns: levels)
                : try scaledVectors.multiplied(by: scaledVectors, transposeOther: true)
        } catch {
            throw PanelError("imputation: the fixed-effect equations could not be inverted (\(error))")
        }
        // The eliminated coefficients that complete each null vector: a = −D_p⁻¹ Z_p′Z_s g.
        var nullPrimary: [[Double]] = []
        for vector in nullSecondary {
            var totals = [Double](repeating: 0, count: primarySizes.count)
            for row in 0..<primary.count {
                var sum = 0.0
                for a in 0..<k { sum += vector[Int(secondary[row * k + a])] }
                totals[Int(primary[row])] += sum
            }
            for level in 0..<totals.count { totals[level] = -totals[level] / primarySizes[level] }
            nullPrimary.append(totals)
        }
        return .dense(schur: schur, pseudoInverse: pseudoInverse, nullSecondary: nullSecondary, nullPrimary: nullPrimary)
    }

    /// Solves S x = r through the pseudo-inverse with one refinement step, and checks that the
    /// system was consistent (every weighted treated row identified), relative to the larger of
    /// r and the right-hand side's `scale` before elimination.
    private static func solveDense(schur: Matrix, pseudoInverse: Matrix, reduced: [Double], scale: [Double], count m: Int)
        throws(PanelError) -> [Double]
    {
        let levels = schur.rows
        guard levels > 0 else { return [] }
        var right = Matrix(rows: levels, columns: m)
        for level in 0..<levels {
            for j in 0..<m { right[level, j] = reduced[level * m + j] }
        }
        do {
            var solution = try pseudoInverse.multiplied(by: right)
            let correction = try pseudoInverse.multiplied(by: right - (try schur.multiplied(by: solution)))
            solution = solution + correction
            let residual = right - (try schur.multiplied(by: solution))
            for j in 0..<m {
                var residualNorm = 0.0, rightNorm = 0.0
                for level in 0..<levels {
                    residualNorm = max(residualNorm, abs(residual[level, j]))
                    rightNorm = max(rightNorm, abs(right[level, j]))
                }
                guard residualNorm <= 1e-9 * max(rightNorm, scale[j]) + 1e-300 else {
                    throw PanelError("imputation: the fixed effects needed by some treated rows are not identified from the untreated observations (relative residual \(residualNorm / rightNorm))")
                }
            }
            var result = [Double](repeating: 0, count: levels * m)
            for level in 0..<levels {
                for j in 0..<m { result[level * m + j] = solution[level, j] }
            }
            return result
        } catch let error as PanelError {
            throw error
        } catch {
            throw PanelError("imputation: solving the fixed-effect equations failed (\(error))")
        }
    }

    // MARK: - Connected components

    /// Union–find over all levels, joined by every untreated row.
    private static func components(primary: [Int32], secondary: [Int32], width k: Int, primaryCount: Int,
                                   secondaryCount: Int) -> [Int32] {
        var parent = (0..<Int32(primaryCount + secondaryCount)).map { $0 }
        func root(_ node: Int32) -> Int32 {
            var node = node
            while parent[Int(node)] != node {
                parent[Int(node)] = parent[Int(parent[Int(node)])]
                node = parent[Int(node)]
            }
            return node
        }
        for row in 0..<primary.count {
            for a in 0..<k {
                let first = root(primary[row])
                let other = root(Int32(primaryCount) + secondary[row * k + a])
                if other != first { parent[Int(max(first, other))] = min(first, other) }
            }
        }
        return parent.indices.map { root(Int32($0)) }
    }
}
