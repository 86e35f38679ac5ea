// Ordinary and fixed-effects least squares (fixest's `feols`).
//
// Goals, in order:
// 1. Agreement with fixest 0.13 / pyfixest: the same estimation sample (missing values, zero
//    weights and, recursively, fixed-effect singletons dropped), the same coefficients (fixed
//    effects absorbed; regressors the fixed effects absorb, and collinear ones in formula order,
//    dropped and named), and fit statistics that follow their definitions.
// 2. Clear errors for models that cannot be fitted: an outcome without variation, numbers whose
//    squares overflow double precision.
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
    /// fixest's `collin.tol`: a regressor whose squared Cholesky pivot on the (demeaned, weighted)
    /// cross-product falls below it is dropped as collinear. 1e-9 is pyfixest's default (fixest's
    /// is 1e-10); the two differ only for pivots between them.
    public var collinearityTolerance: Double

    /// Creates options with fixest-like defaults (tolerance 1e-8, at most 10,000 sweeps).
    public init(fixedEffectTolerance: Double = 1e-8, fixedEffectMaxIterations: Int = 10_000, threads: Int = 2,
                collinearityTolerance: Double = 1e-9) {
        self.fixedEffectTolerance = fixedEffectTolerance
        self.fixedEffectMaxIterations = fixedEffectMaxIterations
        self.threads = threads
        self.collinearityTolerance = collinearityTolerance
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

        try checkMagnitudes(frame)
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
        var absorptionStage: String?
        if hasFixedEffects {
            let absorber = FixedEffectAbsorber(factors: frame.fixedEffects, weights: weights,
                                               tolerance: options.fixedEffectTolerance,
                                               maxIterations: options.fixedEffectMaxIterations)
            do {
                let report = try absorber.absorbReporting(response: &frame.response, responseName: frame.responseName,
                                                          design: &frame.design, columnNames: frame.columnNames,
                                                          threads: options.threads)
                iterations = report.sweeps
                absorptionStage = report.stage
            } catch {
                throw EstimationError(error.description)
            }
        }
        let withinSumOfSquares = hasFixedEffects ? sumOfSquares(frame.response, weights: weights, centred: false) : totalSumOfSquares
        let fixedEffectNames = frame.fixedEffects.map(\.name).joined(separator: ", ")
        if hasFixedEffects && !(withinSumOfSquares > totalSumOfSquares * 1e-20) {
            throw EstimationError("outcome '\(frame.responseName)' is fully explained by the fixed effects (\(fixedEffectNames)): nothing left to estimate")
        }
        // A regressor whose variation the fixed effects absorb cannot be estimated: as fixest does,
        // it is dropped and named (in `collinearNames` and a note), and the rest is fitted. Terms a
        // caller needs (a tested coefficient, did's treatment) are refused there, with the reason.
        // Whether it is dropped is fixest's pivot rule's decision, like any collinearity; only a
        // column left with rounding noise is set aside here. A dropped column that keeps less than
        // 1e-10 of its variation (the absorption's tolerance, squared) is then called absorbed.
        var withinShares = [Double](repeating: 1, count: columnCount)
        var absorbedColumns = [Int]()
        for column in 0..<columnCount where hasFixedEffects {
            let remaining = sumOfSquares(frame.design.values[(column * rows)..<((column + 1) * rows)], weights: weights, centred: false)
            withinShares[column] = originalSquares[column] > 0 ? remaining / originalSquares[column] : 0
            if !(withinShares[column] > 1e-20) { absorbedColumns.append(column) }
        }
        // The design's columns that reach the solver, as indices into the frame's columns.
        let candidateColumns = (0..<columnCount).filter { !absorbedColumns.contains($0) }
        if !absorbedColumns.isEmpty { frame.design = frame.design.selecting(columns: candidateColumns) }

        if let weights {
            let roots = weights.map { $0.squareRoot() }
            for index in 0..<rows { frame.response[index] *= roots[index] }
            for column in 0..<frame.design.columns {
                for index in 0..<rows { frame.design.values[column * rows + index] *= roots[index] }
            }
        }

        let solution = try solve(design: frame.design, response: frame.response, collinearityTolerance: options.collinearityTolerance)
        let design = solution.droppedColumns.isEmpty ? frame.design : frame.design.selecting(columns: solution.keptColumns)
        // The response becomes the residuals in place: no further N-sized copy.
        var residuals = frame.response
        frame.response = []
        if !solution.coefficients.isEmpty {
            do {
                try design.subtractProduct(solution.coefficients, from: &residuals)
            } catch {
                throw EstimationError("least squares failed: \(error)")
            }
        }
        let keptColumns = solution.keptColumns.map { candidateColumns[$0] }
        let droppedColumns = (absorbedColumns + solution.droppedColumns.map { candidateColumns[$0] }).sorted()
        absorbedColumns = droppedColumns.filter { hasFixedEffects && !(withinShares[$0] > 1e-10) }
        let ssr = residuals.reduce(0) { $0 + $1 * $1 }
        // Σ levels less the redundant levels (one per connected component of the first two).
        let redundantFixedEffects = FixedEffectRedundancy.redundantCount(frame.fixedEffects)
        let fixedEffectParameters = hasFixedEffects
            ? frame.fixedEffects.reduce(0) { $0 + $1.levelCount } - redundantFixedEffects
            : 0
        let parameters = solution.coefficients.count + fixedEffectParameters
        let r2 = 1 - ssr / totalSumOfSquares
        let adjustedR2 = 1 - (1 - r2) * Double(rows - (hasIntercept ? 1 : 0)) / Double(rows - parameters)
        let core = FittedModelCore(
            formula: frame.formula.source, responseName: frame.responseName,
            coefficientNames: keptColumns.map { frame.columnNames[$0] },
            collinearNames: droppedColumns.map { frame.columnNames[$0] },
            absorbedNames: absorbedColumns.map { frame.columnNames[$0] },
            coefficients: solution.coefficients, bread: solution.inverseCrossProduct,
            weightedDesign: design, weightedResiduals: residuals, sample: frame.sampleAccounting,
            fixedEffects: frame.fixedEffects, clusterVariables: frame.clusterVariables,
            hasIntercept: hasIntercept, isWeighted: weights != nil,
            fixedEffectParameters: fixedEffectParameters, redundantFixedEffects: redundantFixedEffects,
            designNotes: frame.designNotes, sourceRows: frame.sourceRows)
        return LinearModelFit(
            core: core, scaledFactor: solution.scaledFactor,
            r2: r2, adjustedR2: adjustedR2, withinR2: hasFixedEffects ? 1 - ssr / withinSumOfSquares : nil,
            residualSumOfSquares: ssr, method: solution.method, absorptionIterations: iterations,
            absorptionStage: absorptionStage)
    }

    /// The least-squares solution on the (demeaned, weighted) design; a design left without columns
    /// (every regressor absorbed, or `y ~ 0 | fe`) has the empty solution.
    static func solve(design: Matrix, response: [Double], collinearityTolerance: Double) throws(EstimationError) -> Solution {
        try solve(design: design, response: response, rule: .fixestPivot(collinearityTolerance))
    }

    /// The least-squares solution with collinearity judged by `rule`.
    static func solve(design: Matrix, response: [Double], rule: CollinearityRule) throws(EstimationError) -> Solution {
        let emptyFactor = ScaledTriangularFactor(triangle: Matrix(rows: 0, columns: 0), norms: [])
        guard design.columns > 0 else {
            return Solution(coefficients: [], keptColumns: [], droppedColumns: [], inverseCrossProduct: Matrix(rows: 0, columns: 0),
                            method: .cholesky, scaledFactor: emptyFactor)
        }
        // Which regressors are collinear is decided as fixest decides it, so that the same ones are
        // dropped; those kept are then solved accurately however nearly collinear they are.
        let solver = LeastSquaresSolver(collinearity: rule)
        do {
            let solution = try solver.solve(design: design, response: response)
            return Solution(coefficients: solution.coefficients, keptColumns: solution.keptColumns, droppedColumns: solution.droppedColumns,
                            inverseCrossProduct: solution.inverseCrossProduct, method: solution.method, scaledFactor: solution.scaledFactor)
        } catch {
            throw EstimationError("least squares failed: \(error)")
        }
    }

    /// What the fit keeps of a least-squares solution (the solver's type cannot be built here for
    /// the empty design).
    struct Solution {
        let coefficients: [Double]
        let keptColumns: [Int]
        let droppedColumns: [Int]
        let inverseCrossProduct: Matrix
        let method: LeastSquaresMethod
        let scaledFactor: ScaledTriangularFactor
    }

    /// Refuses an outcome or regressor whose sum of squares overflows double precision (values
    /// near 1e154 and beyond): every later step would turn it into inf or NaN, and the regressor
    /// would look absorbed or collinear when the problem is its scale.
    static func checkMagnitudes(_ frame: ModelFrame) throws(EstimationError) {
        let rows = frame.observationCount
        var series: [(role: String, name: String, values: ArraySlice<Double>)] = [("outcome", frame.responseName, frame.response[...])]
        for (column, name) in frame.columnNames.enumerated() {
            series.append(("regressor", name, frame.design.values[(column * rows)..<((column + 1) * rows)]))
        }
        for (role, name, values) in series {
            let plain = sumOfSquares(values, weights: nil, centred: false)
            let weighted = frame.weights == nil ? plain : sumOfSquares(values, weights: frame.weights, centred: false)
            guard !plain.isFinite || !weighted.isFinite else { continue }
            let largest = values.max(by: { abs($0) < abs($1) }) ?? 0
            let cause = plain.isFinite ? "multiplied by the weights, their squares" : "their squares"
            throw EstimationError("\(role) '\(name)' has values as large as \(largest): \(cause) overflow double precision, so it cannot be fitted (this is an overflow, not collinearity); rescale it, e.g. divide it by a power of ten")
        }
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
