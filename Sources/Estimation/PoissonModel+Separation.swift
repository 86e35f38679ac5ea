// Separation in Poisson models: a combination of the regressors (and fixed effects) that is zero
// where y > 0 and non-negative, positive somewhere, where y = 0. Along it the likelihood keeps
// rising as the coefficients go to ±∞, so the estimates do not exist (Santos Silva & Tenreyro
// 2010); the observations where the combination is positive are the "separated" ones, and
// dropping them leaves a model whose estimates exist and equal those of the remaining
// coefficients (Correia, Guimarães & Zylkin 2021, "Verifying the existence of maximum likelihood
// estimates for generalized linear models", arXiv:1903.01633, §3).
//
// Goals, in order:
// 1. Detection without false positives, by their iterative rectifier ("ReLU") check, the one
//    ppmlhdfe and pyfixest's `separation_check=["ir"]` use, so that the separated rows dropped are
//    the same as theirs. The rows where y = 0 get the target U = 1; least squares of U on the
//    regressors and fixed effects, with a weight so large on the rows where y > 0 that the fit is
//    pinned to zero there, gives Û; negative values of Û are set to zero (the rectifier) and the
//    fit repeated until Û ≥ 0 everywhere. The rows with Û > 0 are then separated.
// 2. A useful message: the regressors that make up the separating combination are named.
// 3. Speed: the weights do not change between rectifier iterations, so the design is demeaned
//    once and only U again each time. Without separation the check ends after one fit.
// 4. A bounded check that never aborts a fit: the weights (1 against n/tol²) make some absorptions
//    all but singular (firms exporting only early joined to those exporting only late through
//    rows where y = 0), where no number of sweeps converges. The check stops when one absorption
//    needs more than --fixef-iter sweeps, after 10 × --fixef-iter sweeps in all, or after 100
//    rectifier iterations, and the model is then fitted without it, as with
//    --separation none, with a note saying what was not checked (fixest, whose default check
//    looks only at all-zero fixed-effect groups, fits these models).

import LinearAlgebra

/// The observations separation removes, and why.
struct SeparationResult {
    /// Observations to keep, or nil when none is separated.
    var keep: [Bool]?
    /// The number of separated observations.
    var count: Int
    /// The regressors in the separating combination (empty if it lies in the fixed effects).
    var regressors: [String]
    /// Why the check stopped without an answer, when it did (nothing is then dropped).
    var unsettled: String? = nil

    static let none = SeparationResult(keep: nil, count: 0, regressors: [])

    /// The check gave no answer, for `reason`; the fit goes on without it.
    static func unsettled(_ reason: String) -> SeparationResult {
        SeparationResult(keep: nil, count: 0, regressors: [], unsettled: reason)
    }
}

extension PoissonModel {
    /// Classification tolerance of Û (ppmlhdfe's and pyfixest's 1e-4): values in (−tol/10, tol)
    /// count as zero, stricter below zero so that rounding does not create separation.
    static let separationTolerance = 1e-4
    /// The most rectifier iterations.
    static let separationMaxIterations = 100
    /// The check's fixed-effect sweeps in all, as a multiple of --fixef-iter (one absorption's
    /// limit): a bound on its time, where 100 iterations could otherwise take 100 times one
    /// absorption's worst case.
    static let separationSweepBudgetFactor = 10

