import Inference
import LinearAlgebra

/// The regression a wild bootstrap must replicate when the model has fixed effects: the
/// regressors and the dummies of fixed effects not nested in the bootstrap clusters, all
/// demeaned by the nested fixed effects and weighted (see `LinearModelFit.wildBootstrap`).
/// Its first k coefficients are the fit's slopes, in the same order.
struct BootstrapDesign {
    let design: Matrix
    let residuals: [Double]
    let coefficients: [Double]
    let bread: Matrix

    /// Builds the design, or returns nil when the non-nested dummies would be too many.
    init?(frame: ModelFrame, fit: LinearModelFit, bootstrapClusters: ClusterVariable) throws(EstimationError) {
        let nested = frame.fixedEffects.filter { $0.isNested(in: bootstrapClusters) }
        let others = frame.fixedEffects.filter { !$0.isNested(in: bootstrapClusters) }
        // Without a nested fixed effect nothing absorbs the constant: carry it as a column.
        let constant = nested.isEmpty ? 1 : 0
        let dummyCount = others.reduce(0) { $0 + $1.levelCount - 1 } + constant
        guard dummyCount <= LinearModelFit.bootstrapDummyLimit else { return nil }
        let rows = frame.observationCount
        let kept = fit.coefficientNames.compactMap { frame.columnNames.firstIndex(of: $0) }
        // The dummies are dense columns: judge their memory before building them.
        let bytes = MemoryBudget.leastSquaresBytes(rows: rows, columns: kept.count + dummyCount)
        let budget = MemoryBudget.machine
        guard budget.allows(bytes) else {
            let names = others.map(\.name).joined(separator: ", ")
            throw EstimationError("the wild bootstrap re-estimates the fixed effects not nested in the bootstrap clusters (\(names)) as \(dummyCount) dummy columns over \(rows) rows, which needs about \(MemoryBudget.describe(bytes)) of memory, more than the \(budget.summary); cluster the bootstrap at a level that nests them (--boot-cluster) or use --bootstrap pairs")
        }
        var storage = [Double]()
        storage.reserveCapacity(rows * (kept.count + dummyCount))
        for column in kept { storage.append(contentsOf: frame.design.values[(column * rows)..<((column + 1) * rows)]) }
        if constant == 1 { storage.append(contentsOf: repeatElement(1.0, count: rows)) }
        // One dummy per level but the first of each non-nested fixed effect; with nested fixed
        // effects (or an intercept) absorbing the constant, the dropped level is the reference.
        for factor in others {
            for level in 1..<max(factor.levelCount, 1) {
                storage.append(contentsOf: factor.codes.map { Int($0) == level ? 1.0 : 0.0 })
            }
        }
        var design = Matrix(rows: rows, columns: kept.count + dummyCount, values: storage)
        var response = frame.response
        if !nested.isEmpty {
            let absorber = FixedEffectAbsorber(factors: nested, weights: frame.weights, tolerance: 1e-12, maxIterations: 100_000)
            do {
                _ = try absorber.absorb(response: &response, responseName: frame.responseName, design: &design,
                                        columnNames: Array(repeating: "bootstrap design", count: design.columns), threads: 1)
            } catch {
                throw EstimationError("bootstrap design: \(error.description)")
            }
        }
        if let weights = frame.weights {
            let roots = weights.map { $0.squareRoot() }
            for index in 0..<rows { response[index] *= roots[index] }
            for column in 0..<design.columns {
                for index in 0..<rows { design.values[column * rows + index] *= roots[index] }
            }
        }
        let solution: LeastSquaresSolution
        do {
            solution = try LeastSquaresSolver(collinearityTolerance: 1e-9).solve(design: design, response: response)
        } catch {
            throw EstimationError("bootstrap design: \(error)")
        }
        guard Array(solution.keptColumns.prefix(kept.count)) == Array(0..<kept.count) else {
            throw EstimationError("bootstrap design: a regressor is collinear with the fixed-effect dummies")
        }
        let reduced = solution.droppedColumns.isEmpty ? design : design.selecting(columns: solution.keptColumns)
        var residuals = response
        do { try reduced.subtractProduct(solution.coefficients, from: &residuals) } catch {
            throw EstimationError("bootstrap design: \(error)")
        }
        self.design = reduced
        self.residuals = residuals
        self.coefficients = solution.coefficients
        self.bread = solution.inverseCrossProduct
    }
}
