// The IRLS of a Poisson model with absorbed fixed effects.
//
// Each iteration is a weighted least-squares fit of the working outcome z = η + (y − μ)/μ on the
// regressors with working weights w = μ (times any user weights), the fixed effects absorbed by
// `FixedEffectAbsorber` with those weights (Guimarães & Portugal 2010; Correia, Guimarães & Zylkin
// 2020, §3). Goals, in order:
// 1. The same fixed point, stopping rule and final quantities as fixest / pyfixest: start from
//    μ = (y + ȳ)/2 (pyfixest's `Fepois.get_fit`); stop when |D − D₀| / (0.1 + |D|) < tolerance
//    (fixest's rule with `glm.tol` = 1e-8, R/feglm.R; pyfixest uses it too); the covariance
//    inputs (bread, √w·X̃, √w times the working residuals) are those of the last weighted fit.
// 2. Speed, by warm starts (ppmlhdfe's device): absorbing the fixed effects from any vector that
//    differs from x only by a combination of the fixed effects gives the same result, because the
//    projection annihilates that combination whatever the weights. So each iteration absorbs the
//    previous iteration's demeaned columns (and z̃ shifted by the change in z) instead of the raw
//    columns: they are already nearly demeaned under the new weights, and the absorption needs a
//    few sweeps instead of many.

