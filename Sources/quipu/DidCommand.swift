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
        abstract: "Difference-in-differences: 2x2, two-way fixed effects, event study with a pre-trend test."
    )

    @OptionGroup var input: DataOptions

    @Option(name: .long, help: "The outcome: a column, or a function of one such as log(sales).")
    var outcome: String

    @OptionGroup var panel: PanelOptions

    @Option(name: .long, help: "Comma-separated covariates added to every regression.")
    var covariates: String?

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
        if plot != nil && !eventStudy { throw ValidationError("--plot draws the event study: add --event-study") }
        if let plot, !plot.lowercased().hasSuffix(".svg") { throw ValidationError("--plot writes SVG: give a path ending in .svg") }
        if output.format == .csv { throw ValidationError("did writes text, markdown, latex or json") }
        guard level > 0 && level < 1 else { throw ValidationError("--level must be between 0 and 1") }
    }

    func run() throws {
        try reportingFailures {
            let covariance = try CovarianceType(parsing: vcov ?? "cluster:\(panel.unit)")
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
            let outcomeColumns = try ModelFormula.parse("\(outcome) ~ 1").response.variables
            var columns = panel.columns.union(covariateNames).union(outcomeColumns).union(covariance.clusterVariables)
            if let weights { columns.insert(weights) }
            let table = try input.read(columns: columns, threads: execution.threads)
            execution.limitBLASThreads(rows: table.rowCount)
            let results = try DiDAnalysis.run(table: table, unit: panel.unit, time: panel.time, treatment: panel.treatment, options: options)
            if let plot { try AtomicFile.write(results.eventStudyChart().svg(), to: plot) }
            switch output.format {
            case .json: try output.emit(results.json.serialized() + "\n")
            case .markdown: try output.emit(results.markdown)
            case .latex: try output.emit(results.latex)
            default: try output.emit(results.text)
            }
        }
    }
}
