// Ordinary and fixed-effects least squares (fixest's `feols`).
//
// Goals, in order:
// 1. Agreement with fixest 0.13 / pyfixest: the same estimation sample (missing values, zero
//    weights and, recursively, fixed-effect singletons dropped), the same coefficients (fixed
//    effects absorbed, collinear regressors dropped in formula order), and fit statistics that
//    follow their definitions.
// 2. Clear errors for models that cannot be fitted: an outcome without variation, a regressor
//    absorbed by the fixed effects.
// 3. Speed and memory: the design is demeaned in place, in parallel over variables, and kept as
//    the only N × k copy (it becomes the covariance estimators' input).

import Inference
import LinearAlgebra

/// Options for a least-squares fit.
public struct LinearModelOptions: Sendable {
    /// Relative convergence tolerance of the fixed-effect absorption.
    public var fixedEffectTolerance: Double
    /// The most absorption sweeps before giving up.
    public var fixedEffectMaxIterations: Int
    /// Threads for absorbing variables in parallel.
    public var threads: Int

    /// Creates options with fixest-like defaults (tolerance 1e-8, at most 10,000 sweeps).
    public init(fixedEffectTolerance: Double = 1e-8, fixedEffectMaxIterations: Int = 10_000, threads: Int = 2) {
        self.fixedEffectTolerance = fixedEffectTolerance
        self.fixedEffectMaxIterations = fixedEffectMaxIterations
        self.threads = threads
    }
}

