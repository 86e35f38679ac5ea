import Inference
// The fixed-effect normal equations with the largest factor eliminated, for the Krylov stage of
// the absorber (see `ReducedFixedEffectSystem+ConjugateGradient.swift` for why and when).
//
// Demeaning a variable y on fixed effects D = [D₁ D₂ … D_F] solves min ‖y − Dα‖²_W. With D₁ the
// factor of most levels (workers, say) and Dᵣ the others (firms, years), α₁ given the rest is a
// weighted level mean, and what is left is the Schur complement system
//     S αᵣ = bᵣ,  S = Dᵣᵀ W (I − P₁) Dᵣ,  bᵣ = Dᵣᵀ W (I − P₁) y,
// where P₁ is the weighted projection on D₁'s level means. S is symmetric positive semi-definite
// (a weighted graph Laplacian for two factors), its size is the number of levels of the smaller
// factors only, and αᵣ'S αᵣ is exactly the weighted sum of squares that the rest removes from
// (I − P₁) y: the energy norm of an error in αᵣ *is* the norm of the error it leaves in the
// demeaned column. fixest reduces its 2-FE problem to the smaller factor the same way (Bergé 2018,
// §3.2, through cross-tabulated sums).
//
// S is never formed. Rows are grouped into *cells*: observations with the same level of every
// factor (for two factors, the worker × firm cross-tabulation; for more, one cell per row). Cells
// are stored sorted by the eliminated factor, so applying S is one sequential pass over the cells
// that reads and writes only the short vector of the other factors' coefficients.

/// The fixed-effect normal equations reduced to all factors but the one of most levels.
struct ReducedFixedEffectSystem: Sendable {
    /// The index (into the absorber's factors) of the eliminated factor.
    let eliminated: Int
    /// The indices of the factors kept, in stacked order.
    let kept: [Int]
    /// Where each kept factor's levels start in the stacked coefficient vector.
    let offsets: [Int]
    /// The length of the stacked coefficient vector.
    let size: Int
    /// The cells of eliminated level l are `cellStart[l]..<cellStart[l + 1]`.
    let cellStart: [Int]
    /// For each cell, the stacked index of its level of each kept factor (`kept.count` per cell).
    let cellCodes: [Int32]
    /// The cell of each observation.
    let rowCell: [Int32]
    /// The total weight of each cell.
    let cellWeights: [Double]
    /// The total weight of each eliminated level.
    let eliminatedTotals: [Double]
    /// 1 / diag(S), the Jacobi preconditioner (1 where the diagonal vanishes).
    let inverseDiagonal: [Double]
    /// The observation weights, or nil.
    let weights: [Double]?
    /// An exact factor of S, when its envelope is small enough (chain-like graphs); CG then uses
    /// it as preconditioner instead of the diagonal.
    private(set) var factor: EnvelopeCholesky?

    /// The number of cells.
    var cellCount: Int { cellWeights.count }

