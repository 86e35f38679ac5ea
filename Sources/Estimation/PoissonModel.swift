// Poisson pseudo-maximum likelihood with fixed effects (fixest's `fepois`, ppmlhdfe).
//
// Goals, in order:
// 1. Agreement with pyfixest 0.60 / fixest 0.13 `fepois`: the same estimation sample (missing
//    values, zero weights and fixed-effect singletons dropped by the frame, then the rows of
//    fixed-effect groups whose outcome is all zero), the same coefficients, and the same
//    covariance conventions (CovarianceEstimator+Likelihood.swift).
// 2. No silent divergence: separation (Santos Silva & Tenreyro 2010, "On the existence of the
//    maximum likelihood estimates in Poisson regression") is detected before the IRLS starts and
//    the separated rows dropped and counted, as ppmlhdfe does (PoissonModel+Separation.swift).
//    Outcomes Poisson cannot take (negative) or cannot identify anything from (all zero) are
//    refused with the column's name.
// 3. Speed: the IRLS (Santos Silva & Tenreyro 2006; Correia, Guimarães & Zylkin 2020, "ppmlhdfe:
//    Fast Poisson estimation with high-dimensional fixed effects", Stata Journal 20(1)) reuses the
//    weighted fixed-effect absorption of `feols`, warm-started between iterations
//    (PoissonModel+IRLS.swift).

import Inference
import LinearAlgebra

/// Options for a Poisson fit.
public struct PoissonModelOptions: Sendable {
    /// Convergence tolerance on the relative change in deviance, |D − D₀| / (0.1 + |D|), as
    /// fixest's `glm.tol` and pyfixest's `iwls_tol` (1e-8).
    public var tolerance: Double
    /// The most IRLS iterations before giving up with an error.
    public var maxIterations: Int
    /// Relative convergence tolerance of each fixed-effect absorption.
    public var fixedEffectTolerance: Double
    /// The most absorption sweeps per variable and iteration.
    public var fixedEffectMaxIterations: Int
    /// Look for separation among the regressors (the rectifier check) before fitting.
    public var checkSeparation: Bool
    /// Threads for absorbing variables in parallel.
    public var threads: Int
    /// fixest's `collin.tol` on the IRLS-weighted cross-product (pyfixest's `fepois` default 1e-9).
    public var collinearityTolerance: Double

    /// Creates options with fixest-like defaults. The iteration cap (100) is above fixest's 25
    /// because the stopping rule, not the cap, decides the estimates: a slow but converging fit
    /// should not fail.
    public init(tolerance: Double = 1e-8, maxIterations: Int = 100, fixedEffectTolerance: Double = 1e-8,
                fixedEffectMaxIterations: Int = 10_000, checkSeparation: Bool = true, threads: Int = 2,
                collinearityTolerance: Double = 1e-9) {
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.fixedEffectTolerance = fixedEffectTolerance
        self.fixedEffectMaxIterations = fixedEffectMaxIterations
        self.checkSeparation = checkSeparation
        self.threads = threads
        self.collinearityTolerance = collinearityTolerance
    }
}

/// Fits Poisson models by pseudo-maximum likelihood with absorbed fixed effects.
public enum PoissonModel {
    /// Fits the model described by `frame`.
    public static func fit(_ frame: consuming ModelFrame, options: PoissonModelOptions = .init()) throws(EstimationError) -> PoissonModelFit {
        let formula = frame.formula.source
        let designNotes = frame.designNotes
        let responseName = frame.responseName
        var accounting = frame.sampleAccounting
        try LinearModel.checkMagnitudes(frame)
        // The IRLS alternates short BLAS calls (N × k products, k small) with the absorption's
        // Dispatch workers; OpenBLAS's own threads would spin between the calls and take cores
        // from those workers (a fifth of the time at 10^6 rows, measured with perf).
        BLASThreads.enterSingleThreaded()
        defer { BLASThreads.leaveSingleThreaded() }
        var sample = PoissonSample(frame: frame)
        try checkOutcome(sample, name: responseName)

        var droppedAllZero = 0
        if let keep = sample.allZeroGroupMask() {
            droppedAllZero = keep.reduce(0) { $0 + ($1 ? 0 : 1) }
            guard droppedAllZero < sample.count else {
                throw EstimationError("outcome '\(responseName)' is zero throughout every fixed-effect group: all \(sample.count) observations dropped, nothing left to estimate")
            }
            sample.keep(keep)
        }
        var separation = SeparationResult.none
        if options.checkSeparation {
            separation = separatedObservations(sample, options: options)
            if let keep = separation.keep {
                sample.keep(keep)
                try checkOutcome(sample, name: responseName)
            }
        }
        let hasIntercept = !sample.fixedEffects.isEmpty || sample.columnNames.first == "(Intercept)"
        let result = try iterate(&sample, responseName: responseName, options: options)
        let redundantFixedEffects = FixedEffectRedundancy.redundantCount(sample.fixedEffects)
        let fixedEffectParameters = sample.fixedEffects.isEmpty
            ? 0 : sample.fixedEffects.reduce(0) { $0 + $1.levelCount } - redundantFixedEffects
        let likelihood = PoissonLikelihood(response: sample.response, fitted: result.fitted, weights: sample.weights)
        // Poisson's own reasons to drop rows, after the frame's.
        accounting.allZeroGroups = droppedAllZero
        accounting.separated = separation.count
        accounting.rowsUsed = sample.count
        let core = FittedModelCore(
            formula: formula, responseName: responseName,
            coefficientNames: result.keptColumns.map { sample.columnNames[$0] },
            collinearNames: result.droppedColumns.map { sample.columnNames[$0] },
            absorbedNames: result.absorbedColumns.map { sample.columnNames[$0] },
            coefficients: result.coefficients, bread: result.bread,
            weightedDesign: result.weightedDesign, weightedResiduals: result.weightedResiduals, sample: accounting,
            fixedEffects: sample.fixedEffects, clusterVariables: sample.clusterVariables,
            hasIntercept: hasIntercept, isWeighted: sample.weights != nil,
            fixedEffectParameters: fixedEffectParameters, redundantFixedEffects: redundantFixedEffects,
            designNotes: designNotes, sourceRows: sample.sourceRows)
        return PoissonModelFit(
            core: core, separatingRegressors: separation.regressors,
            deviance: likelihood.deviance, nullDeviance: likelihood.nullDeviance,
            logLikelihood: likelihood.logLikelihood, nullLogLikelihood: likelihood.nullLogLikelihood,
            iterations: result.iterations, absorptionSweeps: result.absorptionSweeps,
            separationUnchecked: separation.unsettled)
    }

    /// Refuses outcomes Poisson cannot take: negative values (the likelihood is undefined) and an
    /// outcome that is zero throughout (every coefficient would be −∞).
    static func checkOutcome(_ sample: PoissonSample, name: String) throws(EstimationError) {
        var negatives = 0
        var smallest = 0.0
        var positives = 0
        for value in sample.response {
            if value < 0 {
                negatives += 1
                smallest = min(smallest, value)
            } else if value > 0 {
                positives += 1
            }
        }
        if negatives > 0 {
            throw EstimationError("outcome '\(name)' has \(negatives) negative \(negatives == 1 ? "value" : "values") (smallest \(smallest)) in the estimation sample: Poisson regression needs an outcome ≥ 0 (counts, or non-negative amounts such as export values)")
        }
        if positives == 0 {
            throw EstimationError("outcome '\(name)' is zero in all \(sample.count) observations of the estimation sample: a Poisson model has nothing to fit (every coefficient would be −∞)")
        }
    }
}
