import ArgumentParser
import Dispatch
import Estimation
import Formula
import Foundation
import Inference
import PanelData
import Reporting

/// `quipu feols`: least squares with absorbed fixed effects, as fixest's `feols`.
struct FeolsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feols",
        abstract: "Fixed-effects OLS: y ~ x1 + x2 | fe1 + fe2, with iid, hetero or clustered standard errors."
    )

    @OptionGroup var input: DataOptions
    @OptionGroup var rows: SubsetOptions

    @Option(name: .long, help: "fixest-style formula, e.g. \"y ~ treat + x | firm + year\".")
    var formula: String

    @Option(name: .long, help: "Covariance: iid (default, as fixest 0.13), hetero, cluster:VAR or cluster:VAR1+VAR2.")
    var vcov: String = "iid"

    @Option(name: .long, help: "Column of analytic weights (positive; zero weights drop the row).")
    var weights: String?

    @Option(name: .long, help: "Confidence level of the intervals.")
    var level: Double = 0.95

    @Option(name: .customLong("fixef-tol"), help: "Convergence tolerance of the fixed-effect absorption.")
    var fixefTolerance: Double = 1e-8

    @Option(name: .customLong("fixef-iter"), help: "Most sweeps of the fixed-effect absorption.")
    var fixefIterations: Int = 10_000

    @Flag(name: .customLong("keep-singletons"), help: "Keep fixed-effect singletons (removed by default, as in fixest 0.13).")
    var keepSingletons = false

    @OptionGroup var resampling: BootstrapOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var execution: ExecutionOptions

    func validate() throws {
        guard level > 0 && level < 1 else { throw ValidationError("--level must be between 0 and 1, got \(level)") }
        guard fixefTolerance > 0 else { throw ValidationError("--fixef-tol must be positive") }
        guard fixefIterations >= 1 else { throw ValidationError("--fixef-iter must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            let start = DispatchTime.now()
            let parsed = try ModelFormula.parse(formula)
            let covariance = try CovarianceType(parsing: vcov)
            var clusters = covariance.clusterVariables
            if resampling.bootstrap != nil {
                guard let first = resampling.bootCluster ?? clusters.first else {
                    throw CommandError("--bootstrap needs clusters: use --vcov cluster:VAR or --boot-cluster VAR")
                }
                if !clusters.contains(first) { clusters.append(first) }
            }
            var needed = parsed.variables.union(clusters)
            if let weights { needed.insert(weights) }
            let (table, subsetSummary) = try rows.read(input, columns: needed, threads: execution.threads)
            let readStatistics = table.readStatistics
            execution.limitBLASThreads(rows: table.rowCount)
            let fitStart = DispatchTime.now()
            // `consume` ends the table here, so its columns are freed as the frame takes them over.
            let frame = try ModelFrame(table: consume table, formula: parsed,
                                       options: ModelFrameOptions(weights: weights, clusters: clusters,
                                                                  removeSingletons: !keepSingletons))
            let frameSeconds = Self.seconds(since: fitStart)
            let solveStart = DispatchTime.now()
            // The bootstraps need the frame before absorption: pairs re-estimates on resampled
            // copies, wild re-estimates non-nested fixed effects in each draw.
            let bootstrapFrame: ModelFrame? = resampling.bootstrap != nil ? frame : nil
            let fit = try LinearModel.fit(consume frame, options: LinearModelOptions(
                fixedEffectTolerance: fixefTolerance, fixedEffectMaxIterations: fixefIterations, threads: execution.threads))
            let solveSeconds = Self.seconds(since: solveStart)
            let covarianceStart = DispatchTime.now()
            let estimate = try fit.covariance(covariance)
            let covarianceSeconds = Self.seconds(since: covarianceStart)
            var results = CoefficientTable(fit: fit, covariance: estimate, weights: weights, confidenceLevel: level)
            results.subset = subsetSummary
            if resampling.bootstrap != nil {
                let runner = BootstrapRunner(options: resampling, covariance: covariance, level: level, threads: execution.threads)
                results.bootstraps = try runner.run(fit: fit, frame: bootstrapFrame)
                if let (restriction, test) = try runner.restrictionTest(fit: fit, frame: bootstrapFrame) {
                    results.restrictionTest = (restriction.description, BootstrapSummary(
                        method: "wild", weights: resampling.bootWeights.rawValue, replicates: test.replicates, seed: resampling.seed,
                        imposeNull: resampling.imposeNull, fullEnumeration: test.fullEnumeration, pValue: test.pValue, standardError: nil,
                        confidenceLow: test.confidenceLow, confidenceHigh: test.confidenceHigh,
                        cluster: resampling.bootCluster ?? covariance.clusterVariables.first ?? ""))
                }
            }
            let fitSeconds = Self.seconds(since: fitStart)
            switch output.format {
            case .text: try output.emit(results.text)
            case .json: try output.emit(results.json.serialized() + "\n")
            case .markdown: try output.emit(results.markdown)
            case .latex: try output.emit(results.latex)
            case .csv: try output.emit(results.csv)
            }
            if execution.timings {
                let timings = JSONValue.object([("timings", .object([
                    ("read_seconds", .number(readStatistics.seconds)), ("read_bytes", .integer(readStatistics.bytes)),
                    ("fit_seconds", .number(fitSeconds)), ("frame_seconds", .number(frameSeconds)),
                    ("estimate_seconds", .number(solveSeconds)), ("vcov_seconds", .number(covarianceSeconds)),
                    ("total_seconds", .number(Self.seconds(since: start))),
                    ("absorption_sweeps", .integer(fit.absorptionIterations)), ("solver", .string(fit.method.rawValue)),
                ]))])
                FileHandle.standardError.write(Data((timings.compact() + "\n").utf8))
            }
        }
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}

