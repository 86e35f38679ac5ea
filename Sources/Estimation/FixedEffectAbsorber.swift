// Absorbing fixed effects: replaces each variable by its residual from a least-squares fit on the
// fixed-effect dummies (the Frisch–Waugh–Lovell theorem), without ever forming the dummies.
//
// Goals, in order:
// 1. Agreement with fixest/pyfixest, and a converged answer that is right: failure to converge
//    within the iteration limit is an error, never a silent result, and convergence is judged on
//    something that bounds the error of the demeaned column where a change between sweeps would not.
// 2. Speed and memory on 10^7-10^8 rows, on easy firm-year panels and on poorly connected
//    worker-firm graphs alike, with no option to choose between them.
//
// Two stages, chosen per variable by measurement:
// - Alternating projections in coefficient space (block Gauss–Seidel on the dummies' normal
//   equations: Guimarães & Portugal 2010; Gaure 2013, lfe), with Irons–Tuck (1969) extrapolation
//   every two sweeps as fixest does (Bergé 2018, "Efficient estimation of maximum likelihood models
//   with multiple fixed-effects: the R package FENmlm", §3). Each pass reads the variable and the
//   level codes and writes only per-level sums. On firm-year panels they converge in a few sweeps
//   (one pair on a balanced panel), and this stays the fast path. They stop when the change
//   between sweep pairs is below the tolerance *and* the observed contraction makes the remaining
//   error no larger (error ≈ change·ρ/(1 − ρ)).
// - On graphs where they crawl (workers moving among a few neighbouring firms: ρ within 1e-4 of 1,
//   10,000 sweeps not enough), the variable switches, as soon as its rate shows it would not
//   finish within `sweepsBeforeKrylov` sweeps, to conjugate gradient on the normal equations
//   reduced to the factors other than the largest (`ReducedFixedEffectSystem`: fixest's reduction
//   of 2 FE to the smaller factor, generalised), warm-started from the sweeps' coefficients and
//   stopped on an estimate of the error in the demeaned column. It is preconditioned by an exact
//   envelope Cholesky factor of the reduced matrix when its profile is small, which chain-like
//   graphs have (`EnvelopeCholesky`), else by its diagonal. reghdfe (Correia 2016, "A feasible
//   estimator for linear models with multi-way fixed effects") and FixedEffectModels.jl use Krylov
//   methods for the same reason; we measured on fixest's difficult benchmark design (Benchmarks/
//   difficult): diagonal-preconditioned CG needed ~550 steps at 10^6 rows (3.6 s; at 10^7 it had
//   not finished after minutes), the factor-preconditioned one 3–4 steps at 10^6 and 10^7 rows.
// One fixed effect is absorbed exactly in a single pass.

import Dispatch
import LinearAlgebra
import Inference

/// Why absorbing fixed effects failed.
public struct AbsorptionError: Error, CustomStringConvertible, Sendable {
    /// The variable that did not converge.
    public let variable: String
    /// The iteration limit reached.
    public let iterations: Int
    /// The last relative change between sweeps (or relative error estimate of conjugate
    /// gradient), to show how far from convergence it was.
    public let lastChange: Double

    public var description: String {
        "fixed effects did not converge for '\(variable)' within \(iterations) iterations "
            + "(last relative change or error \(lastChange)); raise --fixef-iter or check the fixed-effect structure"
    }
}

/// Absorbs a set of fixed effects from variables, in place.
public struct FixedEffectAbsorber: Sendable {
    /// The fixed effects, with dense codes over the same observations.
    public let factors: [Factor]
    /// Observation weights, or `nil` for unweighted.
    public let weights: [Double]?
    /// Relative convergence tolerance on the change of the demeaned variable.
    public var tolerance: Double
    /// The most sweeps (plus conjugate-gradient steps) allowed.
    public var maxIterations: Int
    /// Sweeps of alternating projections before a variable switches to conjugate gradient.
    /// Firm-year panels converge in a few; poorly connected graphs never would.
    public var sweepsBeforeKrylov = 16
    /// The envelope factor's entry budget, when a test needs a smaller one than the default.
    var envelopeBudget: Int?
    /// The total weight of each level of each factor.
    let levelWeights: [[Double]]

    /// Creates an absorber; the factors must all have `weights.count` observations when weighted.
    public init(factors: [Factor], weights: [Double]?, tolerance: Double = 1e-8, maxIterations: Int = 10_000) {
        self.factors = factors
        self.weights = weights
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.levelWeights = factors.map { factor in
            var totals = [Double](repeating: 0, count: factor.levelCount)
            for index in 0..<factor.observationCount {
                totals[Int(factor.codes[index])] += weights?[index] ?? 1
            }
            return totals
        }
    }

