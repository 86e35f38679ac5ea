// The two stages of `FixedEffectAbsorber` for one variable: alternating projections while they
// contract fast, then conjugate gradient on the reduced system (see the absorber's header).

import Foundation

extension FixedEffectAbsorber {
    /// Where alternating projections left a variable.
    enum ProjectionOutcome: Sendable {
        /// Demeaned in place after this many sweeps.
        case converged(sweeps: Int)
        /// Not converged within `sweepsBeforeKrylov` sweeps; the column is untouched and the
        /// coefficients reached are the warm start for conjugate gradient.
        case unfinished(sweeps: Int, coefficients: [[Double]])
    }

    /// Alternating projections (with Irons–Tuck extrapolation) for at most `sweepsBeforeKrylov`
    /// sweeps, demeaning the column in place if they converge.
    func project(_ column: UnsafeMutableBufferPointer<Double>, name: String) throws(AbsorptionError) -> ProjectionOutcome {
        let scale = Self.scale(of: column, weights: weights)
        var scratch = PartialSums(levelCounts: factors.map(\.levelCount), rows: column.count)
        if factors.count == 1 {
            var coefficients = [[Double]](repeating: [], count: 1)
            coefficients[0] = [Double](repeating: 0, count: factors[0].levelCount)
            update(factor: 0, coefficients: &coefficients, column: column, scratch: &scratch)
            subtractFitted(coefficients, from: column)
            return .converged(sweeps: 1)
        }
        let limit = min(maxIterations, sweepsBeforeKrylov)
        var current = factors.map { [Double](repeating: 0, count: $0.levelCount) }
        var iteration = 0
        var lastChange = Double.infinity
        var firstChange = Double.infinity
        var previousChange = Double.infinity
        var converged = false
        while iteration < limit {
            let (twice, extrapolated, change) = sweepPair(from: current, column: column, scratch: &scratch, scale: scale)
            iteration += 2
            previousChange = lastChange
            lastChange = change
            // A small change bounds the error only if the sweeps contract well: with contraction ρ
            // per pair the error is about change·ρ/(1 − ρ), which on a poorly connected graph
            // (ρ near 1) is far above the change.
            let contraction = previousChange.isFinite ? lastChange / previousChange : 0
            if lastChange <= tolerance, contraction < 1, lastChange * contraction / (1 - contraction) <= tolerance {
                current = twice
                converged = true
                break
            }
            current = extrapolated
            if iteration == 2 { firstChange = lastChange }
            // Leave early when the rate so far would not reach the tolerance within the limit:
            // on poorly connected graphs the change barely falls, and every further sweep is lost.
            if iteration >= 6, Self.projectedSweeps(from: firstChange, to: lastChange, over: iteration - 2,
                                                    tolerance: tolerance) > limit { break }
        }
        if converged {
            subtractFitted(current, from: column)
            return .converged(sweeps: iteration)
        }
        guard iteration < maxIterations else {
            throw AbsorptionError(variable: name, iterations: maxIterations, lastChange: lastChange)
        }
        return .unfinished(sweeps: iteration, coefficients: current)
    }

    /// Conjugate gradient on the reduced system from where alternating projections stopped;
    /// returns the total of sweeps and steps.
    ///
    /// The result is checked: the demeaned column is the residual of a projection, so no set of
    /// fixed-effect coefficients leaves less, and a conjugate-gradient result that leaves more than
    /// the sweeps' warm start did (or stalls) is rejected. Small singular systems (a saturated
    /// 14-row panel with three fixed effects, weights) showed both: a result with R² = −1.3e6 at
    /// --fixef-tol 1e-13, and a stall at the default. Alternating projections then go on from the
    /// warm start to the sweep limit, with the plain stopping rule on the change, as before the
    /// conjugate-gradient stage existed.
    func finish(_ column: UnsafeMutableBufferPointer<Double>, name: String, system: ReducedFixedEffectSystem,
                sweeps: Int, coefficients: [[Double]]) throws(AbsorptionError) -> Int {
        let original = Array(column)
        let warmSquares = residualSquares(of: UnsafeBufferPointer(column), fitted: coefficients)
        do {
            let steps = try system.solve(column: column, start: system.stacked(coefficients), tolerance: krylovTolerance,
                                         maxIterations: max(maxIterations - sweeps, 1))
            let squares = weightedSquares(UnsafeBufferPointer(column))
            if squares.isFinite, squares <= warmSquares * (1 + 1e-6) + Double.leastNormalMagnitude {
                return sweeps + steps
            }
        } catch {
            // Fall through to the sweeps.
        }
        _ = column.update(fromContentsOf: original)
        return try projectToLimit(column, name: name, sweeps: sweeps, coefficients: coefficients)
    }

