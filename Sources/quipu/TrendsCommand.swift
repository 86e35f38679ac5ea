import ArgumentParser
import Foundation
import PanelData
import Reporting

extension PanelTrends.Statistic: ExpressibleByArgument {}
extension PanelTrends.Grouping: ExpressibleByArgument {}

/// `quipu trends`: an outcome's mean or median by period for supported and unsupported units (or
/// by cohort), as a table and an SVG line chart.
struct TrendsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trends",
        abstract: "Raw trends of an outcome by period: supported against unsupported units, or by cohort."
    )

    @OptionGroup var input: DataOptions
    @OptionGroup var rows: SubsetOptions
    @OptionGroup var panel: PanelOptions

    @Option(name: .long, help: "The outcome column.")
    var outcome: String

    @Option(name: .long, help: "Statistic per group and period: mean or median.")
    var stat: PanelTrends.Statistic = .mean

    @Option(name: .long, help: "Groups: status (ever supported vs never) or cohort (one line per first treated period).")
    var by: PanelTrends.Grouping = .status

    @Option(name: .long, help: "Write an SVG line chart to this path.")
    var plot: String?

    @OptionGroup var output: TrendsOutputOptions
    @OptionGroup var execution: ExecutionOptions

    func validate() throws {
        guard panel.cohort != nil || panel.treat != nil else {
            throw ValidationError("trends need treatment information: give --cohort or --treat")
        }
        if let plot, !plot.lowercased().hasSuffix(".svg") {
            throw ValidationError("--plot writes SVG: give a path ending in .svg, got '\(plot)'")
        }
        do { try AtomicFile.refuseSharedFiles([("--plot", plot), ("--output", output.output)]) } catch { throw ValidationError(String(describing: error)) }
        try input.refuseOverwrite(by: [("--plot", plot), ("--output", output.output)])
    }

    func run() throws {
        try reportingFailures {
            let started = DispatchTime.now()
            let (table, subsetSummary) = try rows.read(input, columns: panel.columns.union([outcome]), threads: execution.threads, demand: .panelSummary)
            let read = DispatchTime.now()
            let structure = try PanelStructure(table: table, unit: panel.unit, time: panel.time, treatment: panel.treatment)
            let trends = try PanelTrends(structure: structure, table: table, outcome: outcome, statistic: stat, grouping: by)
            let chart = plot.map { [(text: trends.chart(source: structure.source).svg(), path: $0)] } ?? []
            switch output.format {
            case .json: try output.emit(trends.json.addingSubset(subsetSummary).serialized() + "\n", alongside: chart)
            case .csv:
                try output.emit(trends.csv, alongside: chart)
                // CSV has no place for it: the filter's effect goes to standard error, as the drops do.
                if let subsetSummary { FileHandle.standardError.write(Data(("quipu: note: " + subsetSummary.line + "\n").utf8)) }
            case .text: try output.emit((subsetSummary.map { $0.line + "\n" } ?? "") + trends.text, alongside: chart)
            }
            execution.reportTimings(started: started, read: read)
            // No format of the table has a place for it, so what was left out goes to standard error.
            if let note = trends.droppedNote {
                FileHandle.standardError.write(Data(("quipu: note: " + note + "\n").utf8))
            }
        }
    }
}