import Inference
import LinearAlgebra

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PoissonModel {
    /// What the IRLS hands to the fit.
    struct IterationResult {
        /// Estimates over `keptColumns` (indices into the sample's columns).
        var coefficients: [Double]
        var keptColumns: [Int]
        /// Columns without an estimate: absorbed by the fixed effects or collinear (sorted), and
        /// the absorbed ones alone.
        var droppedColumns: [Int]
        var absorbedColumns: [Int]
        /// (X̃ᵀWX̃)⁻¹, √W·X̃ and √W·(z̃ − X̃β) of the last weighted fit.
        var bread: Matrix
        var weightedDesign: Matrix
        var weightedResiduals: [Double]
        /// The fitted means μ.
        var fitted: [Double]
        var iterations: Int
        /// Fixed-effect sweeps summed over the iterations.
        var absorptionSweeps: Int
    }

    /// Runs the IRLS to convergence. The sample's design is taken over (and emptied) to become the
    /// demeaned design without a copy.
    static func iterate(_ sample: inout PoissonSample, responseName: String, options: PoissonModelOptions)
        throws(EstimationError) -> IterationResult
    {
        let rows = sample.count
        let response = sample.response
        let userWeights = sample.weights
        let factors = sample.fixedEffects
        let hasFixedEffects = !factors.isEmpty
        var demeaned = sample.design
        sample.design = Matrix(rows: rows, columns: 0)
        var columns = Array(0..<demeaned.columns)
        var absorbed = [Int]()
        var collinear = [Int]()

        var weightSum = 0.0, total = 0.0
        for index in 0..<rows {
            let weight = userWeights?[index] ?? 1
            weightSum += weight
            total += weight * response[index]
        }
        let mean = total / weightSum
        var fitted = response.map { ($0 + mean) / 2 }
        var linear = fitted.map { log($0) }
        var deviance = PoissonLikelihood.deviance(response: response, fitted: fitted, weights: userWeights)
        var working = [Double](repeating: 0, count: rows)
        var demeanedWorking = [Double](repeating: 0, count: rows)
        var weights = [Double](repeating: 0, count: rows)
        var roots = [Double](repeating: 0, count: rows)
        var weightedWorking = [Double](repeating: 0, count: rows)
        var residuals = [Double](repeating: 0, count: rows)
        var weightedDesign = Matrix(rows: rows, columns: 0)
        var sweeps = 0

        for iteration in 1...max(options.maxIterations, 1) {
            for index in 0..<rows {
                let mu = fitted[index]
                let next = linear[index] + (response[index] - mu) / mu
                weights[index] = (userWeights?[index] ?? 1) * mu
                // z̃ moves by the change in z: the warm start (see the header).
                demeanedWorking[index] += next - working[index]
                working[index] = next
            }
            if !hasFixedEffects {
                demeanedWorking = working
            } else {
                let originalSquares = iteration == 1 ? (0..<demeaned.columns).map { column in
                    LinearModel.sumOfSquares(demeaned.values[(column * rows)..<((column + 1) * rows)], weights: weights, centred: true)
                } : []
                let absorber = FixedEffectAbsorber(factors: factors, weights: weights, tolerance: options.fixedEffectTolerance,
                                                   maxIterations: options.fixedEffectMaxIterations)
                do {
                    sweeps += try absorber.absorb(response: &demeanedWorking, responseName: "working outcome of \(responseName)",
                                                  design: &demeaned, columnNames: columns.map { sample.columnNames[$0] },
                                                  threads: options.threads)
                } catch {
                    throw EstimationError(error.description)
                }
                if iteration == 1 {
                    let threshold = factors.count > 1 ? 1e-10 : 1e-20
                    let absorbedHere = (0..<demeaned.columns).filter { column in
                        let remaining = LinearModel.sumOfSquares(demeaned.values[(column * rows)..<((column + 1) * rows)], weights: weights, centred: false)
                        return !(remaining > originalSquares[column] * threshold)
                    }
                    if !absorbedHere.isEmpty {
                        absorbed = absorbedHere.map { columns[$0] }
                        let keep = (0..<demeaned.columns).filter { !absorbedHere.contains($0) }
                        demeaned = demeaned.selecting(columns: keep)
                        columns = keep.map { columns[$0] }
                    }
                }
            }
            // The N-sized buffers are filled in place, not allocated afresh in every iteration.
            if weightedDesign.columns != demeaned.columns { weightedDesign = Matrix(rows: rows, columns: demeaned.columns) }
            demeaned.values.withUnsafeBufferPointer { source in
                weightedDesign.values.withUnsafeMutableBufferPointer { target in
                    for index in 0..<rows { roots[index] = weights[index].squareRoot() }
                    for column in 0..<demeaned.columns {
                        let offset = column * rows
                        for index in 0..<rows { target[offset + index] = source[offset + index] * roots[index] }
                    }
                }
            }
            for index in 0..<rows { weightedWorking[index] = demeanedWorking[index] * roots[index] }
            let solution = try LinearModel.solve(design: weightedDesign, response: weightedWorking, collinearityTolerance: options.collinearityTolerance)
            if !solution.droppedColumns.isEmpty {
                collinear += solution.droppedColumns.map { columns[$0] }
                demeaned = demeaned.selecting(columns: solution.keptColumns)
                weightedDesign = weightedDesign.selecting(columns: solution.keptColumns)
                columns = solution.keptColumns.map { columns[$0] }
            }
            // The working residual z̃ − X̃β; the new linear predictor is z minus it.
            for index in 0..<rows { residuals[index] = demeanedWorking[index] }
            if !solution.coefficients.isEmpty {
                do {
                    try demeaned.subtractProduct(solution.coefficients, from: &residuals)
                } catch {
                    throw EstimationError("least squares failed: \(error)")
                }
            }
            var smallestFitted = Double.infinity
            for index in 0..<rows {
                linear[index] = working[index] - residuals[index]
                fitted[index] = exp(linear[index])
                smallestFitted = min(smallestFitted, fitted[index])
            }
            let previous = deviance
            deviance = PoissonLikelihood.deviance(response: response, fitted: fitted, weights: userWeights)
            // A mean that underflows to zero would make the next working outcome 0/0.
            guard deviance.isFinite, smallestFitted > 0 else {
                throw EstimationError("the Poisson fit of '\(responseName)' diverged at iteration \(iteration) (deviance \(deviance)): check for regressors with extreme values, or for separation (--separation relu)")
            }
            let change = abs(deviance - previous) / (0.1 + abs(deviance))
            if change < options.tolerance {
                for index in 0..<rows { residuals[index] *= roots[index] }
                return IterationResult(
                    coefficients: solution.coefficients, keptColumns: columns,
                    droppedColumns: (absorbed + collinear).sorted(), absorbedColumns: absorbed,
                    bread: solution.inverseCrossProduct, weightedDesign: weightedDesign, weightedResiduals: residuals,
                    fitted: fitted, iterations: iteration, absorptionSweeps: sweeps)
            }
        }
        throw EstimationError("the Poisson fit of '\(responseName)' did not converge within \(options.maxIterations) iterations (relative change in deviance still above \(options.tolerance)); raise --iter, or check for separation")
    }
}