    /// Builds the system for `factors` (at least two, over the same observations); tests pass a
    /// small `envelopeBudget` to reach the decoupled-hub factor on small panels.
    init(factors: [Factor], weights: [Double]?, envelopeBudget: Int? = nil) {
        let rows = factors[0].observationCount
        let eliminated = factors.indices.max { factors[$0].levelCount < factors[$1].levelCount } ?? 0
        let kept = factors.indices.filter { $0 != eliminated }
        var offsets = [Int]()
        var size = 0
        for index in kept {
            offsets.append(size)
            size += factors[index].levelCount
        }
        let levelCount = factors[eliminated].levelCount
        // Counting sort of the observations by eliminated level.
        var start = [Int](repeating: 0, count: levelCount + 1)
        let primaryCodes = factors[eliminated].codes
        for code in primaryCodes { start[Int(code) + 1] += 1 }
        for level in 0..<levelCount { start[level + 1] += start[level] }
        var order = [Int32](repeating: 0, count: rows)
        var next = start
        for row in 0..<rows {
            let level = Int(primaryCodes[row])
            order[next[level]] = Int32(row)
            next[level] += 1
        }
        let width = kept.count
        var cellStart = [Int](repeating: 0, count: levelCount + 1)
        var cellCodes = [Int32]()
        cellCodes.reserveCapacity(rows * width)
        var rowCell = [Int32](repeating: 0, count: rows)
        var cellWeights = [Double]()
        cellWeights.reserveCapacity(rows)
        if width == 1 {
            // Two factors: one cell per (eliminated, kept) pair; `lastCell[j]` is the latest cell
            // of kept level j, which belongs to the current eliminated level when it is at least
            // that level's first cell.
            let keptCodes = factors[kept[0]].codes
            var lastCell = [Int](repeating: -1, count: size)
            for level in 0..<levelCount {
                let first = cellWeights.count
                cellStart[level] = first
                for position in start[level]..<start[level + 1] {
                    let row = Int(order[position])
                    let code = Int(keptCodes[row])
                    let weight = weights?[row] ?? 1
                    if lastCell[code] >= first {
                        cellWeights[lastCell[code]] += weight
                    } else {
                        lastCell[code] = cellWeights.count
                        cellCodes.append(Int32(code))
                        cellWeights.append(weight)
                    }
                    rowCell[row] = Int32(lastCell[code])
                }
            }
        } else {
            // More factors: cells are the observations themselves, in eliminated-level order.
            for level in 0..<levelCount {
                cellStart[level] = cellWeights.count
                for position in start[level]..<start[level + 1] {
                    let row = Int(order[position])
                    rowCell[row] = Int32(cellWeights.count)
                    for (slot, index) in kept.enumerated() {
                        cellCodes.append(Int32(offsets[slot]) + factors[index].codes[row])
                    }
                    cellWeights.append(weights?[row] ?? 1)
                }
            }
        }
        cellStart[levelCount] = cellWeights.count
        var totals = [Double](repeating: 0, count: levelCount)
        for level in 0..<levelCount {
            for cell in cellStart[level]..<cellStart[level + 1] { totals[level] += cellWeights[cell] }
        }
        self.eliminated = eliminated
        self.kept = kept
        self.offsets = offsets
        self.size = size
        self.cellStart = cellStart
        self.cellCodes = cellCodes
        self.rowCell = rowCell
        self.cellWeights = cellWeights
        self.eliminatedTotals = totals
        self.weights = weights
        self.inverseDiagonal = Self.inverseDiagonal(size: size, width: width, cellStart: cellStart, cellCodes: cellCodes,
                                                    cellWeights: cellWeights, totals: totals)
        self.factor = nil
        // The envelope may hold as many entries as there are cells (or 2^21): no more memory than
        // the system itself, and a factorization cost of the order of a few CG steps.
        self.factor = EnvelopeCholesky(system: self, entryBudget: envelopeBudget ?? max(cellWeights.count, 1 << 21))
    }

    /// z = M⁻¹ r for the preconditioner M: the envelope factor if there is one, else diag(S).
    func precondition(_ residual: UnsafeBufferPointer<Double>, into z: UnsafeMutableBufferPointer<Double>) {
        if let factor {
            factor.solve(residual, into: z, inverseDiagonal: inverseDiagonal)
        } else {
            for j in 0..<size { z[j] = residual[j] * inverseDiagonal[j] }
        }
    }

    /// 1 / diag(S): S_jj = W_j − Σ_l (weight of level j within eliminated level l)² / W_l.
    private static func inverseDiagonal(size: Int, width: Int, cellStart: [Int], cellCodes: [Int32], cellWeights: [Double],
                                        totals: [Double]) -> [Double] {
        var diagonal = [Double](repeating: 0, count: size)
        var levelWeight = [Double](repeating: 0, count: size)
        var within = [Double](repeating: 0, count: size)
        for level in 0..<(cellStart.count - 1) where totals[level] > 0 {
            let cells = cellStart[level]..<cellStart[level + 1]
            for cell in cells {
                for slot in 0..<width { within[Int(cellCodes[cell * width + slot])] += cellWeights[cell] }
            }
            for cell in cells {
                for slot in 0..<width {
                    let code = Int(cellCodes[cell * width + slot])
                    guard within[code] != 0 else { continue }
                    diagonal[code] -= within[code] * within[code] / totals[level]
                    levelWeight[code] += within[code]
                    within[code] = 0
                }
            }
        }
        return (0..<size).map { code in
            let value = levelWeight[code] + diagonal[code]
            // A level whose weight the eliminated factor explains entirely is in the null space.
            return value > 1e-12 * levelWeight[code] ? 1 / value : 1
        }
    }

    /// `output = S v`; returns vᵀ S v (the weighted sum of squares of (I − P₁) Dᵣ v).
    func apply(_ v: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>) -> Double {
        output.update(repeating: 0)
        var quadratic = 0.0
        let width = kept.count
        cellStart.withUnsafeBufferPointer { start in
            cellCodes.withUnsafeBufferPointer { codes in
                cellWeights.withUnsafeBufferPointer { cellWeight in
                    eliminatedTotals.withUnsafeBufferPointer { totals in
                        for level in 0..<totals.count where totals[level] > 0 {
                            let lower = start[level], upper = start[level + 1]
                            var weighted = 0.0
                            if width == 1 {
                                for cell in lower..<upper { weighted += cellWeight[cell] * v[Int(codes[cell])] }
                                let mean = weighted / totals[level]
                                for cell in lower..<upper {
                                    let deviation = v[Int(codes[cell])] - mean
                                    let product = cellWeight[cell] * deviation
                                    output[Int(codes[cell])] += product
                                    quadratic += product * deviation
                                }
                            } else {
                                for cell in lower..<upper {
                                    var sum = 0.0
                                    for slot in 0..<width { sum += v[Int(codes[cell &* width &+ slot])] }
                                    weighted += cellWeight[cell] * sum
                                }
                                let mean = weighted / totals[level]
                                for cell in lower..<upper {
                                    var sum = 0.0
                                    for slot in 0..<width { sum += v[Int(codes[cell &* width &+ slot])] }
                                    let deviation = sum - mean
                                    let product = cellWeight[cell] * deviation
                                    for slot in 0..<width { output[Int(codes[cell &* width &+ slot])] += product }
                                    quadratic += product * deviation
                                }
                            }
                        }
                    }
                }
            }
        }
        return quadratic
    }

