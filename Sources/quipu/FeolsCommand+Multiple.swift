import Dispatch
import Estimation
import Foundation
import Inference
import PanelData
import Reporting

/// Several feols models in one call: `c()`, `sw()`, `csw()` and `--split`/`--fsplit`.
extension FeolsCommand {
    /// Fits every model on the data read once and writes them as one list.
    ///
    /// A model that cannot be fitted (a split level too small, an outcome constant in a
    /// subgroup) is reported as failed, with its reason, on standard error and in the output,
    /// and the others are kept; the command fails (exit 1, nothing written) only when every
    /// model fails.
    func runMultiple(_ models: MultipleEstimation, table: DataTable, subset: SubsetSummary?, covariance: CovarianceType, clusters: [String],
                     started: DispatchTime) throws {
        let fitStart = DispatchTime.now()
        let list = try models.run(on: table, command: "feols") { modelTable, formula in
            var results = try estimate(table: modelTable, formula: formula, covariance: covariance, clusters: clusters).results
            results.subset = subset
            return results as any ModelReport
        }
        try emitModelList(list, output: output, execution: execution, readStatistics: table.readStatistics,
                          fitSeconds: Self.seconds(since: fitStart), started: started)
    }
}