/// Fits linear models by least squares with absorbed fixed effects.
public enum LinearModel {
    /// Fits the model described by `frame`.
    public static func fit(_ frame: consuming ModelFrame, options: LinearModelOptions = .init()) throws(EstimationError) -> LinearModelFit {
        var frame = frame
        let rows = frame.observationCount
        let columnCount = frame.design.columns
        let weights = frame.weights
        let hasFixedEffects = !frame.fixedEffects.isEmpty
        let hasIntercept = hasFixedEffects || frame.columnNames.first == "(Intercept)"

        let totalSumOfSquares = sumOfSquares(frame.response, weights: weights, centred: hasIntercept)
        guard totalSumOfSquares > 0 || !hasIntercept else {
            let value = frame.response.first ?? .nan
            throw EstimationError("outcome '\(frame.responseName)' has no variation in the estimation sample (all \(rows) values equal \(value))")
        }
        var originalSquares = [Double]()
        if hasFixedEffects {
            originalSquares = (0..<columnCount).map { column in
                sumOfSquares(frame.design.values[(column * rows)..<((column + 1) * rows)], weights: weights, centred: true)
            }
        }

        var iterations = 0
        if hasFixedEffects {
            let absorber = FixedEffectAbsorber(factors: frame.fixedEffects, weights: weights,
                                               tolerance: options.fixedEffectTolerance,
                                               maxIterations: options.fixedEffectMaxIterations)
            do {
                iterations = try absorber.absorb(response: &frame.response, responseName: frame.responseName,
                                                 design: &frame.design, columnNames: frame.columnNames,
                                                 threads: options.threads)
            } catch {
                throw EstimationError(error.description)
            }
        }
        let withinSumOfSquares = hasFixedEffects ? sumOfSquares(frame.response, weights: weights, centred: false) : totalSumOfSquares
        let fixedEffectNames = frame.fixedEffects.map(\.name).joined(separator: ", ")
        if hasFixedEffects && !(withinSumOfSquares > totalSumOfSquares * 1e-20) {
            throw EstimationError("outcome '\(frame.responseName)' is fully explained by the fixed effects (\(fixedEffectNames)): nothing left to estimate")
        }
        // A regressor whose variation the fixed effects absorb cannot be estimated: say so rather
        // than report a meaningless number. The threshold allows for the absorption's tolerance.
        let absorbedTolerance = frame.fixedEffects.count > 1 ? 1e-10 : 1e-20
        for column in 0..<columnCount where hasFixedEffects {
            let remaining = sumOfSquares(frame.design.values[(column * rows)..<((column + 1) * rows)], weights: weights, centred: false)
            if !(remaining > originalSquares[column] * absorbedTolerance) {
                throw EstimationError("regressor '\(frame.columnNames[column])' is fully absorbed by the fixed effects (\(fixedEffectNames)): it does not vary within them; remove it from the formula")
            }
        }

        if let weights {
            let roots = weights.map { $0.squareRoot() }
            for index in 0..<rows { frame.response[index] *= roots[index] }
            for column in 0..<columnCount {
                for index in 0..<rows { frame.design.values[column * rows + index] *= roots[index] }
            }
        }

        // With two or more fixed effects the demeaned columns carry the absorption's tolerance, so
        // collinearity is judged as loosely as fixest's collin.tol (1e-10 on the squared scale).
        let solver = LeastSquaresSolver(collinearityTolerance: frame.fixedEffects.count > 1 ? 1e-5 : 1e-11)
        let solution: LeastSquaresSolution
        do {
            solution = try solver.solve(design: frame.design, response: frame.response)
        } catch {
            throw EstimationError("least squares failed: \(error)")
        }
        let design = solution.droppedColumns.isEmpty ? frame.design : frame.design.selecting(columns: solution.keptColumns)
        // The response becomes the residuals in place: no further N-sized copy.
        var residuals = frame.response
        frame.response = []
        do {
            try design.subtractProduct(solution.coefficients, from: &residuals)
        } catch {
            throw EstimationError("least squares failed: \(error)")
        }
        let ssr = residuals.reduce(0) { $0 + $1 * $1 }
        let fixedEffectParameters = hasFixedEffects
            ? frame.fixedEffects.reduce(0) { $0 + $1.levelCount } - (frame.fixedEffects.count - 1)
            : 0
        let parameters = solution.coefficients.count + fixedEffectParameters
        let r2 = 1 - ssr / totalSumOfSquares
        let adjustedR2 = 1 - (1 - r2) * Double(rows - (hasIntercept ? 1 : 0)) / Double(rows - parameters)
        return LinearModelFit(
            formula: frame.formula.source, responseName: frame.responseName,
            coefficientNames: solution.keptColumns.map { frame.columnNames[$0] },
            collinearNames: solution.droppedColumns.map { frame.columnNames[$0] },
            coefficients: solution.coefficients, bread: solution.inverseCrossProduct,
            weightedDesign: design, weightedResiduals: residuals,
            observationCount: rows, rowsRead: frame.rowsRead, droppedMissing: frame.droppedMissing,
            droppedSingletons: frame.droppedSingletons, droppedZeroWeight: frame.droppedZeroWeight,
            fixedEffects: frame.fixedEffects, clusterVariables: frame.clusterVariables,
            hasIntercept: hasIntercept, isWeighted: weights != nil,
            fixedEffectParameters: fixedEffectParameters,
            r2: r2, adjustedR2: adjustedR2, withinR2: hasFixedEffects ? 1 - ssr / withinSumOfSquares : nil,
            residualSumOfSquares: ssr, method: solution.method, absorptionIterations: iterations)
    }

    /// Σ w (v − v̄_w)², or Σ w v² when not centred.
    static func sumOfSquares<Values: RandomAccessCollection>(_ values: Values, weights: [Double]?, centred: Bool) -> Double
        where Values.Element == Double, Values.Index == Int
    {
        let start = values.startIndex
        var mean = 0.0
        if centred {
            var total = 0.0
            var weightSum = 0.0
            if let weights {
                for offset in 0..<values.count {
                    total += weights[offset] * values[start + offset]
                    weightSum += weights[offset]
                }
            } else {
                for value in values { total += value }
                weightSum = Double(values.count)
            }
            mean = total / weightSum
        }
        var squares = 0.0
        if let weights {
            for offset in 0..<values.count {
                let deviation = values[start + offset] - mean
                squares += weights[offset] * deviation * deviation
            }
        } else {
            for value in values {
                let deviation = value - mean
                squares += deviation * deviation
            }
        }
        return squares
    }
}
