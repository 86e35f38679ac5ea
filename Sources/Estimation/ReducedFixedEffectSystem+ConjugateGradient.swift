// Preconditioned conjugate gradient on the reduced fixed-effect system, the absorber's second stage.
//
// Why: on poorly connected graphs (workers who move only among a few neighbouring firms, the
// "difficult" design of fixest's benchmark) alternating projections contract by a factor so close
// to one that 10,000 sweeps with Irons–Tuck acceleration did not reach the tolerance (issue 13),
// and a stopping rule on the change between sweeps stops far from the solution. Conjugate gradient
// needs about the square root of the number of sweeps (condition number) such a method needs (Hestenes & Stiefel 1952), and its error can be measured: CG minimises
// the S-norm of the error, which here is exactly the norm of the error left in the demeaned column
// (see `ReducedFixedEffectSystem.swift`). reghdfe (Correia 2016, "A feasible estimator for linear
// models with multi-way fixed effects") and FixedEffectModels.jl use CG/LSMR for the same reason.
//
// Stopping rule: Σ_{j > k} α_j rᵀ_j z_j = ‖x* − x_k‖²_S in exact arithmetic (Hestenes & Stiefel;
// Strakoš & Tichý 2002, "On error estimation in the conjugate gradient method"). The terms still to
// come are estimated from the latest one and the slowest of the last three rates of decrease (a
// geometric tail; infinite while the terms do not fall). We stop when that estimate, relative to
// the norm of the demeaned column, is below the tolerance. A window of past terms (the usual
// delayed estimate) would describe the error several steps back: with the envelope factor CG
// converges in three or four steps, and the steps after convergence only lose orthogonality.

/// Why the conjugate gradient stage stopped without converging.
struct KrylovStall: Error {
    /// Iterations used.
    let iterations: Int
    /// The last relative error estimate.
    let relativeError: Double
}

extension ReducedFixedEffectSystem {
    /// Demeans the column in place by conjugate gradient from `start` (the kept factors'
    /// coefficients, stacked); returns the iterations used.
    func solve(column: UnsafeMutableBufferPointer<Double>, start: [Double], tolerance: Double,
               maxIterations: Int) throws(KrylovStall) -> Int {
        let sums = cellSums(of: column)
        let b = rightHandSide(cellSums: sums)
        let reference = eliminatedResidualSquares(of: column, cellSums: sums)
        var x = start.count == size ? start : [Double](repeating: 0, count: size)
        var residual = [Double](repeating: 0, count: size)
        var product = [Double](repeating: 0, count: size)
        x.withUnsafeBufferPointer { x in
            product.withUnsafeMutableBufferPointer { _ = apply(x, into: $0) }
        }
        for j in 0..<size { residual[j] = b[j] - product[j] }
        var preconditioned = [Double](repeating: 0, count: size)
        residual.withUnsafeBufferPointer { r in preconditioned.withUnsafeMutableBufferPointer { precondition(r, into: $0) } }
        var gamma = 0.0
        for j in 0..<size { gamma += residual[j] * preconditioned[j] }
        let firstGamma = gamma
        var direction = preconditioned
        var terms = [Double]()
        var iteration = 0
        var relativeError = Double.infinity
        // A warm start that already solves the system to rounding level (alternating projections
        // that stopped just short of their rule) is the answer: CG from there only amplifies
        // rounding along the null directions of a singular system (a 14-row saturated panel at
        // --fixef-tol 1e-13 went from a residual of 1e-16 to 3e5, R² = −1.3e6).
        let roundingLevel = 1e-24 * max(reference, Double.leastNormalMagnitude)
        if !(gamma > roundingLevel) { relativeError = 0 }
        while iteration < maxIterations && relativeError > 0 {
            guard gamma > 0 else { relativeError = 0; break }
            let curvature = direction.withUnsafeBufferPointer { p in
                product.withUnsafeMutableBufferPointer { apply(p, into: $0) }
            }
            iteration += 1
            // A direction without curvature: converged if the residual is at rounding level,
            // broken down otherwise (reported, never taken as converged).
            guard curvature > 0, curvature.isFinite else {
                if !(gamma > roundingLevel) { relativeError = 0 }
                break
            }
            let step = gamma / curvature
            for j in 0..<size {
                x[j] += step * direction[j]
                residual[j] -= step * product[j]
            }
            residual.withUnsafeBufferPointer { r in preconditioned.withUnsafeMutableBufferPointer { precondition(r, into: $0) } }
            var nextGamma = 0.0
            for j in 0..<size { nextGamma += residual[j] * preconditioned[j] }
            terms.append(step * gamma)
            // Converged to rounding level: further steps would only lose orthogonality.
            if nextGamma <= 1e-30 * firstGamma || !(nextGamma > roundingLevel) { relativeError = 0; break }
            if terms.count >= 3 {
                // ‖x* − x_k‖²_S is the sum of the terms still to come; they fall about
                // geometrically, at a rate taken as the slowest of the last three ratios (so a
                // step that happens to drop much does not end the iteration).
                var rate = 0.0
                for back in 1...3 where terms.count > back {
                    rate = max(rate, terms[terms.count - back] / max(terms[terms.count - back - 1], Double.leastNormalMagnitude))
                }
                let estimate = rate < 1 ? terms[terms.count - 1] * rate / (1 - rate) : Double.infinity
                // The demeaned column's squared norm: what P₁ leaves, less what the rest explains.
                var explained = 0.0
                for j in 0..<size { explained += x[j] * b[j] }
                let demeaned = max(reference - explained, 1e-8 * reference, Double.leastNormalMagnitude)
                relativeError = (estimate / demeaned).squareRoot()
                if relativeError <= tolerance { break }
            }
            // Growth far beyond the first residual is divergence (lost orthogonality), not progress.
            guard nextGamma <= 1e8 * max(firstGamma, roundingLevel) else { break }
            let ratio = nextGamma / gamma
            for j in 0..<size { direction[j] = preconditioned[j] + ratio * direction[j] }
            gamma = nextGamma
        }
        guard relativeError <= tolerance else { throw KrylovStall(iterations: iteration, relativeError: relativeError) }
        subtractFitted(x, cellSums: sums, from: column)
        return iteration
    }

    /// The kept factors' coefficients stacked into one vector, for a warm start.
    func stacked(_ coefficients: [[Double]]) -> [Double] {
        var vector = [Double](repeating: 0, count: size)
        for (slot, index) in kept.enumerated() where coefficients.indices.contains(index) {
            for (level, value) in coefficients[index].enumerated() where offsets[slot] + level < size {
                vector[offsets[slot] + level] = value
            }
        }
        return vector
    }
}
