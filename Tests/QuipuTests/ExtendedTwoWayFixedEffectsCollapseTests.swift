import DiD
import Foundation
import PanelData
import QuipuTestSupport
import Testing

/// The extended TWFE's Poisson fit on group × period totals (ExtendedTwoWayFixedEffectsEstimator+
/// CollapsedPoisson.swift) against the dense fit on every firm-year it replaces
/// (`etwfePoissonCollapse = false`): every cell and aggregate, level and log ratio, to 1e-8; the
/// same sample, drops, clusters, notes and treated counts; standard errors to 1e-6 relative (seen:
/// ≤ 5e-7), not 1e-8: the two IRLS runs stop at different iterates within fepois's deviance
/// tolerance (1e-8) and each fit's bread carries its own. On the Peru EU exports one nearly
/// separated cell, ATT(2010, 2008), differs by 6e-5 relative (its others ≤ 3e-7): 1e-4 there.
/// On a balanced panel with an all-zero firm, on the same panel with gaps and a singleton, and on
/// the Peru panel (gaps, all-zero cells and firms, separation, a cohort without an untreated year).
@Suite struct ExtendedTwoWayFixedEffectsCollapseTests {
    static func run(_ table: DataTable, unit: String, time: String, cohort: String, outcome: String,
                    control: CallawaySantAnnaOptions.Control, collapse: Bool, cluster: String? = nil) throws -> [String: Any] {
        var options = DiDOptions(outcome: outcome, covariance: .cluster([cluster ?? unit]))
        options.estimator = .etwfe
        options.model = .poisson
        options.callawaySantAnna.control = control
        options.etwfePoissonCollapse = collapse
        let results = try DiDAnalysis.run(table: table, unit: unit, time: time, treatment: .cohort(cohort, neverTreated: nil), options: options)
        return try #require(try JSONSerialization.jsonObject(with: Data(results.json.serialized().utf8)) as? [String: Any])
    }

    static func expectSame(_ table: DataTable, unit: String, time: String, cohort: String, outcome: String,
                           control: CallawaySantAnnaOptions.Control, _ label: String, seTolerance: Double = 1e-6, cluster: String? = nil) throws {
        let collapsed = try run(table, unit: unit, time: time, cohort: cohort, outcome: outcome, control: control, collapse: true, cluster: cluster)
        let dense = try run(table, unit: unit, time: time, cohort: cohort, outcome: outcome, control: control, collapse: false, cluster: cluster)
        for key in ["att_gt", "aggregates"] {
            let ours = (collapsed[key] as? [[String: Any]]) ?? [], reference = (dense[key] as? [[String: Any]]) ?? []
            #expect(ours.count == reference.count && !reference.isEmpty, "\(label) \(key) count")
            for (a, b) in zip(ours, reference) {
                let name = "\(label) \(key) \(b["label"] ?? b["group"] ?? "")/\(b["time"] ?? b["type"] ?? "")"
                #expect(a["label"] as? String == b["label"] as? String && a["scale"] as? String == b["scale"] as? String, "\(name) order")
                let estimate = try #require(jsonNumber(b["estimate"]))
                expectClose(jsonNumber(a["estimate"]), estimate, absolute: 1e-8 * max(1, abs(estimate)), "\(name) estimate")
                expectClose(jsonNumber(a["std_error"]), jsonNumber(b["std_error"]), relative: seTolerance, "\(name) SE")
                #expect(a["n_treated"] as? Int == b["n_treated"] as? Int, "\(name) treated")
            }
        }
        func sample(_ json: [String: Any]) -> String {
            let text = (try? JSONSerialization.data(withJSONObject: json["sample"] ?? [:], options: [.sortedKeys])) ?? Data()
            return String(decoding: text, as: UTF8.self)
        }
        #expect(sample(collapsed) == sample(dense), "\(label) sample and drops")
        for key in ["nobs", "n_clusters"] { #expect(collapsed[key] as? Int == dense[key] as? Int, "\(label) \(key)") }
        let notes = { (json: [String: Any]) in ((json["notes"] as? [Any]) ?? []).count }
        #expect(notes(collapsed) == notes(dense), "\(label) notes")
    }

    /// Balanced, with zeros and an all-zero firm; both control groups (never: leads too).
    @Test(arguments: [CallawaySantAnnaOptions.Control.notyet, .never]) func balancedPanel(control: CallawaySantAnnaOptions.Control) throws {
        let panel = ExtendedTwoWayFixedEffectsTests.simulatedPanel()
        try Self.expectSame(panel.table, unit: "firm", time: "year", cohort: "cohort", outcome: "y", control: control, "balanced \(control)")
    }

    /// Clusters of several firms (firm mod 6, constant within firms): the pass over the rows sums
    /// each cluster's firms' scores and sampling terms before the outer products.
    @Test func coarserClusters() throws {
        let panel = ExtendedTwoWayFixedEffectsTests.simulatedPanel()
        var names = panel.table.names, columns = panel.table.columns
        names.append("region")
        columns.append(.numeric(panel.rows.map { Double($0.firm % 6) }))
        let table = DataTable(source: "regions", names: names, columns: columns, rowCount: panel.rows.count)
        try Self.expectSame(table, unit: "firm", time: "year", cohort: "cohort", outcome: "y", control: .notyet, "regions", cluster: "region")
    }

    /// The same panel with gaps (every firm-year whose (7·firm + year) is divisible by 5 left out)
    /// and firm 39 observed once (a singleton): groups are cohort × observed-period patterns.
    @Test(arguments: [CallawaySantAnnaOptions.Control.notyet, .never]) func gappyPanel(control: CallawaySantAnnaOptions.Control) throws {
        let panel = ExtendedTwoWayFixedEffectsTests.simulatedPanel()
        let kept = panel.rows.filter { ($0.firm * 7 + $0.year) % 5 != 0 && ($0.firm != 39 || $0.year == 2010) }
        let table = DataTable(source: "gappy", names: ["firm", "year", "cohort", "y"],
                              columns: [.numeric(kept.map { Double($0.firm) }), .numeric(kept.map { Double($0.year) }),
                                        .numeric(kept.map { Double($0.cohort) }), .numeric(kept.map(\.y))], rowCount: kept.count)
        try Self.expectSame(table, unit: "firm", time: "year", cohort: "cohort", outcome: "y", control: control, "gappy \(control)")
    }

    /// The Peru panel's exports under PUM: 70% zeros, all-zero firms and cells, separated cells.
    @Test(arguments: ["export_eu", "export_non_eu"]) func peruExports(outcome: String) throws {
        let table = try DataReader.read(path: Fixture.path("Datasets/peru-natural-ingredients/peru.csv"), format: nil, options: CSVReadOptions())
        try Self.expectSame(table, unit: "firm_id", time: "year", cohort: "pum_cohort", outcome: outcome, control: .never, "Peru \(outcome)", seTolerance: 1e-4)
    }
}
