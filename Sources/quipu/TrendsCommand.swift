import ArgumentParser
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
    @OptionGroup var panel: PanelOptions

    @Option(name: .long, help: "The outcome column.")
    var outcome: String

    @Option(name: .long, help: "Statistic per group and period: mean or median.")
    var stat: PanelTrends.Statistic = .mean

    @Option(name: .long, help: "Groups: status (ever supported vs never) or cohort (one line per first treated period).")
    var by: PanelTrends.Grouping = .status

    @Option(name: .long, help: "Write an SVG line chart to this path.")
    var plot: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var execution: ExecutionOptions

    func validate() throws {
        guard panel.cohort != nil || panel.treat != nil else {
            throw ValidationError("trends need treatment information: give --cohort or --treat")
        }
        guard [.text, .json, .csv].contains(output.format) else {
            throw ValidationError("trends writes text, csv or json, not \(output.format.rawValue)")
        }
        if let plot, !plot.lowercased().hasSuffix(".svg") {
            throw ValidationError("--plot writes SVG: give a path ending in .svg, got '\(plot)'")
        }
    }

    func run() throws {
        try reportingFailures {
            let table = try input.read(columns: panel.columns.union([outcome]), threads: execution.threads)
            let structure = try PanelStructure(table: table, unit: panel.unit, time: panel.time, treatment: panel.treatment)
            let trends = try PanelTrends(structure: structure, table: table, outcome: outcome, statistic: stat, grouping: by)
            if let plot {
                try AtomicFile.write(trends.chart(source: structure.source).svg(), to: plot)
            }
            switch output.format {
            case .json: try output.emit(trends.json.serialized() + "\n")
            case .csv, .text: try output.emit(trends.csv)
            default: break
            }
        }
    }
}
