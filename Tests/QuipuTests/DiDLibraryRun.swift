import DiD
import Formula
import Foundation
import Inference
import PanelData
import Primitives
import QuipuTestSupport
import Reporting

/// What `quipu did --format json` writes, computed through the library's public entry points
/// (`DiDAnalysis.run`, `DiDResults.json`) without starting a process.
///
/// The staggered reference suites compare dozens of configurations; run in process they skip a
/// process launch and a parse of the command line each (issue 20, point 5). Defaults are the
/// command's: covariance clustered by unit, every aggregation, `--estimator auto`. What the
/// command adds around the library (reading only the columns used, the timings line) does not
/// change the estimates; `StaggeredReferenceTests.commandLineWritesTheLibrarysJSON` checks that
/// the two give the same document.
struct DiDLibraryRun {
    /// The JSON document, parsed.
    let json: [String: Any]
    /// The JSON document as the command writes it (without the final newline).
    let text: String

    /// Runs the estimators `configure` asks for on `data` (a path relative to the repository root).
    init(data: String, outcome: String, unit: String, time: String, cohort: String,
         configure: (inout DiDOptions) throws -> Void = { _ in }) throws {
        var options = DiDOptions(outcome: outcome, covariance: .cluster([unit]))
        try configure(&options)
        // The columns `quipu did` reads (DidCommand.run): a table with others would be the same
        // estimate, but this keeps the in-process run the command's run.
        var columns: Set<String> = [unit, time, cohort]
        columns.formUnion(try ModelFormula.parse("\(outcome) ~ 1").response.variables)
        columns.formUnion(options.covariates)
        columns.formUnion(options.covariance.clusterVariables)
        if let partition = options.partition { columns.formUnion(try ModelFormula.parse("\(partition) ~ 1").response.variables) }
        columns.formUnion(try options.extraFixedEffectTerms().flatMap(\.variables))
        var reading = CSVReadOptions()
        reading.keepColumns = columns
        let table = try DataReader.read(path: Fixture.path(data), format: nil, options: reading)
        let results = try DiDAnalysis.run(table: table, unit: unit, time: time, treatment: .cohort(cohort, neverTreated: nil), options: options)
        text = results.json.serialized()
        json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    /// The aggregates of one estimator and type (`simple`, `group`, `dynamic`, `calendar`).
    func aggregates(estimator: String, type: String) -> [[String: Any]] {
        ((json["aggregates"] as? [[String: Any]]) ?? []).filter { $0["estimator"] as? String == estimator && $0["type"] as? String == type }
    }

    /// TWFE's rows of this estimand (`twfe`, `event_study`, `2x2`; see TWFEJSON).
    func estimates(_ estimand: String) -> [[String: Any]] { TWFEJSON.rows(json, estimand) }

    /// mpdta (Callaway and Sant'Anna's county panel), as the reference fixtures use it.
    static func mpdta(path: String = "Datasets/mpdta/mpdta.csv", _ configure: (inout DiDOptions) throws -> Void = { _ in }) throws -> DiDLibraryRun {
        try DiDLibraryRun(data: path, outcome: "lemp", unit: "countyreal", time: "year", cohort: "first.treat", configure: configure)
    }

    /// The Peru panel with log sales and the PUM cohorts.
    static func peru(_ configure: (inout DiDOptions) throws -> Void = { _ in }) throws -> DiDLibraryRun {
        try DiDLibraryRun(data: "Datasets/peru-natural-ingredients/peru.csv", outcome: "log(sales)", unit: "firm_id", time: "year",
                          cohort: "pum_cohort", configure: configure)
    }
}
