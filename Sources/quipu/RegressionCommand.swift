import ArgumentParser
import Dispatch
import Estimation
import Formula
import Inference
import PanelData
import Primitives
import Reporting

/// What `quipu feols` and `quipu fepois` share: the options every regression takes and the path
/// from the command line to the written table (expand the formula, read the columns once, fit one
/// model or a list of them, write the format asked for, report the timings). Each command adds
/// only its own fit, as pyfixest's `Fepois` adds to `Feols` only what Poisson changes.
protocol RegressionCommand {
    var input: DataOptions { get }
    var rows: SubsetOptions { get }
    var formula: String { get }
    var vcov: CovarianceType { get }
    var weights: String? { get }
    var level: Double { get }
    var fixedEffects: FixedEffectOptions { get }
    var splitting: SplitOptions { get }
    var testing: MultipleTestingOptions { get }
    var output: OutputOptions { get }
    var execution: ExecutionOptions { get }
    /// The command's name, as the model list and the memory check write it.
    static var commandName: String { get }
    /// How much memory a fit needs per byte of its columns.
    static var memoryDemand: MemoryDemand { get }
    /// The cluster columns the fit needs (the covariance's, and a bootstrap's).
    func clusterColumns(for covariance: CovarianceType) throws -> [String]
    /// Fits the model of `formula` on `frame` (consumed, so that the fit can free its columns) and
    /// computes its covariance.
    func fit(frame: consuming ModelFrame, formula: ModelFormula, covariance: CovarianceType, clusters: [String]) throws -> RegressionEstimate
    /// How the `--adjust` family's bootstrap is run, for the adjusted p-values' note; nil when none is.
    var familyBootstrapDescription: String? { get }
}

/// A fitted model's table and where its time went.
struct RegressionEstimate {
    var results: CoefficientTable
    var frameSeconds = 0.0
    var solveSeconds: Double
    var covarianceSeconds: Double
    /// The fit's own counts for `--timings`, after `read_bytes`.
    var timingCounts: [(String, JSONValue)]
    /// The wild bootstrap of the `--adjust` family's coefficients, when Romano–Wolf or
    /// Westfall–Young need it.
    var familyBootstrap: FamilyBootstrap? = nil
}

extension RegressionCommand {
    /// How the family's bootstrap was run, for the adjusted p-values' note (feols says).
    var familyBootstrapDescription: String? { nil }

    /// The checks every regression command makes of its options, with the model's own checks
    /// after the level's.
    func validateRegression(modelChecks: () throws -> Void = {}) throws {
        guard level > 0 && level < 1 else { throw ValidationError("--level must be between 0 and 1, got \(level)") }
        try modelChecks()
        try testing.validate(formula: formula, split: splitting.sampleSplit, leastSquares: Self.commandName == "feols",
                             clusters: (try? clusterColumns(for: vcov)) ?? [])
        try input.refuseOverwrite(by: [("--output", output.output)])
    }

    /// Reads the data, fits the model or models of `formula` and writes the results.
    func runRegression() throws {
        try reportingFailures {
            let start = DispatchTime.now()
            let formulas = try MultipleFormula.expand(formula)
            let covariance = vcov
            let clusters = try clusterColumns(for: covariance)
            var shared = Set(clusters)
            if let weights { shared.insert(weights) }
            let models = MultipleEstimation(formulas: formulas, split: splitting.sampleSplit, sharedColumns: shared)
            let (table, subsetSummary) = try rows.read(input, columns: models.columns, threads: execution.threads, demand: Self.memoryDemand)
            let readStatistics = table.readStatistics
            execution.limitBLASThreads(rows: table.rowCount)
            if models.isMultiple {
                // Several models: a model that cannot be fitted (a split level too small, an outcome
                // constant in a subgroup) is reported as failed and the others kept.
                // One slot per model, in order, filled when its fit succeeds.
                var familyBootstraps = [FamilyBootstrap?]()
                try runModelList(models, table: table, command: Self.commandName, output: output, execution: execution, started: start,
                                 adjust: testing.adjust.map { adjust in { list in
                                     try list.adjustedPValues(methods: adjust.methods, term: testing.term, bootstraps: familyBootstraps,
                                                              bootstrapDescription: familyBootstrapDescription)
                                 } }) { modelTable, formula in
                    familyBootstraps.append(nil)
                    let fitted = try estimate(table: modelTable, formula: formula, covariance: covariance, clusters: clusters)
                    familyBootstraps[familyBootstraps.count - 1] = fitted.familyBootstrap
                    var results = fitted.results
                    results.subset = subsetSummary
                    return results
                }
                return
            }
            guard let parsed = formulas.variants.first?.formula else { throw CommandError("the formula gives no model") }
            let fitStart = DispatchTime.now()
            // `consume` ends the table here, so its columns are freed as the frame takes them over.
            let fitted = try estimate(table: consume table, formula: parsed, covariance: covariance, clusters: clusters)
            let fitSeconds = ExecutionOptions.seconds(from: fitStart)
            var results = fitted.results
            results.subset = subsetSummary
            try output.emit(results)
            execution.reportTimings(started: start, stages: [
                ("read", readStatistics.seconds), ("fit", fitSeconds), ("frame", fitted.frameSeconds),
                ("estimate", fitted.solveSeconds), ("vcov", fitted.covarianceSeconds),
            ], extra: [("read_bytes", .integer(readStatistics.bytes))] + fitted.timingCounts)
        }
    }

    /// Builds the frame of `formula` from `table` (consumed, so its columns are freed as the
    /// frame takes them over) and fits it.
    func estimate(table: consuming DataTable, formula: ModelFormula, covariance: CovarianceType, clusters: [String]) throws -> RegressionEstimate {
        let frameStart = DispatchTime.now()
        let frame = try ModelFrame(table: table, formula: formula,
                                   options: ModelFrameOptions(weights: weights, clusters: clusters,
                                                              removeSingletons: !fixedEffects.keepSingletons))
        let frameSeconds = ExecutionOptions.seconds(from: frameStart)
        var estimate = try fit(frame: consume frame, formula: formula, covariance: covariance, clusters: clusters)
        estimate.frameSeconds = frameSeconds
        return estimate
    }
}
