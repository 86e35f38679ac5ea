import Dispatch
import Estimation
import Formula
import Foundation
import PanelData
import Reporting

/// Fits every model of a multiple estimation (`feols`, `fepois`) on the data read once, with
/// `fit`, and writes them as one list (`emitModelList`).
func runModelList(_ models: MultipleEstimation, table: DataTable, command: String, output: OutputOptions, execution: ExecutionOptions,
                  started: DispatchTime, adjust: ((ModelList) throws -> AdjustedPValues)? = nil,
                  fit: (DataTable, ModelFormula) throws -> CoefficientTable) throws {
    let fitStart = DispatchTime.now()
    var list = ModelList(command: command, estimates: try models.run(on: table, fit: fit))
    // Adjusted over the fitted models only; when all failed, emitModelList says so instead.
    if let adjust, list.models.contains(where: { $0.failure == nil }) { list.multipleTesting = try adjust(list) }
    try emitModelList(list, output: output, execution: execution, readStatistics: table.readStatistics,
                      fitSeconds: ExecutionOptions.seconds(from: fitStart), started: started)
}

/// Writes the models of a multiple estimation (`feols`, `fepois`): one list in the chosen format.
///
/// A model that cannot be fitted (a split level too small, an outcome constant in a subgroup) is
/// reported as failed, with its reason, on standard error and in the output, and the others are
/// kept; the command fails (exit 1, nothing written) only when every model fails.
func emitModelList(_ list: ModelList, output: OutputOptions, execution: ExecutionOptions, readStatistics: ReadStatistics,
                   fitSeconds: Double, started: DispatchTime) throws {
    let failures = list.models.enumerated().filter { $0.element.failure != nil }
    if failures.count == list.models.count {
        let reasons = failures.map { "model \($0.offset + 1) (\($0.element.label)): \($0.element.failure ?? "")" }
        throw CommandError(list.models.count == 1
            ? "the model failed: \(reasons.joined())"
            : "all \(list.models.count) models failed:\n  " + reasons.joined(separator: "\n  "))
    }
    for (index, model) in failures {
        warn("model \(index + 1) of \(list.models.count) (\(model.label)) failed and is reported without results: \(model.failure ?? "")")
    }
    try output.emit(list)
    execution.reportTimings(started: started, stages: [("read", readStatistics.seconds), ("fit", fitSeconds)],
                            extra: [("read_bytes", .integer(readStatistics.bytes)), ("models", .integer(list.models.count))])
}
