import ArgumentParser
import DiD
import Estimation
import Formula
import Foundation
import Inference
import PanelData
import Reporting

/// `quipu did`: difference-in-differences (2x2, two-way fixed effects, event study) with the
/// diagnostics an evaluator needs.
struct DidCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "did",
        abstract: "Difference-in-differences: 2x2, TWFE, event study, and heterogeneity-robust estimators for staggered support (Callaway–Sant'Anna, Sun–Abraham, imputation)."
    )

    @OptionGroup(title: "Data") var input: DataOptions
    @OptionGroup(title: "Data") var rows: SubsetOptions
    @OptionGroup(title: "Panel and treatment") var panel: PanelOptions
    @OptionGroup(title: "Model") var model: DidModelOptions
    @OptionGroup(title: "Estimators") var design: DidEstimatorOptions
    @OptionGroup(title: "Callaway–Sant'Anna") var callawaySantAnna: CallawaySantAnnaArguments
    @OptionGroup(title: "Triple differences") var tripleDifferences: TripleDifferencesArguments
    @OptionGroup(title: "Switching treatment (de Chaisemartin–D'Haultfœuille)") var switching: DidSwitchingOptions
    @OptionGroup(title: "Inference") var inference: DidInferenceOptions
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Output") var plotting: EventStudyPlotOption
    @OptionGroup(title: "Sensitivity to violations of parallel trends") var sensitivity: DidSensitivityOptions
    @OptionGroup(title: "Distributional effects") var distributional: DidDistributionalOptions

    @OptionGroup(title: "Execution") var execution: ExecutionOptions

    /// The robust estimators' effect scale: as given, else proportional with --model poisson.
    var effectScale: DiDEffectScale { model.effect ?? (model.model == .poisson ? .proportional : .level) }

    /// Where to write the event-study plot, if anywhere.
    var plot: String? { plotting.plot }

    func validate() throws {
        let estimator = design.estimator
        try switching.validate(estimator: estimator)
        if estimator == .dcdh { try validateSwitching() }
        guard panel.cohort != nil || panel.treat != nil || estimator == .dcdh else {
            throw ValidationError("did needs --treat (a 0/1 absorbing treatment) or --cohort (the first treated period)")
        }
        if plot != nil && !design.eventStudy && estimator == .twfe { throw ValidationError("--plot draws the event study: add --event-study") }
        if let plot, !plot.lowercased().hasSuffix(".svg") { throw ValidationError("--plot writes SVG: give a path ending in .svg") }
        try sensitivity.validate(eventStudies: design.eventStudy || estimator != .twfe, format: output.format)
        if plotting.covariances && output.format != .csv { throw ValidationError("--covariances selects the CSV's long form of the covariances: add --format csv (JSON always carries them, as covariances)") }
        try validateDistributional()
        let files = [("--plot", plot), ("--sensitivity-plot", sensitivity.plot), ("--qte-plot", distributional.qtePlot), ("--output", output.output)]
        do { try AtomicFile.refuseSharedFiles(files) } catch { throw ValidationError(String(describing: error)) }
        try input.refuseOverwrite(by: files)
        let level = inference.level
        guard level > 0 && level < 1 else { throw ValidationError("--level must be between 0 and 1") }
        guard (0...1000).contains(design.leads) else { throw ValidationError("--leads must be between 0 and 1000, got \(design.leads)") }
        try tripleDifferences.validate(estimator: estimator, model: model.model)
        guard callawaySantAnna.anticipation >= 0 else { throw ValidationError("--anticipation must be 0 or more, got \(callawaySantAnna.anticipation)") }
        if inference.cluster != nil && inference.vcov != nil { throw ValidationError("give --cluster or --vcov, not both") }
        if inference.bootstrap != nil {
            let reps = inference.reps
            let smallest = Int((1 / (1 - level)).rounded(.up)) - 1
            guard reps >= max(19, smallest) else {
                throw ValidationError("--reps \(reps) is too few for a \(Int((level * 100).rounded()))% band: use at least \(max(19, smallest)) (999 is usual)")
            }
            guard reps <= 10_000_000 else { throw ValidationError("--reps \(reps) is more than the multiplier bootstrap needs; use at most 10,000,000 (999 is usual)") }
        }
        let robust = estimator == .cs || estimator == .imputation
        if effectScale == .proportional && model.model == .linear && !robust {
            throw ValidationError("--effect proportional applies to --estimator cs or imputation; TWFE's proportional effects come from --model poisson")
        }
        if effectScale == .proportional && robust && inference.bootstrap != nil {
            throw ValidationError("--bootstrap is not available with --effect proportional: its standard errors are analytic (delta method)")
        }
        if model.model == .poisson {
            guard estimator != .sunab && estimator != .twostage else {
                throw ValidationError("--model poisson is available with --estimator twfe (TWFE and --event-study), etwfe (extended TWFE), cs or imputation (proportional effects), auto and all; \(estimator == .sunab ? "Sun–Abraham" : "the two-stage estimator") is linear")
            }
            if (robust || estimator == .all) && model.effect == .level {
                throw ValidationError("--model poisson gives Callaway–Sant'Anna and imputation proportional effects; for level effects use --model linear --effect level")
            }
            if design.decompose { throw ValidationError("--decompose splits a least-squares TWFE estimate; it has no Poisson counterpart: drop --decompose or use --model linear") }
            if inference.bootstrap != nil { throw ValidationError("--bootstrap is Callaway–Sant'Anna's; with --model poisson use the analytic standard errors") }
        }
        if inference.cr2 {
            guard model.model == .linear else { throw ValidationError("--vcov cr2 adjusts least squares (Sun–Abraham and the linear extended TWFE): drop it with --model \(model.model.rawValue)") }
            guard [.sunab, .etwfe, .all, .auto].contains(estimator) else {
                throw ValidationError("--vcov cr2 applies to --estimator sunab and etwfe (and to them within all or auto); \(estimator.rawValue) keeps its own clustered covariance")
            }
        }
        if model.model == .logit && estimator != .etwfe {
            throw ValidationError("--model logit is available with --estimator etwfe (the extended TWFE's logit with cohort and period effects)")
        }
        if model.weights != nil && estimator != .twfe {
            throw ValidationError("--weights is available with --estimator twfe only; the staggered estimators are unweighted for now")
        }
    }

    func run() throws {
        try reportingFailures {
            let started = DispatchTime.now()
            let covariance = try inference.covarianceType(unit: panel.unit)
            let covariateNames = model.covariateNames
            var options = DiDOptions(outcome: model.outcome, covariance: covariance)
            options.covariates = covariateNames
            options.weights = model.weights
            options.postPeriod = design.post
            options.eventStudy = design.eventStudy
            options.referencePeriod = design.ref
            options.window = design.window?.periods
            options.confidenceLevel = inference.level
            options.decompose = design.decompose
            options.balance = model.balance
            options.threads = execution.threads
            // With Poisson, auto puts the extended TWFE first when cohorts are staggered (DiDAnalysis
            // .chosenEstimators); cs and imputation, alone or in all, give proportional effects.
            options.estimator = design.estimator
            options.model = model.model
            let proportionalAll = design.estimator == .all && model.model == .poisson
            options.effect = design.estimator == .cs || design.estimator == .imputation || proportionalAll ? effectScale : .level
            options.callawaySantAnna.control = callawaySantAnna.control
            options.callawaySantAnna.method = callawaySantAnna.method
            options.callawaySantAnna.anticipation = callawaySantAnna.anticipation
            options.callawaySantAnna.basePeriod = callawaySantAnna.basePeriod
            options.aggregations = callawaySantAnna.aggregate.kinds
            options.panelMode = callawaySantAnna.panelMode
            options.imputationLeads = design.leads
            options.partition = tripleDifferences.partition
            options.combinations = inference.combine
            options.extraFixedEffects = model.fe.map(\.source)
            options.cr2Covariance = inference.cr2
            options.distributional.quantiles = distributional.quantiles.values
            options.distributional.replicates = inference.reps
            options.distributional.seed = inference.seed
            options.switching = switching.options
            if inference.bootstrap != nil {
                if let warning = BootstrapDiagnostics.fewReplicatesWarning(inference.reps) { warn(warning) }
                options.bootstrap = MultiplierBootstrap(replicates: inference.reps, seed: inference.seed, threads: execution.threads,
                                                        confidenceLevel: inference.level)
            }
            let feColumns = try options.extraFixedEffectTerms().flatMap(\.variables)
            let outcomeColumns = try ModelFormula.parse("\(model.outcome) ~ 1").response.variables
            var columns = panel.columns.union(covariateNames).union(outcomeColumns).union(covariance.clusterVariables).union(feColumns)
            if let weights = model.weights { columns.insert(weights) }
            if let partition = tripleDifferences.partition { columns.formUnion(try ModelFormula.parse("\(partition) ~ 1").response.variables) }
            if let treatment = switching.treatment { columns.insert(treatment) }
            let (table, subsetSummary) = try rows.read(input, columns: columns, threads: execution.threads, demand: .differenceInDifferences)
            try refuseTextCovariates(covariateNames, in: table)
            let read = DispatchTime.now()
            execution.limitBLASThreads(rows: table.rowCount)
            var results = try DiDAnalysis.run(table: table, unit: panel.unit, time: panel.time, treatment: panel.treatment, options: options)
            results.recordSubset(subsetSummary)
            let estimated = DispatchTime.now()
            var chart: String? = nil
            if plot != nil {
                if results.staggered.contains(where: { $0.estimator != .twfe }) || !design.eventStudy {
                    guard let comparison = results.comparisonChart() else {
                        throw ValidationError("nothing to plot: no estimator produced event-time effects (add --event-study for TWFE)")
                    }
                    chart = comparison.svg()
                } else {
                    var single = results.eventStudyChart()
                    single.caption = results.samples.first.map { "Sample: \($0.sample.rows) rows, \($0.sample.units) units" } ?? ""
                    chart = single.svg()
                }
            }
            let analyses = try sensitivityAnalyses(results)
            let rendered: String
            switch output.format {
            case .json: rendered = (analyses.map { results.json(sensitivity: $0) } ?? results.json).serialized() + "\n"
            case .markdown: rendered = results.markdown + (analyses.map { "\n```\n" + $0.map { $0.text() }.joined(separator: "\n") + "```\n" } ?? "")
            case .latex: rendered = results.latex
            case .csv: rendered = plotting.covariances ? results.covarianceCSV : results.csv
            case .text: rendered = results.text + (plotting.pretestPower ? results.pretrendPowerText : "") + (analyses.map { "\n" + $0.map { $0.text() }.joined(separator: "\n") } ?? "")
            }
            var plotFile = [(text: String, path: String)]()
            if let plot, let chart { plotFile.append((chart, plot)) }
            if let path = distributional.qtePlot {
                guard let svg = results.quantileEffectChart()?.svg() else { throw CommandError("--qte-plot: no quantile effects to plot") }
                plotFile.append((svg, path))
            }
            if let path = sensitivity.plot, let analyses {
                guard let svg = EventStudySensitivity.svg(analyses) else { throw CommandError("--sensitivity-plot: no sensitivity curve was computed, so there is nothing to plot") }
                plotFile.append((svg, path))
            }
            try output.emit(rendered, alongside: plotFile)
            execution.reportTimings(started: started, stages: [("read", ExecutionOptions.seconds(from: started, to: read)),
                                                               ("estimate", ExecutionOptions.seconds(from: read, to: estimated))])
        }
    }
}

