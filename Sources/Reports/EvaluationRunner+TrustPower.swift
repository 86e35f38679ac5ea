// The report's "How far to trust this": the analytic minimum detectable effect of each headline's
// own design (Burlig, Preonas & Woerman 2020), calibrated from the panel's residuals, so that a
// reader sees whether the evaluation could have detected an effect of the size it reports.

import DiD
import PanelData
import Power

extension EvaluationRunner {
    /// The design's MDE for each headline of `programme` on a linear scale (Poisson headlines are
    /// proportional effects that BPW's linear formula does not cover), on `table`, the rows the
    /// programme's estimates use. A staggered programme is treated as if every supported unit
    /// started in the median start period: BPW's formula has one start date.
    func designPower(_ programme: EvaluationSpec.Programme, table: DataTable, effects: [EvaluationResults.Effect]) -> [EvaluationResults.HeadlinePower] {
        effects.filter { $0.programme == programme.name && $0.headline && $0.failure == nil && $0.scale != .poisson }.compactMap { effect in
            do {
                let structure = try PanelStructure(table: table, unit: spec.unit, time: spec.time, treatment: programme.treatment)
                let outcome = try OutcomeColumn(outcome: effect.expression, table: table).values
                var treatedStarts = [Int](), controls = Set<Int32>()
                var seen = Set<Int32>()
                for row in 0..<structure.rowCount where outcome[row].isFinite {
                    let unit = structure.unitCodes[row]
                    guard seen.insert(unit).inserted else { continue }
                    if let start = structure.cohorts[Int(unit)] { treatedStarts.append(start) } else { controls.insert(unit) }
                }
                guard !treatedStarts.isEmpty else { return nil }
                let start = treatedStarts.sorted()[treatedStarts.count / 2]
                let pre = structure.periodValues.filter { $0 < start }.count
                let post = structure.periodValues.count - pre
                let errors = try ErrorCovariance(pilot: structure, outcome: outcome, pre: pre, post: post)
                let design = try DesignPower(treated: effect.treatedUnits, controls: controls.count, prePeriods: pre, postPeriods: post,
                                                   errors: errors, significance: 1 - spec.inference.level)
                return EvaluationResults.HeadlinePower(programme: effect.programme, outcome: effect.outcome, treated: effect.treatedUnits,
                                                     controls: controls.count, pre: pre, post: post, start: start,
                                                     staggered: Set(treatedStarts).count > 1,
                                                     mde: try design.minimumDetectableEffect(power: 0.8), estimate: effect.estimate,
                                                     significance: design.significance, failure: nil)
            } catch {
                return EvaluationResults.HeadlinePower(programme: effect.programme, outcome: effect.outcome, treated: effect.treatedUnits,
                                                     controls: 0, pre: 0, post: 0, start: 0, staggered: false, mde: .nan,
                                                     estimate: effect.estimate, significance: 1 - spec.inference.level, failure: describe(error))
            }
        }
    }
}
