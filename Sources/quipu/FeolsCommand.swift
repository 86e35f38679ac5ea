import ArgumentParser
import Dispatch
import Estimation
import Formula
import Foundation
import Inference
import PanelData
import Reporting
import Primitives

/// `quipu feols`: least squares with absorbed fixed effects, as fixest's `feols`.
struct FeolsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feols",
        abstract: "Fixed-effects OLS: y ~ x1 + x2 | fe1 + fe2, with iid, hetero or clustered standard errors."
    )

    @OptionGroup var input: DataOptions
    @OptionGroup var rows: SubsetOptions

    @Option(name: .long, help: "fixest-style formula, e.g. \"y ~ treat + x | firm + year\"; c(y1, y2) ~ ..., sw(x1, x2) and csw(x1, x2) estimate several models.")
    var formula: String

    @Option(name: .long, help: "Covariance: iid (default, as fixest 0.13), hetero, cluster:VAR or cluster:VAR1+VAR2.", transform: CovarianceType.parsing)
    var vcov: CovarianceType = .iid

    @Option(name: .long, help: "Column of analytic weights (positive; zero weights drop the row).")
    var weights: String?

    @Option(name: .long, help: "Confidence level of the intervals.")
    var level: Double = 0.95

    @OptionGroup var fixedEffects: FixedEffectOptions

    @OptionGroup var splitting: SplitOptions
    @OptionGroup var resampling: BootstrapOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var execution: ExecutionOptions

    func validate() throws {
        guard level > 0 && level < 1 else { throw ValidationError("--level must be between 0 and 1, got \(level)") }
        try input.refuseOverwrite(by: [("--output", output.output)])
    }

    func run() throws {
        try reportingFailures {
            let start = DispatchTime.now()
            let formulas = try MultipleFormula.expand(formula)
            let covariance = vcov
            let clusters = try clusterVariables(for: covariance)
            var shared = Set(clusters)
            if let weights { shared.insert(weights) }
            let models = MultipleEstimation(formulas: formulas, split: splitting.sampleSplit, sharedColumns: shared)
            let (table, subsetSummary) = try rows.read(input, columns: models.columns, threads: execution.threads, demand: .leastSquares)
            let readStatistics = table.readStatistics
            execution.limitBLASThreads(rows: table.rowCount)
            if models.isMultiple {
                // Several models: a model that cannot be fitted (a split level too small, an outcome
                // constant in a subgroup) is reported as failed and the others kept.
                try runModelList(models, table: table, command: "feols", output: output, execution: execution, started: start) { modelTable, formula in
                    var results = try estimate(table: modelTable, formula: formula, covariance: covariance, clusters: clusters).results
                    results.subset = subsetSummary
                    return results as any ModelReport
                }
                return
            }
            guard let parsed = formulas.variants.first?.formula else { throw CommandError("the formula gives no model") }
            let fitStart = DispatchTime.now()
            // `consume` ends the table here, so its columns are freed as the frame takes them over.
            let fitted = try estimate(table: consume table, formula: parsed, covariance: covariance, clusters: clusters)
            let fitSeconds = Self.seconds(since: fitStart)
            var results = fitted.results
            results.subset = subsetSummary
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
                ("read_bytes", .integer(readStatistics.bytes)), ("absorption_sweeps", .integer(fitted.absorptionIterations)),
                ("absorption_stage", fitted.absorptionStage.map(JSONValue.string) ?? .null), ("solver", .string(fitted.solver)),
            ])
        }
    }

    static func seconds(since start: DispatchTime) -> Double {
        ExecutionOptions.seconds(from: start)
    }
}