extension DidCommand {
    /// The sensitivity analyses of `--sensitivity` (nil without it), with their warnings on
    /// standard error; an event study that cannot be analysed is named there too.
    func sensitivityAnalyses(_ results: DiDResults) throws -> [EventStudySensitivity]? {
        guard let request = try sensitivity.request(level: inference.level, varyingBasePeriod: callawaySantAnna.basePeriod == .varying) else { return nil }
        let (analyses, skipped) = try results.sensitivity(request)
        for reason in skipped { warn(reason) }
        for warning in Set(analyses.flatMap(\.warnings)).sorted() { warn(warning) }
        guard !analyses.isEmpty else {
            throw CommandError("--sensitivity: no estimator produced an event study with pre- and post-periods to analyse" + (skipped.isEmpty ? " (add --event-study for TWFE)" : ""))
        }
        return analyses
    }

    /// Refuses text covariates where only Callaway–Sant'Anna could use them, in did's own terms:
    /// the regression estimators would fail inside a formula that `did` never shows, with advice
    /// (`i(x)`) that `did` does not accept.
    func refuseTextCovariates(_ names: [String], in table: DataTable) throws {
        let estimator = design.estimator
        guard estimator != .cs else { return }
        for name in names {
            guard case .text(let column)? = table.column(named: name) else { continue }
            let example = column.firstNonNumeric.map { " (line \($0.row) has '\($0.value)')" } ?? ""
            let estimators = estimator == .auto ? "TWFE (which --estimator auto runs) takes" : "the regression estimators (TWFE, Sun–Abraham, imputation) take"
            throw CommandError("\(table.source): covariate '\(name)' is text\(example), and \(estimators) numeric covariates only: "
                + "use --estimator cs, whose propensity score and outcome regression take a text covariate as indicators of its levels, "
                + "or drop '\(name)' from --covariates and give its categories their own period effects with --fe \"\(panel.time)^\(name)\"")
        }
    }
}