    /// The weighted sum of the column over each cell.
    func cellSums(of column: UnsafeMutableBufferPointer<Double>) -> [Double] {
        var sums = [Double](repeating: 0, count: cellCount)
        sums.withUnsafeMutableBufferPointer { sums in
            rowCell.withUnsafeBufferPointer { cell in
                if let weights {
                    weights.withUnsafeBufferPointer { w in
                        for row in 0..<column.count { sums[Int(cell[row])] += w[row] * column[row] }
                    }
                } else {
                    for row in 0..<column.count { sums[Int(cell[row])] += column[row] }
                }
            }
        }
        return sums
    }

    /// The right-hand side bᵣ = Dᵣᵀ W (I − P₁) y from the column's cell sums.
    func rightHandSide(cellSums sums: [Double]) -> [Double] {
        var b = [Double](repeating: 0, count: size)
        let width = kept.count
        for level in 0..<eliminatedTotals.count where eliminatedTotals[level] > 0 {
            let cells = cellStart[level]..<cellStart[level + 1]
            var total = 0.0
            for cell in cells { total += sums[cell] }
            let mean = total / eliminatedTotals[level]
            for cell in cells {
                let part = sums[cell] - cellWeights[cell] * mean
                for slot in 0..<width { b[Int(cellCodes[cell * width + slot])] += part }
            }
        }
        return b
    }

    /// The weighted sum of squares of (I − P₁) y, from the column and its cell sums.
    func eliminatedResidualSquares(of column: UnsafeMutableBufferPointer<Double>, cellSums sums: [Double]) -> Double {
        var means = [Double](repeating: 0, count: eliminatedTotals.count)
        for level in 0..<means.count where eliminatedTotals[level] > 0 {
            var total = 0.0
            for cell in cellStart[level]..<cellStart[level + 1] { total += sums[cell] }
            means[level] = total / eliminatedTotals[level]
        }
        // Each cell's mean, so that the pass over rows needs only the cell of each row.
        var cellMean = [Double](repeating: 0, count: cellCount)
        for level in 0..<means.count {
            for cell in cellStart[level]..<cellStart[level + 1] { cellMean[cell] = means[level] }
        }
        var squares = 0.0
        cellMean.withUnsafeBufferPointer { cellMean in
            rowCell.withUnsafeBufferPointer { cell in
                if let weights {
                    for row in 0..<column.count {
                        let deviation = column[row] - cellMean[Int(cell[row])]
                        squares += weights[row] * deviation * deviation
                    }
                } else {
                    for row in 0..<column.count {
                        let deviation = column[row] - cellMean[Int(cell[row])]
                        squares += deviation * deviation
                    }
                }
            }
        }
        return squares
    }

    /// Subtracts the fitted fixed effects from the column, given the kept factors' coefficients:
    /// the eliminated factor's follow as level means of what the others leave.
    func subtractFitted(_ coefficients: [Double], cellSums sums: [Double], from column: UnsafeMutableBufferPointer<Double>) {
        let width = kept.count
        var fitted = [Double](repeating: 0, count: cellCount)
        for level in 0..<eliminatedTotals.count {
            let cells = cellStart[level]..<cellStart[level + 1]
            var remaining = 0.0
            for cell in cells {
                var sum = 0.0
                for slot in 0..<width { sum += coefficients[Int(cellCodes[cell * width + slot])] }
                fitted[cell] = sum
                remaining += sums[cell] - cellWeights[cell] * sum
            }
            let levelCoefficient = eliminatedTotals[level] > 0 ? remaining / eliminatedTotals[level] : 0
            for cell in cells { fitted[cell] += levelCoefficient }
        }
        fitted.withUnsafeBufferPointer { fitted in
            rowCell.withUnsafeBufferPointer { cell in
                for row in 0..<column.count { column[row] -= fitted[Int(cell[row])] }
            }
        }
    }
}
