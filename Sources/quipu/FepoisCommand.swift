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
struct FepoisCommand: ParsableCommand {
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
    @OptionGroup var output: OutputOptions
    @OptionGroup var execution: ExecutionOptions

    func validate() throws {
        guard level > 0 && level < 1 else { throw ValidationError("--level must be between 0 and 1, got \(level)") }
        guard tolerance > 0 && tolerance < 1 else { throw ValidationError("--tol must be between 0 and 1, got \(tolerance)") }
        guard iterations >= 1 else { throw ValidationError("--iter must be at least 1") }
        try input.refuseOverwrite(by: [("--output", output.output)])
    }

    func run() throws {
        try reportingFailures {
            let start = DispatchTime.now()
            let formulas = try MultipleFormula.expand(formula)
            let covariance = vcov
            let clusters = covariance.clusterVariables
            var shared = Set(clusters)
            if let weights { shared.insert(weights) }
            let models = MultipleEstimation(formulas: formulas, split: splitting.sampleSplit, sharedColumns: shared)
            let (table, subsetSummary) = try rows.read(input, columns: models.columns, threads: execution.threads, demand: .poisson)
            let readStatistics = table.readStatistics
            execution.limitBLASThreads(rows: table.rowCount)
            if models.isMultiple {
                try runModelList(models, table: table, command: "fepois", output: output, execution: execution, started: start) { modelTable, formula in
                    var results = try estimate(table: modelTable, formula: formula, covariance: covariance, clusters: clusters).results
                    results.subset = subsetSummary
                    return results as any ModelReport
                }
                return
            }
            guard let parsed = formulas.variants.first?.formula else { throw CommandError("the formula gives no model") }
            let fitStart = DispatchTime.now()
            let fitted = try estimate(table: consume table, formula: parsed, covariance: covariance, clusters: clusters)
            var results = fitted.results
            results.subset = subsetSummary
            let fitSeconds = FeolsCommand.seconds(since: fitStart)
            switch output.format {
            case .text: try output.emit(results.text)
            case .json: try output.emit(results.json.serialized() + "\n")
            case .markdown: try output.emit(results.markdown)
            case .latex: try output.emit(results.latex)
            case .csv: try output.emit(results.csv)
            }
            execution.reportTimings(started: start, stages: [
                ("read", readStatistics.seconds), ("fit", fitSeconds), ("frame", fitted.frameSeconds),
                ("estimate", fitted.solveSeconds), ("vcov", fitted.covarianceSeconds),
            ], extra: [
                ("read_bytes", .integer(readStatistics.bytes)), ("irls_iterations", .integer(fitted.iterations)),
                ("absorption_sweeps", .integer(fitted.absorptionSweeps)),
            ])
        }
    }

    /// One Poisson fit's results and timings.
    struct Estimate {
        let results: PoissonTable
        let frameSeconds: Double, solveSeconds: Double, covarianceSeconds: Double
        let iterations: Int, absorptionSweeps: Int
    }

    /// Builds the frame of `formula` from `table` (consumed, so its columns are freed as the frame
    /// takes them over), fits it and computes the covariance; separation is warned about.
    func estimate(table: consuming DataTable, formula: ModelFormula, covariance: CovarianceType, clusters: [String]) throws -> Estimate {
        let frameStart = DispatchTime.now()
        let frame = try ModelFrame(table: table, formula: formula,
                                   options: ModelFrameOptions(weights: weights, clusters: clusters,
                                                              removeSingletons: !fixedEffects.keepSingletons))
        let frameSeconds = FeolsCommand.seconds(since: frameStart)
        let solveStart = DispatchTime.now()
        let fit = try PoissonModel.fit(consume frame, options: PoissonModelOptions(
            tolerance: tolerance, maxIterations: iterations, fixedEffectTolerance: fixedEffects.fixefTolerance,
            fixedEffectMaxIterations: fixedEffects.fixefIterations, checkSeparation: separation == .relu, threads: execution.threads,
            collinearityTolerance: fixedEffects.collinearityTolerance))
        let solveSeconds = FeolsCommand.seconds(since: solveStart)
        let covarianceStart = DispatchTime.now()
        let estimate = try fit.covariance(covariance)
        let covarianceSeconds = FeolsCommand.seconds(since: covarianceStart)
        // fepois keeps the normal for its tests, as fixest and pyfixest do for GLMs; the warning
        // still applies (the wild bootstrap is feols's: check the linear model of the same design).
        warnOfFewClusters(estimate, covariance: covariance, check: "quipu feols with the same formula and --bootstrap wild",
                          distribution: "the normal distribution (as fixest for Poisson models)")
        let results = PoissonTable(fit: fit, covariance: estimate, weights: weights, confidenceLevel: level)
        // Separated rows, or a separation check without an answer (never both: a check that
        // stopped drops nothing as separated), by the diagnostics' codes.
        for diagnostic in fit.separationDiagnostics where [.separation, .separationUnchecked].contains(diagnostic.code) {
            warn("\(formula.response.name): " + diagnostic.message)
        }
        return Estimate(results: results, frameSeconds: frameSeconds, solveSeconds: solveSeconds,
                        covarianceSeconds: covarianceSeconds, iterations: fit.iterations, absorptionSweeps: fit.absorptionSweeps)
    }
}
