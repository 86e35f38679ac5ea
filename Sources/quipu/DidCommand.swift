import ArgumentParser
import DiD
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

    @OptionGroup var input: DataOptions
    @OptionGroup var rows: SubsetOptions

    @Option(name: .long, help: "The outcome: a column, or a function of one such as log(sales).")
    var outcome: String

    @OptionGroup var panel: PanelOptions

    @Option(name: .long, help: "Estimator: auto (TWFE with one cohort; Callaway–Sant'Anna first, TWFE beside it, with staggered cohorts), twfe, cs, sunab, imputation, all.")
    var estimator: EstimatorChoice = .auto

    @Option(name: .long, help: "Regression model of TWFE and the event study: linear (least squares) or poisson (PPML, as fepois: keeps zero outcomes, effects in log points and % changes; TWFE only, so auto means twfe).")
    var model: DiDModel = .linear

    @Option(name: .long, help: "Comma-separated covariates: added to the regressions; for Callaway–Sant'Anna, time-invariant (baseline) covariates in the propensity score and outcome regression (text columns enter as indicators).")
    var covariates: String?

    @Option(name: .long, help: "Callaway–Sant'Anna comparison units: never (never treated) or notyet (not yet treated).")
    var control: CallawaySantAnnaOptions.Control = .never

    @Option(name: .long, help: "Callaway–Sant'Anna 2x2 method: dr (doubly robust), ipw, reg.")
    var method: TwoByTwoMethod = .dr

    @Option(name: .long, help: "Periods before the start of support in which units may already react (Callaway–Sant'Anna, imputation).")
    var anticipation: Int = 0

    @Option(name: .customLong("base-period"), help: "Callaway–Sant'Anna base period of pre-treatment cells: varying or universal.")
    var basePeriod: CallawaySantAnnaOptions.BasePeriod = .varying

    @Option(name: .customLong("panel"), help: "Callaway–Sant'Anna with gaps in the panel: auto (balanced if the data are, else pairwise), balanced (keep units observed in every period, R did's default), unbalanced (repeated cross-sections, R did's allow_unbalanced_panel), pairwise (each ATT(g,t) on the units observed in both its periods).")
    var panelMode: UnitPanel.Mode = .auto

    @Option(name: .long, help: "Aggregations of ATT(g,t): simple, group, dynamic, calendar, all (comma-separated).")
    var aggregate: String = "all"

    @Option(name: .long, help: "Bootstrap for Callaway–Sant'Anna: multiplier (with uniform bands).")
    var bootstrap: DidBootstrap?

    @Option(name: .long, help: "Bootstrap replicates.")
    var reps: Int = 999

    @Option(name: .long, help: "Random seed of the bootstrap (results are identical for any --threads).")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Cluster variable of the standard errors (default: the unit); the same as --vcov cluster:VAR.")
    var cluster: String?

    @Option(name: .long, help: "A linear combination of estimates to report, e.g. \"(e0 + e1 + e2)/3\" or \"g2006 - g2004\"; repeatable.")
    var combine: [String] = []

    @Option(name: .long, help: "Leads in the imputation estimator's pre-trend test (Borusyak–Jaravel–Spiess): -1 to -K; 0 skips it.")
    var leads: Int = 3

    @Option(name: .long, help: "Further fixed effects for TWFE, Sun–Abraham and imputation, fixest syntax, e.g. \"year^size_class\"; repeatable.")
    var fe: [String] = []

    @Option(name: .long, help: "Column of analytic weights.")
    var weights: String?

    @Option(name: .long, help: "Covariance: cluster:UNIT (default), iid, hetero, cluster:VAR, cluster:VAR1+VAR2.")
    var vcov: String?

    @Option(name: .long, help: "First post period for the 2x2 estimate (ever vs never treated, before vs after).")
    var post: Int?

    @Flag(name: .customLong("event-study"), help: "Estimate the event-study profile and the pre-trend test.")
    var eventStudy = false

    @Option(name: .long, parsing: .unconditional, help: "Reference relative period of the event study.")
    var ref: Int = -1

    @Option(name: .long, parsing: .unconditional, help: "Event-study window LOW:HIGH, e.g. -5:5; its end points bin the periods beyond.")
    var window: String?

    @Flag(name: .long, help: "Keep only units observed, with the outcome present, in every period.")
    var balance = false

    @Flag(name: .long, help: "Goodman-Bacon decomposition of the TWFE estimate into all 2x2 comparisons (balanced panels).")
    var decompose = false

    @Option(name: .long, help: "Write the event-study plot (SVG) to this path.")
    var plot: String?

    @Option(name: .long, help: "Confidence level of the intervals.")
    var level: Double = 0.95

    @OptionGroup var output: OutputOptions
    @OptionGroup var execution: ExecutionOptions

    var windowRange: ClosedRange<Int>? {
        guard let window else { return nil }
        let parts = window.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let low = parts[0], let high = parts[1], low < high else { return nil }
        return low...high
    }

    func validate() throws {
        guard panel.cohort != nil || panel.treat != nil else {
            throw ValidationError("did needs --treat (a 0/1 absorbing treatment) or --cohort (the first treated period)")
        }
        if window != nil && windowRange == nil {
            throw ValidationError("--window must be LOW:HIGH with LOW < HIGH, e.g. -5:5; got '\(window ?? "")'")
        }
        if plot != nil && !eventStudy && estimator == .twfe { throw ValidationError("--plot draws the event study: add --event-study") }
        if let plot, !plot.lowercased().hasSuffix(".svg") { throw ValidationError("--plot writes SVG: give a path ending in .svg") }
        do { try AtomicFile.refuseSharedFiles([("--plot", plot), ("--output", output.output)]) } catch { throw ValidationError(String(describing: error)) }
        try input.refuseOverwrite(by: [("--plot", plot), ("--output", output.output)])
        guard level > 0 && level < 1 else { throw ValidationError("--level must be between 0 and 1") }
        guard (0...1000).contains(leads) else { throw ValidationError("--leads must be between 0 and 1000, got \(leads)") }
        guard anticipation >= 0 else { throw ValidationError("--anticipation must be 0 or more, got \(anticipation)") }
        if cluster != nil && vcov != nil { throw ValidationError("give --cluster or --vcov, not both") }
        if let vcov { try CovarianceType.validateOption(vcov) }
        _ = try aggregations()
        if bootstrap != nil {
            let smallest = Int((1 / (1 - level)).rounded(.up)) - 1
            guard reps >= max(19, smallest) else {
                throw ValidationError("--reps \(reps) is too few for a \(Int((level * 100).rounded()))% band: use at least \(max(19, smallest)) (999 is usual)")
            }
            guard reps <= 10_000_000 else { throw ValidationError("--reps \(reps) is more than the multiplier bootstrap needs; use at most 10,000,000 (999 is usual)") }
        }
        if model == .poisson {
            guard estimator == .twfe || estimator == .auto else {
                throw ValidationError("--model poisson is available with --estimator twfe (TWFE and --event-study); the heterogeneity-robust estimators are linear")
            }
            if decompose { throw ValidationError("--decompose splits a least-squares TWFE estimate; it has no Poisson counterpart: drop --decompose or use --model linear") }
            if bootstrap != nil { throw ValidationError("--bootstrap is Callaway–Sant'Anna's; with --model poisson use the analytic standard errors") }
        }
        if weights != nil && estimator != .twfe && !(model == .poisson && estimator == .auto) {
            throw ValidationError("--weights is available with --estimator twfe only; the staggered estimators are unweighted for now")
        }
    }

    func run() throws {
        try reportingFailures {
            let started = DispatchTime.now()
            let covariance = try CovarianceType(parsing: vcov ?? "cluster:\(cluster ?? panel.unit)")
            let covariateNames = (covariates ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            var options = DiDOptions(outcome: outcome, covariance: covariance)
            options.covariates = covariateNames
            options.weights = weights
            options.postPeriod = post
            options.eventStudy = eventStudy
            options.referencePeriod = ref
            options.window = windowRange
            options.confidenceLevel = level
            options.decompose = decompose
            options.balance = balance
            options.threads = execution.threads
            // Poisson runs the regression estimators only, so auto means TWFE there.
            options.estimator = model == .poisson ? .twfe : estimator
            options.model = model
            options.callawaySantAnna.control = control
            options.callawaySantAnna.method = method
            options.callawaySantAnna.anticipation = anticipation
            options.callawaySantAnna.basePeriod = basePeriod
            options.aggregations = try aggregations()
            options.panelMode = panelMode
            options.imputationLeads = leads
            options.combinations = combine
            options.extraFixedEffects = fe
            if bootstrap != nil {
                if let warning = BootstrapDiagnostics.fewReplicatesWarning(reps) { warn(warning) }
                options.bootstrap = MultiplierBootstrap(replicates: reps, seed: seed, threads: execution.threads, confidenceLevel: level)
            }
            let feColumns = try options.extraFixedEffectTerms().flatMap(\.variables)
            let outcomeColumns = try ModelFormula.parse("\(outcome) ~ 1").response.variables
            var columns = panel.columns.union(covariateNames).union(outcomeColumns).union(covariance.clusterVariables).union(feColumns)
            if let weights { columns.insert(weights) }
            let (table, subsetSummary) = try rows.read(input, columns: columns, threads: execution.threads, demand: .differenceInDifferences)
            try refuseTextCovariates(covariateNames, in: table)
            let read = DispatchTime.now()
            execution.limitBLASThreads(rows: table.rowCount)
            var results = try DiDAnalysis.run(table: table, unit: panel.unit, time: panel.time, treatment: panel.treatment, options: options)
            results.recordSubset(subsetSummary)
            let estimated = DispatchTime.now()
            var chart: String? = nil
            if plot != nil {
                if results.staggered.contains(where: { $0.estimator != .twfe }) || !eventStudy {
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
            let rendered: String
            switch output.format {
            case .json: rendered = results.json.serialized() + "\n"
            case .markdown: rendered = results.markdown
            case .latex: rendered = results.latex
            case .csv: rendered = results.csv
            case .text: rendered = results.text
            }
            var plotFile = [(text: String, path: String)]()
            if let plot, let chart { plotFile.append((chart, plot)) }
            try output.emit(rendered, alongside: plotFile)
            execution.reportTimings(started: started, stages: [("read", ExecutionOptions.seconds(from: started, to: read)),
                                                               ("estimate", ExecutionOptions.seconds(from: read, to: estimated))])
        }
    }
}

extension DidCommand {
    /// Refuses text covariates where only Callaway–Sant'Anna could use them, in did's own terms:
    /// the regression estimators would fail inside a formula that `did` never shows, with advice
    /// (`i(x)`) that `did` does not accept.
    func refuseTextCovariates(_ names: [String], in table: DataTable) throws {
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

    /// The aggregations asked for with --aggregate.
    func aggregations() throws -> Set<StaggeredAggregation> {
        var result = Set<StaggeredAggregation>()
        for part in aggregate.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let kind = StaggeredAggregation(rawValue: name) else {
                throw ValidationError("--aggregate takes simple, group, dynamic, calendar or all (comma-separated), got '\(name)'")
            }
            result.insert(kind)
        }
        guard !result.isEmpty else { throw ValidationError("--aggregate needs at least one of simple, group, dynamic, calendar, all") }
        return result
    }
}

/// The bootstrap `quipu did` offers.
enum DidBootstrap: String, ExpressibleByArgument, CaseIterable {
    case multiplier
}

extension EstimatorChoice: ExpressibleByArgument {}
extension DiDModel: ExpressibleByArgument {}
extension CallawaySantAnnaOptions.Control: ExpressibleByArgument {}
extension CallawaySantAnnaOptions.BasePeriod: ExpressibleByArgument {}
extension TwoByTwoMethod: ExpressibleByArgument {}
extension UnitPanel.Mode: ExpressibleByArgument {}
