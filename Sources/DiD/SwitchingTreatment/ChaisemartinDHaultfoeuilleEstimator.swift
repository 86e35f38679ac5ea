// `--estimator dcdh` in `quipu did`: de Chaisemartin & D'Haultfœuille (2024, "Difference-in-
// differences estimators of intertemporal treatment effects", REStat), as R/Stata
// `did_multiplegt_dyn` computes them, for a binary or discrete treatment that may switch on and
// off (SwitchingPanel, SwitchingEffects). Peers: diff-diff 3.13 `ChaisemartinDHaultfoeuille`,
// moderndid 0.2.0 `did_multiplegt` (Tests/Fixtures/dcdh).
//
// Goals:
// 1. Its effects in the shape every estimator reports, so that text, JSON (with `covariances`),
//    CSV, `--combine` and the event-study chart need no code of their own: effect ℓ is the
//    `dynamic` row at event time ℓ − 1 (0 = the first period after the change, as the other
//    estimators count), placebo ℓ the row at −1 − ℓ (relative to the last period before the
//    change, −1, as Sun–Abraham's leads), the average total effect the `simple` row.
// 2. One-line refusals of what it cannot estimate: a treatment column that is not numeric, no
//    unit whose treatment changes (of the kind `--switchers` asks for), more effects or placebos
//    than the panel allows (naming how many it allows).

import Estimation
import Foundation
import Inference
import LinearAlgebra
import PanelData
import Primitives

/// The switching-treatment estimator of de Chaisemartin & D'Haultfœuille.
struct ChaisemartinDHaultfoeuilleEstimator: DiDEstimator {
    var id: StaggeredEstimator { .dcdh }

