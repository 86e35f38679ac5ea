// The machine-readable "How far to trust this" (issue 23, point 6) in results.json, key `trust`:
// the breakdown values, the pre-test power and the design's minimum detectable effect that the
// report's section states in sentences, as typed records (Primitives/Contract). The adjusted
// p-values are `headline_adjusted`, beside the headline.

import Primitives
import Reporting
import Sensitivity

extension EvaluationResults {
    /// `trust`: `breakdown`, `pretest_power` and `design_power`, one entry per headline that has each.
    var trustJSON: JSONValue {
        .object([
            ("breakdown", .array(breakdowns.map { breakdownRecord($0).json })),
            ("pretest_power", .array(pretestPowers.map { ReportPretestPowerRecord(programme: $0.programme, outcome: $0.outcome, power: $0.power.record).json })),
            ("design_power", .array(designPower.map { line in
                ReportDesignPowerRecord(programme: line.programme, outcome: line.outcome, treated: line.treated, controls: line.controls,
                                        prePeriods: line.pre, postPeriods: line.post, start: line.start, staggered: line.staggered, power: 0.8,
                                        significance: line.significance, mde: line.failure == nil && line.mde.isFinite ? line.mde : nil,
                                        estimate: line.estimate.isFinite ? line.estimate : nil, failure: line.failure).json
            })),
        ])
    }

    /// One headline's breakdown values as a record.
    func breakdownRecord(_ entry: Breakdown) -> ReportBreakdownRecord {
        let convert = { (interval: SensitivityInterval) in
            SensitivityRecord.Interval(bound: interval.bound, low: interval.lower.isFinite ? interval.lower : nil,
                                       high: interval.upper.isFinite ? interval.upper : nil)
        }
        let curves = entry.curves.map { outcome -> ReportBreakdownRecord.Curve in
            guard let curve = outcome.curve else {
                return .init(restriction: outcome.restriction.rawValue, method: outcome.restriction == .smoothness ? "FLCI" : "",
                             original: nil, intervals: [], breakdown: nil, error: outcome.failure ?? "")
            }
            return .init(restriction: outcome.restriction.rawValue, method: curve.method.rawValue, original: convert(curve.original),
                         intervals: curve.intervals.map(convert), breakdown: curve.breakdown)
        }
        return ReportBreakdownRecord(programme: entry.programme, outcome: entry.outcome, estimator: entry.estimator.rawValue, target: entry.target,
                                     varyingBasePeriod: entry.varyingBasePeriod, curves: curves, failure: entry.failure)
    }
}