    /// Runs the rectifier check on the sample; `.unsettled` when it stops without an answer.
    static func separatedObservations(_ sample: PoissonSample, options: PoissonModelOptions) -> SeparationResult {
        let rows = sample.count
        let boundary = sample.response.map { $0 == 0 }
        let boundaryCount = boundary.reduce(0) { $0 + ($1 ? 1 : 0) }
        // With no regressor and a single fixed effect, separation is exactly an all-zero group,
        // already removed.
        guard boundaryCount > 0, sample.design.columns > 0 || sample.fixedEffects.count > 1 else { return .none }
        let tolerance = separationTolerance
        let interiorWeight = Double(max(rows - boundaryCount, 1)) / (tolerance * tolerance)
        let weights = boundary.map { $0 ? 1.0 : interiorWeight }
        let roots = weights.map { $0.squareRoot() }
        var absorber = FixedEffectAbsorber(factors: sample.fixedEffects, weights: weights,
                                           tolerance: options.fixedEffectTolerance, maxIterations: options.fixedEffectMaxIterations)
        // The sweeps left to the whole check, over every rectifier iteration; one absorption may
        // use --fixef-iter of them.
        let sweepBudget = options.fixedEffectMaxIterations.multipliedReportingOverflow(by: separationSweepBudgetFactor)
        var sweepsLeft = sweepBudget.overflow ? Int.max : sweepBudget.partialValue
        var demeaned = sample.design
        var target = boundary.map { $0 ? 1.0 : 0.0 }
        var weightedDesign = demeaned

        for iteration in 0..<separationMaxIterations {
            var demeanedTarget = target
            let budgetExhausted = "its rectifier used up the \(separationSweepBudgetFactor) × --fixef-iter fixed-effect sweeps it may use in all, in \(iteration + 1) iterations"
            guard sweepsLeft > 0 || sample.fixedEffects.isEmpty else { return .unsettled(budgetExhausted) }
            absorber.maxIterations = min(options.fixedEffectMaxIterations, sweepsLeft)
            do throws(AbsorptionError) {
                if iteration == 0 {
                    sweepsLeft -= try absorber.absorb(response: &demeanedTarget, responseName: "separation check", design: &demeaned,
                                                      columnNames: sample.columnNames, threads: options.threads)
                    weightedDesign = demeaned
                    for column in 0..<weightedDesign.columns {
                        for index in 0..<rows { weightedDesign.values[column * rows + index] *= roots[index] }
                    }
                } else if !sample.fixedEffects.isEmpty {
                    sweepsLeft -= try demeanedTarget.withUnsafeMutableBufferPointer { buffer throws(AbsorptionError) in
                        try absorber.absorb(buffer, name: "separation check")
                    }
                }
            } catch {
                return .unsettled(absorber.maxIterations < options.fixedEffectMaxIterations
                    ? budgetExhausted
                    : "its fixed-effect absorption did not converge within \(options.fixedEffectMaxIterations) sweeps (--fixef-iter)")
            }
            var residuals = demeanedTarget
            var coefficients = [Double]()
            if weightedDesign.columns > 0 {
                let weightedTarget = (0..<rows).map { demeanedTarget[$0] * roots[$0] }
                // The check's weights are its own device, not a model's, so collinearity is judged scale-free
                // (loosely with two or more fixed effects, whose demeaned columns carry the absorption's tolerance).
                let rule = CollinearityRule.scaledResidual(sample.fixedEffects.count > 1 ? 1e-5 : 1e-11)
                do {
                    let solution = try LinearModel.solve(design: weightedDesign, response: weightedTarget, rule: rule)
                    coefficients = [Double](repeating: 0, count: weightedDesign.columns)
                    for (position, column) in solution.keptColumns.enumerated() { coefficients[column] = solution.coefficients[position] }
                    try demeaned.subtractProduct(coefficients, from: &residuals)
                } catch {
                    return .unsettled("its least squares failed (\(error))")
                }
            }
            var fitted = [Double](repeating: 0, count: rows)
            var allNonNegative = true
            for index in 0..<rows where boundary[index] {
                let value = target[index] - residuals[index]
                let rounded = value > -0.1 * tolerance && value < tolerance ? 0 : value
                fitted[index] = rounded
                if rounded < 0 { allNonNegative = false }
            }
            if allNonNegative {
                let separated = fitted.map { $0 > 0 }
                let count = separated.reduce(0) { $0 + ($1 ? 1 : 0) }
                guard count > 0 else { return .none }
                return SeparationResult(keep: separated.map { !$0 }, count: count,
                                        regressors: separatingRegressors(sample, coefficients: coefficients, separated: separated, fitted: fitted))
            }
            for index in 0..<rows where boundary[index] { target[index] = max(fitted[index], 0) }
        }
        return .unsettled("its rectifier did not settle within \(separationMaxIterations) iterations")
    }

    /// The regressors whose coefficient in the last rectifier fit moves Û on the separated rows by
    /// more than a thousandth of its largest value there.
    static func separatingRegressors(_ sample: PoissonSample, coefficients: [Double], separated: [Bool], fitted: [Double]) -> [String] {
        let rows = sample.count
        let largest = zip(fitted, separated).filter(\.1).map(\.0).max() ?? 0
        guard largest > 0 else { return [] }
        return coefficients.indices.compactMap { column in
            var reach = 0.0
            for index in 0..<rows where separated[index] {
                reach = max(reach, abs(coefficients[column] * sample.design.values[column * rows + index]))
            }
            let name = sample.columnNames[column]
            return reach > 1e-3 * largest && name != "(Intercept)" ? name : nil
        }
    }
}
