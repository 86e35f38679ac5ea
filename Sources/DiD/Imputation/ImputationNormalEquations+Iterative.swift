// Conjugate gradients on the Schur complement of the imputation's fixed-effect equations, for
// reduced systems too large to form densely (see ImputationNormalEquations.swift).
//
// Goals, in order: agreement (converged to 1e-12 of the right-hand side's norm, and an error,
// never a silent result, when that is not reached), then speed (two passes over the untreated
// rows per iteration, every right-hand side advanced in the same pass).

import PanelData

extension ImputationNormalEquations {
    /// The most conjugate-gradient iterations before giving up.
    static let iterationLimit = 5_000
    /// Convergence: the residual's norm relative to the right-hand side's.
    static let iterativeTolerance = 1e-12

    /// Solves S x = r for `count` right-hand sides by conjugate gradients preconditioned with the
    /// level sizes (the diagonal of Z_s′Z_s, which bounds S from above); `scale` is each right-hand
    /// side's size before elimination, the floor of the convergence target.
    func solveIterative(reduced: [Double], scale: [Double], count m: Int) throws(PanelError) -> [Double] {
        let levels = secondaryCount
        var solution = [Double](repeating: 0, count: levels * m)
        var residual = reduced
        var direction = [Double](repeating: 0, count: levels * m)
        var preconditioned = [Double](repeating: 0, count: levels * m)
        var targetNorm = [Double](repeating: 0, count: m)
        var active = [Bool](repeating: true, count: m)
        var residualDotPreconditioned = [Double](repeating: 0, count: m)
        for j in 0..<m {
            var norm = 0.0
            for level in 0..<levels { norm += reduced[level * m + j] * reduced[level * m + j] }
            targetNorm[j] = Self.iterativeTolerance * max(norm.squareRoot(), scale[j])
            active[j] = norm.squareRoot() > targetNorm[j]
        }
        applyPreconditioner(residual, into: &preconditioned, count: m)
        direction = preconditioned
        for j in 0..<m { residualDotPreconditioned[j] = dot(residual, preconditioned, j, m) }
        var iteration = 0
        while active.contains(true) {
            guard iteration < Self.iterationLimit else {
                let worst = (0..<m).filter { active[$0] }.map { j -> Double in
                    let norm = dot(residual, residual, j, m).squareRoot()
                    return norm * Self.iterativeTolerance / max(targetNorm[j], .leastNormalMagnitude)
                }.max() ?? .nan
                throw PanelError("imputation: the fixed effects on the untreated observations did not converge within \(Self.iterationLimit) conjugate-gradient iterations (relative residual \(worst)); some treated rows' fixed effects may not be identified from the untreated observations")
            }
            iteration += 1
            let product = applySchur(direction, count: m)
            for j in 0..<m where active[j] {
                let curvature = dot(direction, product, j, m)
                // Only a null-space direction is left (rounding in a consistent system): done.
                guard curvature > 0 else {
                    active[j] = false
                    continue
                }
                let step = residualDotPreconditioned[j] / curvature
                var norm = 0.0
                for level in 0..<levels {
                    let index = level * m + j
                    solution[index] += step * direction[index]
                    residual[index] -= step * product[index]
                    norm += residual[index] * residual[index]
                }
                if norm.squareRoot() <= targetNorm[j] { active[j] = false }
            }
            applyPreconditioner(residual, into: &preconditioned, count: m)
            for j in 0..<m where active[j] {
                let updated = dot(residual, preconditioned, j, m)
                let ratio = updated / residualDotPreconditioned[j]
                residualDotPreconditioned[j] = updated
                for level in 0..<levels {
                    let index = level * m + j
                    direction[index] = preconditioned[index] + ratio * direction[index]
                }
            }
        }
        // The true residual, as the dense path checks it: an inconsistent system (a weighted treated
        // row whose fixed effects are not identified, with three or more factors) stops here.
        let check = applySchur(solution, count: m)
        for j in 0..<m {
            var residualNorm = 0.0, rightNorm = 0.0
            for level in 0..<levels {
                residualNorm = max(residualNorm, abs(reduced[level * m + j] - check[level * m + j]))
                rightNorm = max(rightNorm, abs(reduced[level * m + j]))
            }
            guard residualNorm <= 1e-9 * max(rightNorm, scale[j]) + 1e-300 else {
                throw PanelError("imputation: the fixed effects needed by some treated rows are not identified from the untreated observations (relative residual \(residualNorm / max(rightNorm, scale[j])))")
            }
        }
        return solution
    }

    /// S x = Z_s′Z_s x − Z_s′Z_p D_p⁻¹ Z_p′Z_s x, in two passes over the rows.
    func applySchur(_ x: [Double], count m: Int) -> [Double] {
        var result = [Double](repeating: 0, count: secondaryCount * m)
        var unitTotals = [Double](repeating: 0, count: primaryCount * m)
        var rowSum = [Double](repeating: 0, count: m)
        let k = width
        primary.withUnsafeBufferPointer { p in
            secondary.withUnsafeBufferPointer { s in
                x.withUnsafeBufferPointer { x in
                    result.withUnsafeMutableBufferPointer { out in
                        unitTotals.withUnsafeMutableBufferPointer { totals in
                            for row in 0..<p.count {
                                for j in 0..<m { rowSum[j] = 0 }
                                for a in 0..<k {
                                    let source = Int(s[row * k + a]) * m
                                    for j in 0..<m { rowSum[j] += x[source + j] }
                                }
                                let base = Int(p[row]) * m
                                for j in 0..<m { totals[base + j] += rowSum[j] }
                                for a in 0..<k {
                                    let target = Int(s[row * k + a]) * m
                                    for j in 0..<m { out[target + j] += rowSum[j] }
                                }
                            }
                            for level in 0..<primaryCount {
                                let size = primarySizes[level]
                                for j in 0..<m { totals[level * m + j] /= size }
                            }
                            for row in 0..<p.count {
                                let base = Int(p[row]) * m
                                for a in 0..<k {
                                    let target = Int(s[row * k + a]) * m
                                    for j in 0..<m { out[target + j] -= totals[base + j] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    private func applyPreconditioner(_ residual: [Double], into output: inout [Double], count m: Int) {
        for level in 0..<secondaryCount {
            let size = secondarySizes[level]
            for j in 0..<m { output[level * m + j] = residual[level * m + j] / size }
        }
    }

    private func dot(_ a: [Double], _ b: [Double], _ j: Int, _ m: Int) -> Double {
        var total = 0.0
        for level in 0..<secondaryCount { total += a[level * m + j] * b[level * m + j] }
        return total
    }
}