    /// Demeans every column of `matrix` and the vector `response` in place, in parallel over
    /// variables; returns the largest number of sweeps (plus conjugate-gradient steps) used.
    ///
    /// Alternating projections run first for every variable; those still unconverged after
    /// `sweepsBeforeKrylov` sweeps continue by conjugate gradient on one reduced system shared by
    /// all of them, built only then.
    public func absorb(response: inout [Double], responseName: String, design matrix: inout Matrix,
                       columnNames: [String], threads: Int) throws(AbsorptionError) -> Int
    {
        try absorbReporting(response: &response, responseName: responseName, design: &matrix, columnNames: columnNames,
                            threads: threads).sweeps
    }

    /// What an absorption did: the most sweeps (plus CG steps) of any variable, and which stage
    /// finished the slow ones, for `--timings` and the benchmarks.
    public struct Report: Sendable {
        /// The largest number of sweeps plus conjugate-gradient steps over the variables.
        public let sweeps: Int
        /// The variables that went on to conjugate gradient.
        public let krylovVariables: Int
        /// "alternating projections", or the conjugate-gradient preconditioner used.
        public let stage: String
    }

    /// `absorb(response:responseName:design:columnNames:threads:)`, saying which stage ran.
    public func absorbReporting(response: inout [Double], responseName: String, design matrix: inout Matrix,
                                columnNames: [String], threads: Int) throws(AbsorptionError) -> Report
    {
        guard !factors.isEmpty else { return Report(sweeps: 0, krylovVariables: 0, stage: "none") }
        var krylovVariables = 0
        let rows = response.count
        let variableCount = matrix.columns + 1
        let names = [responseName] + columnNames
        var outcomes = [Result<ProjectionOutcome, AbsorptionError>](repeating: .success(.converged(sweeps: 0)), count: variableCount)
        BLASThreads.enterSingleThreaded()
        defer { BLASThreads.leaveSingleThreaded() }
        var system: ReducedFixedEffectSystem?
        for stage in 0..<2 {
            if stage == 1 {
                let pending = outcomes.contains { if case .success(.unfinished) = $0 { true } else { false } }
                guard pending else { break }
                krylovVariables = outcomes.count { if case .success(.unfinished) = $0 { true } else { false } }
                system = ReducedFixedEffectSystem(factors: factors, weights: weights, envelopeBudget: envelopeBudget)
            }
            let reduced = system
            response.withUnsafeMutableBufferPointer { responseBuffer in
                matrix.values.withUnsafeMutableBufferPointer { designBuffer in
                    outcomes.withUnsafeMutableBufferPointer { results in
                        // Each worker touches only its own column and result slot.
                        let shared = SendablePointers(response: responseBuffer, design: designBuffer, results: results)
                        let work: @Sendable (Int) -> Void = { variable in
                            let resultsPointer = shared.results
                            let column = variable == 0
                                ? shared.response
                                : UnsafeMutableBufferPointer(rebasing: shared.design[((variable - 1) * rows)..<(variable * rows)])
                            do throws(AbsorptionError) {
                                if let reduced {
                                    guard case let .success(.unfinished(sweeps, coefficients)) = resultsPointer[variable] else { return }
                                    let total = try finish(column, name: names[variable], system: reduced, sweeps: sweeps, coefficients: coefficients)
                                    resultsPointer[variable] = .success(.converged(sweeps: total))
                                } else {
                                    resultsPointer[variable] = .success(try project(column, name: names[variable]))
                                }
                            } catch {
                                resultsPointer[variable] = .failure(error)
                            }
                        }
                        if threads <= 1 || variableCount == 1 {
                            for variable in 0..<variableCount { work(variable) }
                        } else {
                            DispatchQueue.concurrentPerform(iterations: variableCount) { work($0) }
                        }
                    }
                }
            }
        }
        var most = 0
        for outcome in outcomes {
            switch outcome {
            case let .success(.converged(sweeps)): most = max(most, sweeps)
            case let .success(.unfinished(sweeps, _)): most = max(most, sweeps)
            case let .failure(error): throw error
            }
        }
        let stage: String
        if let system {
            if let factor = system.factor {
                stage = factor.decoupledFrom < factor.first.count
                    ? "conjugate gradient, envelope factor with hub levels decoupled" : "conjugate gradient, envelope factor"
            } else {
                stage = "conjugate gradient, diagonal preconditioner"
            }
        } else {
            stage = "alternating projections"
        }
        return Report(sweeps: most, krylovVariables: krylovVariables, stage: stage)
    }

