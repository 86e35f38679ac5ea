import ArgumentParser
import PanelData
import Reporting

/// `quipu describe`: the panel's shape, attrition, cohorts and outcome distributions.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Describe a panel: units, periods, balance, entries and exits, cohorts, treated and control counts, outcomes."
    )

    @OptionGroup var input: DataOptions
    @OptionGroup var rows: SubsetOptions
    @OptionGroup var panel: PanelOptions

    @Option(name: .long, help: "Comma-separated outcome columns to summarise.")
    var outcomes: String?

    @OptionGroup var output: DescribeOutputOptions
    @OptionGroup var execution: ExecutionOptions

    var outcomeNames: [String] {
        (outcomes ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func validate() throws {
        try input.refuseOverwrite(by: [("--output", output.output)])
    }

    func run() throws {
        try reportingFailures {
            let started = DispatchTime.now()
            let (table, subsetSummary) = try rows.read(input, columns: panel.columns.union(outcomeNames), threads: execution.threads, demand: .panelSummary)
            let read = DispatchTime.now()
            let structure = try PanelStructure(table: table, unit: panel.unit, time: panel.time, treatment: panel.treatment)
            let description = try PanelDescription(structure: structure, table: table, outcomes: outcomeNames)
            switch output.format {
            case .json: try output.emit(description.json.addingSubset(subsetSummary).serialized() + "\n")
            case .markdown: try output.emit((subsetSummary.map { "Sample: \($0.line).\n\n" } ?? "") + description.markdown)
            case .text: try output.emit((subsetSummary.map { $0.line + "\n" } ?? "") + description.text)
            }
            execution.reportTimings(started: started, read: read)
        }
    }
}

import Foundation