    /// Alternating projections (with Irons–Tuck extrapolation) from `coefficients` until the
    /// largest change between sweeps is below the tolerance or the sweep limit is reached; the
    /// column is demeaned in place.
    func projectToLimit(_ column: UnsafeMutableBufferPointer<Double>, name: String, sweeps: Int,
                        coefficients: [[Double]]) throws(AbsorptionError) -> Int {
        let scale = Self.scale(of: column, weights: weights)
        var scratch = PartialSums(levelCounts: factors.map(\.levelCount), rows: column.count)
        var current = coefficients
        var iteration = sweeps
        var lastChange = Double.infinity
        while iteration < maxIterations {
            let (twice, extrapolated, change) = sweepPair(from: current, column: column, scratch: &scratch, scale: scale)
            iteration += 2
            lastChange = change
            if lastChange <= tolerance {
                subtractFitted(twice, from: column)
                return iteration
            }
            current = extrapolated
        }
        throw AbsorptionError(variable: name, iterations: maxIterations, lastChange: lastChange)
    }

    /// Two sweeps from `current`: the second's coefficients, the Irons–Tuck extrapolation from
    /// the three points (the second when it is undefined), and the largest change between the
    /// two sweeps relative to `scale`.
    func sweepPair(from current: [[Double]], column: UnsafeMutableBufferPointer<Double>, scratch: inout PartialSums,
                   scale: Double) -> (twice: [[Double]], extrapolated: [[Double]], change: Double) {
        var once = current
        sweep(&once, column: column, scratch: &scratch)
        var twice = once
        sweep(&twice, column: column, scratch: &scratch)
        return (twice, Self.ironsTuck(current, once, twice) ?? twice, Self.maxChange(once, twice) / scale)
    }

    /// Σ w r² of the column less the fixed effects `coefficients` fit, a block of rows at a
    /// time: a full copy of the column per variable was a fifth of the peak memory on a 10^7-row
    /// worker-firm panel.
    func residualSquares(of column: UnsafeBufferPointer<Double>, fitted coefficients: [[Double]]) -> Double {
        let blockRows = 4096
        var block = [Double](repeating: 0, count: blockRows)
        var total = 0.0
        block.withUnsafeMutableBufferPointer { block in
            for start in stride(from: 0, to: column.count, by: blockRows) {
                let rows = UnsafeMutableBufferPointer(rebasing: block[0..<min(blockRows, column.count - start)])
                _ = rows.update(fromContentsOf: UnsafeBufferPointer(rebasing: column[start..<(start + rows.count)]))
                subtractFitted(coefficients, from: rows, firstRow: start)
                total += weightedSquares(UnsafeBufferPointer(rows), firstRow: start)
            }
        }
        return total
    }

    /// Σ w r² over the rows (Σ r² without weights); the column holds rows from `firstRow` on.
    func weightedSquares(_ column: UnsafeBufferPointer<Double>, firstRow: Int = 0) -> Double {
        var total = 0.0
        if let weights {
            for row in 0..<column.count { total += weights[firstRow + row] * column[row] * column[row] }
        } else {
            for value in column { total += value * value }
        }
        return total
    }

    /// The sweeps alternating projections would need in all, had they kept falling from
    /// `first` to `last` over `sweeps` sweeps at the same geometric rate.
    static func projectedSweeps(from first: Double, to last: Double, over sweeps: Int, tolerance: Double) -> Int {
        guard last > tolerance else { return sweeps }
        guard first > last, last > 0 else { return Int.max }
        let perSweep = log(last / first) / Double(sweeps)
        let remaining = log(tolerance / last) / perSweep
        return remaining.isFinite && remaining < 1e9 ? sweeps + 2 + Int(remaining.rounded(.up)) : Int.max
    }

    /// The conjugate-gradient tolerance on the relative error of the demeaned column: a tenth of
    /// the sweep tolerance (a bound on the error, where the sweeps' rule bounds only a change),
    /// but not below what double precision can certify.
    var krylovTolerance: Double { max(tolerance * 0.1, 1e-12) }
}