    /// Demeans one variable in place; returns the number of sweeps (plus conjugate-gradient steps).
    public func absorb(_ column: UnsafeMutableBufferPointer<Double>, name: String) throws(AbsorptionError) -> Int {
        switch try project(column, name: name) {
        case let .converged(sweeps):
            return sweeps
        case let .unfinished(sweeps, coefficients):
            let system = ReducedFixedEffectSystem(factors: factors, weights: weights, envelopeBudget: envelopeBudget)
            return try finish(column, name: name, system: system, sweeps: sweeps, coefficients: coefficients)
        }
    }

    /// One Gauss–Seidel sweep: each factor's coefficients become the weighted level means of the
    /// variable net of the other factors' current coefficients.
    func sweep(_ coefficients: inout [[Double]], column: UnsafeMutableBufferPointer<Double>, scratch: inout PartialSums) {
        for factor in 0..<factors.count { update(factor: factor, coefficients: &coefficients, column: column, scratch: &scratch) }
    }

    func update(factor target: Int, coefficients: inout [[Double]], column: UnsafeMutableBufferPointer<Double>,
                        scratch: inout PartialSums) {
        let rows = column.count
        let others = (0..<factors.count).filter { $0 != target }
        let lanes = scratch.lanes[target]
        let levelCount = factors[target].levelCount
        scratch.storage.withUnsafeMutableBufferPointer { partial in
            let partial = UnsafeMutableBufferPointer(rebasing: partial[0..<(levelCount * lanes)])
            partial.update(repeating: 0)
            factors[target].codes.withUnsafeBufferPointer { targetCodes in
                if others.count == 1 {
                    let other = others[0]
                    factors[other].codes.withUnsafeBufferPointer { otherCodes in
                        coefficients[other].withUnsafeBufferPointer { otherCoefficients in
                            Self.scatter(into: partial, lanes: lanes, codes: targetCodes, weights: weights, rows: rows) { i in
                                column[i] - otherCoefficients[Int(otherCodes[i])]
                            }
                        }
                    }
                } else if others.count == 2 {
                    // Three fixed effects, the other common case, without materialising a residual.
                    let first = others[0], second = others[1]
                    factors[first].codes.withUnsafeBufferPointer { firstCodes in
                        factors[second].codes.withUnsafeBufferPointer { secondCodes in
                            coefficients[first].withUnsafeBufferPointer { firstCoefficients in
                                coefficients[second].withUnsafeBufferPointer { secondCoefficients in
                                    Self.scatter(into: partial, lanes: lanes, codes: targetCodes, weights: weights, rows: rows) { i in
                                        column[i] - firstCoefficients[Int(firstCodes[i])] - secondCoefficients[Int(secondCodes[i])]
                                    }
                                }
                            }
                        }
                    }
                } else {
                    var residual = [Double](UnsafeBufferPointer(column))
                    for other in others {
                        factors[other].codes.withUnsafeBufferPointer { otherCodes in
                            coefficients[other].withUnsafeBufferPointer { otherCoefficients in
                                residual.withUnsafeMutableBufferPointer { r in
                                    for i in 0..<rows { r[i] -= otherCoefficients[Int(otherCodes[i])] }
                                }
                            }
                        }
                    }
                    residual.withUnsafeBufferPointer { r in
                        Self.scatter(into: partial, lanes: lanes, codes: targetCodes, weights: weights, rows: rows) { r[$0] }
                    }
                }
            }
        }
        var sums = [Double](repeating: 0, count: levelCount)
        let totals = levelWeights[target]
        for level in 0..<levelCount {
            var total = 0.0
            for lane in 0..<lanes { total += scratch.storage[level * lanes + lane] }
            sums[level] = total / totals[level]
        }
        coefficients[target] = sums
    }

    /// Adds (weighted) `value(i)` into level `codes[i]` of `partial`, spreading consecutive rows
    /// over `lanes` interleaved partial sums per level.
    ///
    /// Panels are usually sorted by unit, so consecutive rows hit the same level; with a single
    /// sum per level each addition waits on the previous one (store-to-load latency, several
    /// times the cost of the addition). Separate lanes make those additions independent.
    @inline(__always)
    private static func scatter(into partial: UnsafeMutableBufferPointer<Double>, lanes: Int, codes: UnsafeBufferPointer<Int32>,
                                weights: [Double]?, rows: Int, _ value: (Int) -> Double) {
        let mask = lanes - 1
        if let weights {
            weights.withUnsafeBufferPointer { w in
                for i in 0..<rows { partial[Int(codes[i]) &* lanes &+ (i & mask)] += w[i] * value(i) }
            }
        } else {
            for i in 0..<rows { partial[Int(codes[i]) &* lanes &+ (i & mask)] += value(i) }
        }
    }

