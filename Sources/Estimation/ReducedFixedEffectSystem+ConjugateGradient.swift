// Preconditioned conjugate gradient on the reduced fixed-effect system, the absorber's second stage.
//
// Why: on poorly connected graphs (workers who move only among a few neighbouring firms, the
// "difficult" design of fixest's benchmark) alternating projections contract by a factor within
// 1e-4 of one per sweep; Irons–Tuck acceleration does not rescue them, and a stopping rule on the
// change between sweeps then stops far from the solution. Conjugate gradient needs about the square
// root of that many steps (Hestenes & Stiefel 1952), and its error can be measured: CG minimises
// the S-norm of the error, which here is exactly the norm of the error left in the demeaned column
// (see `ReducedFixedEffectSystem.swift`). reghdfe (Correia 2016, "A feasible estimator for linear
// models with multi-way fixed effects") and FixedEffectModels.jl use CG/LSMR for the same reason.
//
// Stopping rule: Σ_{j ≥ k} α_j rᵀ_j z_j = ‖x* − x_k‖²_S in exact arithmetic (Hestenes & Stiefel;
// Strakoš & Tichý 2002, "On error estimation in the conjugate gradient method"); summing the
// terms of the next `delay` steps gives a lower bound that is tight once convergence is steady.
// We stop when that estimate, relative to the norm of the demeaned column, is below the tolerance.

/// Why the conjugate gradient stage stopped without converging.
struct KrylovStall: Error {
    /// Iterations used.
    let iterations: Int
    /// The last relative error estimate.
    let relativeError: Double
}

extension ReducedFixedEffectSystem {
    /// Steps whose terms make up the error estimate.
    static let errorDelay = 12

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
        var direction = preconditioned
        var terms = [Double]()
        var iteration = 0
        var relativeError = Double.infinity
        while iteration < maxIterations {
            guard gamma > 0 else { relativeError = 0; break }
            let curvature = direction.withUnsafeBufferPointer { p in
                product.withUnsafeMutableBufferPointer { apply(p, into: $0) }
            }
            iteration += 1
            guard curvature > 0, curvature.isFinite else { relativeError = 0; break }
            let step = gamma / curvature
            for j in 0..<size {
                x[j] += step * direction[j]
                residual[j] -= step * product[j]
            }
            residual.withUnsafeBufferPointer { r in preconditioned.withUnsafeMutableBufferPointer { precondition(r, into: $0) } }
            var nextGamma = 0.0
            for j in 0..<size { nextGamma += residual[j] * preconditioned[j] }
            terms.append(step * gamma)
            if terms.count >= 3 {
                // The last `errorDelay` terms, plus a geometric tail at the latest ratio of terms:
                // with a good preconditioner the terms fall by orders of magnitude per step and a
                // few suffice; when they fall slowly the tail keeps the estimate honest.
                var estimate = 0.0
                for term in terms.suffix(Self.errorDelay) { estimate += term }
                let ratio = terms[terms.count - 1] / max(terms[terms.count - 2], Double.leastNormalMagnitude)
                estimate += ratio < 1 ? terms[terms.count - 1] * ratio / (1 - ratio) : Double.infinity
                // The demeaned column's squared norm: what P₁ leaves, less what the rest explains.
                var explained = 0.0
                for j in 0..<size { explained += x[j] * b[j] }
                let demeaned = max(reference - explained, 1e-8 * reference, Double.leastNormalMagnitude)
                relativeError = (estimate / demeaned).squareRoot()
                if relativeError <= tolerance { break }
            }
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