    func estimate(_ design: DiDDesign) throws -> DiDEffectSet {
        let options = design.options
        guard let switching = options.switching else { throw EstimationError("--estimator dcdh needs --treatment (a treatment that may switch on and off)") }
        let structure = design.timing.structure
        let table = design.sourceTable
        let name = switching.treatment
        let values: [Double]
        switch table.column(named: name) {
        case let .numeric(numbers)?: values = numbers
        case let .text(text)?:
            let example = text.firstNonNumeric.map { " (line \($0.row) has '\($0.value)')" } ?? ""
            throw PanelError("\(table.source): treatment '\(name)' is not numeric\(example); dcdh needs a numeric treatment (0/1 or levels such as 0, 1, 2)")
        case nil:
            let hint = table.closestNames(to: name, limit: 3)
            throw PanelError("\(table.source): no column named '\(name)'" + (hint.isEmpty ? "" : "; did you mean " + hint.map { "'\($0)'" }.joined(separator: ", ") + "?"))
        }
        if case .cluster(let variables) = options.covariance, variables != [structure.unitName] {
            throw EstimationError("dcdh clusters its standard errors by the unit ('\(structure.unitName)'), as did_multiplegt_dyn does by default; other clusters are not available for it")
        }
        let panel = try SwitchingPanel(structure: structure, treatmentName: name, treatmentValues: values, outcome: design.outcomeColumn.values)
        let estimator = SwitchingEffects(panel: panel, switchers: switching.switchers)
        let selected = (0..<panel.unitCount).filter(estimator.selected)
        guard !selected.isEmpty else {
            let kind: String
            switch switching.switchers {
            case .both: kind = "no unit's treatment changes"
            case .in: kind = "no unit's treatment first rises (--switchers in)"
            case .out: kind = "no unit's treatment first falls (--switchers out)"
            }
            throw PanelError("\(table.source): treatment '\(name)': \(kind), so there are no switchers to estimate effects for")
        }
        let effects = (1...switching.effects).map { estimator.horizon($0, placebo: false) }
        try Self.checkAvailable(effects, requested: switching.effects, option: "--effects", what: "effect")
        let placebos = switching.placebos > 0 ? (1...switching.placebos).map { estimator.horizon($0, placebo: true) } : []
        if switching.placebos > 0 { try Self.checkAvailable(placebos, requested: switching.placebos, option: "--placebo", what: "placebo") }

        // Joint covariance of placebos (latest first) and effects, then the average total effect.
        let horizons = placebos.reversed() + effects
        var covariance = estimator.covariance(horizons)
        var estimates = horizons.map(\.estimate)
        let weights = estimator.averageTotalEffectWeights(effects)
        let effectOffset = placebos.count
        var averageRow = [Double](repeating: .nan, count: horizons.count + 1)
        var average = Double.nan
        if let weights {
            average = zip(weights, effects).reduce(0.0) { $0 + ($1.1.switchers > 0 ? $1.0 * $1.1.estimate : 0) }
            for j in horizons.indices {
                averageRow[j] = effects.indices.reduce(0.0) { sum, l in
                    effects[l].switchers > 0 ? sum + weights[l] * covariance[effectOffset + l, j] : sum
                }
            }
            averageRow[horizons.count] = effects.indices.reduce(0.0) { sum, l in
                effects[l].switchers > 0 ? sum + weights[l] * averageRow[effectOffset + l] : sum
            }
        }
        var notes = [Diagnostic(.descriptive, .note, "event time e = ℓ − 1 is did_multiplegt_dyn's effect ℓ (e = 0: the first period after a unit's first treatment change, F_g); e = −1 − ℓ its placebo ℓ, relative to the last period before the change (e = −1); simple: the average total effect per unit of treatment (Av_tot_eff)")]
        var treatmentChanges = [Double?](repeating: nil, count: effects.count)
        if switching.normalized {
            // did_multiplegt_dyn's normalized effects: each divided by δ^D_ℓ (taken as known).
            for l in effects.indices {
                let scale = estimator.cumulatedChange(effects[l])
                treatmentChanges[l] = scale
                let index = effectOffset + l
                estimates[index] /= scale
                for j in 0..<horizons.count { covariance[index, j] /= scale; covariance[j, index] /= scale }
                averageRow[index] /= scale
            }
            notes.append(Diagnostic(.descriptive, .note, "normalized: effect ℓ divided by the switchers' mean cumulated change of treatment over its ℓ periods (δ^D_ℓ), the average effect of one unit of treatment over the current and ℓ − 1 earlier periods; placebos and the average total effect are not normalized"))
        }
        let full = Self.appending(averageRow, to: covariance)

        let firstChanges = { (horizon: SwitchingHorizon) in Set(horizon.eligible.indices.filter { horizon.eligible[$0] }.compactMap { panel.firstChange[$0] }).count }
        var rows = placebos.reversed().map { h in
            StaggeredEstimate(kind: .dynamic, eventTime: -1 - h.lag, estimate: h.estimate, treatedUnits: h.switchers, cohortCount: firstChanges(h), controlUnits: h.controls)
        }
        rows += effects.enumerated().map { l, h in
            StaggeredEstimate(kind: .dynamic, eventTime: h.lag - 1, estimate: estimates[effectOffset + l], treatedUnits: h.switchers, cohortCount: firstChanges(h), controlUnits: h.controls)
        }
        let anyEffect = effects.reduce(into: Set<Int>()) { set, h in for g in h.eligible.indices where h.eligible[g] { set.insert(g) } }
        rows.append(StaggeredEstimate(kind: .simple, estimate: average, treatedUnits: anyEffect.count,
                                      cohortCount: Set(anyEffect.compactMap { panel.firstChange[$0] }).count))
        notes.append(Diagnostic(.descriptive, .note, "units whose first change of '\(name)' raises it: \(panel.direction.filter { $0 > 0 }.count), lowers it: \(panel.direction.filter { $0 < 0 }.count); never changes: \(panel.direction.filter { $0 == 0 }.count)"))
        if weights == nil {
            notes.append(Diagnostic(.design, .note, "the average total effect is undefined: the switchers' treatment changed by nothing in total over the effects' periods"))
        }
        let inference = InferenceDescription(method: "analytic (influence functions, centred within cohorts; de Chaisemartin & D'Haultfœuille 2024)",
                                             clustering: .init(variable: structure.unitName, statedCount: panel.unitCount))
        let result = StaggeredResult(estimator: .dcdh, estimates: rows, covariance: full, degreesOfFreedom: nil, inference: inference,
                                     observationCount: panel.rowsUsed, clusterCount: panel.unitCount, notes: notes)
        var perFirstChange = [Int?]()
        for g in 0..<panel.unitCount { perFirstChange.append(panel.firstChange[g].map { panel.periods[$0] }) }
        let switchersLine: String
        switch switching.switchers {
        case .both: switchersLine = "joiners and leavers pooled, each with the sign of its change"
        case .in: switchersLine = "switchers in only (treatment first rises)"
        case .out: switchersLine = "switchers out only (treatment first falls), with the sign of their change"
        }
        let sample = StaggeredSample(rowsRead: structure.rowCount, rows: panel.rowsUsed, units: panel.unitCount,
                                     unitsPerCohort: StaggeredSample.cohortCounts(perFirstChange),
                                     drops: design.outcomeColumn.drops() + panel.drops,
                                     panel: "cohort: the period of a unit's first change of '\(name)' (none: never changes); \(switchersLine); controls: units with the same first-period treatment not yet changed")
        let horizonRecords = placebos.reversed().map { h in
            SwitchingTreatmentRecord.Horizon(label: "e\(-1 - h.lag)", kind: "placebo", lag: h.lag, switchers: h.switchers, controls: h.controls,
                                             treatmentChange: nil, averageWeight: nil)
        } + effects.enumerated().map { l, h in
            SwitchingTreatmentRecord.Horizon(label: "e\(h.lag - 1)", kind: "effect", lag: h.lag, switchers: h.switchers, controls: h.controls,
                                             treatmentChange: treatmentChanges[l], averageWeight: weights.map { h.switchers > 0 ? $0[l] : 0 })
        }
        let record = SwitchingTreatmentRecord(treatment: name, switchers: switching.switchers.rawValue, normalized: switching.normalized,
                                              joiners: panel.direction.filter { $0 > 0 }.count, leavers: panel.direction.filter { $0 < 0 }.count,
                                              neverSwitching: panel.direction.filter { $0 == 0 }.count, horizons: horizonRecords)
        return DiDEffectSet(result: result, sample: sample, pretrendWarnings: [], switchingTreatment: record)
    }

    /// Refuses horizons beyond what the panel allows: the last requested one must have switchers.
    static func checkAvailable(_ horizons: [SwitchingHorizon], requested: Int, option: String, what: String) throws {
        guard let last = horizons.last, last.switchers == 0 else { return }
        let allowed = horizons.lastIndex { $0.switchers > 0 }.map { $0 + 1 } ?? 0
        let reason = what == "effect"
            ? "no switcher is observed \(requested) periods after its first change with a unit of the same first-period treatment not yet changed"
            : "no switcher is observed \(requested) periods before its first change with controls not yet changed \(requested) periods after it"
        throw PanelError("\(option) \(requested): \(reason); the panel allows at most \(option) \(allowed)")
    }

    /// `matrix` bordered with `row` as its last row and column.
    static func appending(_ row: [Double], to matrix: Matrix) -> Matrix {
        let size = matrix.rows + 1
        var full = Matrix(rows: size, columns: size, repeating: .nan)
        for i in 0..<matrix.rows { for j in 0..<matrix.rows { full[i, j] = matrix[i, j] } }
        for j in 0..<size { full[size - 1, j] = row[j]; full[j, size - 1] = row[j] }
        return full
    }
}
