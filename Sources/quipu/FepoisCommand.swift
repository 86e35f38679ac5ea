import ArgumentParser
import Dispatch
import Estimation
import Formula
import Foundation
import Inference
import PanelData
import Primitives
import Reporting

/// `quipu fepois`: Poisson pseudo-maximum likelihood with absorbed fixed effects, as fixest's
/// `fepois` and ppmlhdfe, for outcomes with many zeros (export values, counts).
struct FepoisCommand: ParsableCommand, RegressionCommand {
    static let configuration = CommandConfiguration(
        commandName: "fepois",
        abstract: "Fixed-effects Poisson (PPML): y ~ x1 + x2 | fe1 + fe2, keeping the zeros of y; effects also as % changes.",
        discussion: """
            Example:
              quipu fepois --data Datasets/peru-natural-ingredients/peru.csv \\
                --formula "export_eu ~ cbi_treated | firm_id + year" --vcov cluster:firm_id

            Rows of fixed-effect groups whose outcome is zero throughout are dropped and counted; \
            separated rows (a regressor combination that predicts y = 0 perfectly) are found by \
            ppmlhdfe's rectifier check, dropped, counted and the regressors named.
            """
    )

    @OptionGroup var input: DataOptions
    @OptionGroup var rows: SubsetOptions

    @Option(name: .long, help: "fixest-style formula, e.g. \"exports ~ treat + x | firm + year\"; c(y1, y2) ~ ..., sw(x1, x2) and csw(x1, x2) estimate several models.")
    var formula: String

    @Option(name: .long, help: "Covariance: iid (default, the inverse Hessian), hetero, cluster:VAR or cluster:VAR1+VAR2.", transform: CovarianceType.parsing)
    var vcov: CovarianceType = .iid

    @Option(name: .long, help: "Column of observation weights (positive; zero weights drop the row).")
    var weights: String?

    @Option(name: .long, help: "Confidence level of the intervals.")
    var level: Double = 0.95

    @Option(name: .customLong("tol"), help: "IRLS convergence tolerance on the relative change in deviance (fixest's glm.tol).")
    var tolerance: Double = 1e-8

    @Option(name: .customLong("iter"), help: "Most IRLS iterations.")
    var iterations: Int = 100

    @Option(name: .long, help: "Separation check: relu (default, ppmlhdfe's rectifier) or none.")
    var separation: SeparationCheck = .relu

    @OptionGroup var fixedEffects: FixedEffectOptions

    @OptionGroup var splitting: SplitOptions
    @OptionGroup var testing: MultipleTestingOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var execution: ExecutionOptions

    static let commandName = "fepois"
    static let memoryDemand = MemoryDemand.poisson

    func validate() throws {
        try validateRegression {
            guard tolerance > 0 && tolerance < 1 else { throw ValidationError("--tol must be between 0 and 1, got \(tolerance)") }
            guard iterations >= 1 else { throw ValidationError("--iter must be at least 1") }
        }
    }

    func run() throws {
        try runRegression()
    }

    func clusterColumns(for covariance: CovarianceType) throws -> [String] {
        covariance.clusterVariables
    }

    /// Fits `frame` by Poisson pseudo-maximum likelihood and computes the covariance; separation
    /// is warned about.
    func fit(frame: consuming ModelFrame, formula: ModelFormula, covariance: CovarianceType, clusters: [String]) throws -> RegressionEstimate {
        let solveStart = DispatchTime.now()
        let fit = try PoissonModel.fit(consume frame, options: PoissonModelOptions(
            tolerance: tolerance, maxIterations: iterations, fixedEffectTolerance: fixedEffects.fixefTolerance,
            fixedEffectMaxIterations: fixedEffects.fixefIterations, checkSeparation: separation == .relu, threads: execution.threads,
            collinearityTolerance: fixedEffects.collinearityTolerance))
        let solveSeconds = ExecutionOptions.seconds(from: solveStart)
        let covarianceStart = DispatchTime.now()
        let estimate = try fit.covariance(covariance)
        let covarianceSeconds = ExecutionOptions.seconds(from: covarianceStart)
        // fepois keeps the normal for its tests, as fixest and pyfixest do for GLMs; the warning
        // still applies (the wild bootstrap is feols's: check the linear model of the same design).
        warnOfFewClusters(estimate, covariance: covariance, check: "quipu feols with the same formula and --bootstrap wild",
                          distribution: "the normal distribution (as fixest for Poisson models)")
        let results = CoefficientTable(fit: fit, covariance: estimate, weights: weights, confidenceLevel: level)
        // Separated rows, or a separation check without an answer (never both: a check that
        // stopped drops nothing as separated), by the diagnostics' codes.
        for diagnostic in fit.separationDiagnostics where [.separation, .separationUnchecked].contains(diagnostic.code) {
            warn("\(formula.response.name): " + diagnostic.message)
        }
        return RegressionEstimate(results: results, solveSeconds: solveSeconds, covarianceSeconds: covarianceSeconds, timingCounts: [
            ("irls_iterations", .integer(fit.iterations)), ("absorption_sweeps", .integer(fit.absorptionSweeps)),
        ])
    }
}