    func subtractFitted(_ coefficients: [[Double]], from column: UnsafeMutableBufferPointer<Double>, firstRow: Int = 0) {
        for (factor, levelCoefficients) in zip(factors, coefficients) {
            factor.codes.withUnsafeBufferPointer { allCodes in
                let codes = UnsafeBufferPointer(rebasing: allCodes[firstRow..<(firstRow + column.count)])
                levelCoefficients.withUnsafeBufferPointer { c in
                    for i in 0..<column.count { column[i] -= c[Int(codes[i])] }
                }
            }
        }
    }

    /// Irons–Tuck extrapolation from x, F(x), F(F(x)); `nil` when the second difference vanishes.
    static func ironsTuck(_ x: [[Double]], _ once: [[Double]], _ twice: [[Double]]) -> [[Double]]? {
        var product = 0.0
        var squares = 0.0
        for block in 0..<x.count {
            for j in 0..<x[block].count {
                let step = twice[block][j] - once[block][j]
                let secondDifference = step - once[block][j] + x[block][j]
                product += step * secondDifference
                squares += secondDifference * secondDifference
            }
        }
        guard squares > 0, product.isFinite, squares.isFinite else { return nil }
        let ratio = product / squares
        var extrapolated = twice
        for block in 0..<x.count {
            for j in 0..<x[block].count {
                let step: Double = twice[block][j] - once[block][j]
                extrapolated[block][j] = twice[block][j] - ratio * step
            }
        }
        return extrapolated
    }

    /// The largest change of the fitted fixed-effect part between two coefficient sets, bounded by
    /// the sum over factors of the largest per-level change.
    static func maxChange(_ a: [[Double]], _ b: [[Double]]) -> Double {
        var total = 0.0
        for block in 0..<a.count {
            var largest = 0.0
            for j in 0..<a[block].count { largest = max(largest, abs(a[block][j] - b[block][j])) }
            total += largest
        }
        return total
    }

    /// The scale that makes the tolerance relative: the root mean square of the centred variable,
    /// floored so that a constant variable does not divide by zero.
    static func scale(of column: UnsafeMutableBufferPointer<Double>, weights: [Double]?) -> Double {
        var total = 0.0
        var weightSum = 0.0
        var squares = 0.0
        if let weights {
            weights.withUnsafeBufferPointer { w in
                for i in 0..<column.count {
                    total += w[i] * column[i]
                    weightSum += w[i]
                }
                let mean = weightSum > 0 ? total / weightSum : 0
                for i in 0..<column.count {
                    let deviation = column[i] - mean
                    squares += w[i] * deviation * deviation
                }
            }
        } else {
            for i in 0..<column.count { total += column[i] }
            weightSum = Double(column.count)
            let mean = weightSum > 0 ? total / weightSum : 0
            for i in 0..<column.count {
                let deviation = column[i] - mean
                squares += deviation * deviation
            }
        }
        let mean = weightSum > 0 ? total / weightSum : 0
        let rms = weightSum > 0 ? (squares / weightSum).squareRoot() : 0
        let floor: Double = max(abs(mean) * 1e-12, Double.leastNormalMagnitude)
        return max(rms, floor)
    }
}

/// Scratch space for the per-level sums of one variable's sweeps, reused across sweeps.
struct PartialSums {
    /// The interleaved partial sums per level of each factor: 4 when its levels average at least
    /// 32 rows (long runs of one level, where the dependent additions dominate), else 1. With
    /// short runs, firm identifiers on 10 years say, the extra memory traffic costs more than the
    /// lanes save (measured on the 10^7-row benchmark panel).
    let lanes: [Int]
    var storage: [Double]

    init(levelCounts: [Int], rows: Int) {
        lanes = levelCounts.map { 32 * $0 <= max(rows, 1 << 16) ? 4 : 1 }
        storage = [Double](repeating: 0, count: zip(levelCounts, lanes).map { $0 * $1 }.max() ?? 0)
    }
}

/// Buffers handed to Dispatch workers that write disjoint parts of them.
private struct SendablePointers: @unchecked Sendable {
    let response: UnsafeMutableBufferPointer<Double>
    let design: UnsafeMutableBufferPointer<Double>
    let results: UnsafeMutableBufferPointer<Result<FixedEffectAbsorber.ProjectionOutcome, AbsorptionError>>
}
