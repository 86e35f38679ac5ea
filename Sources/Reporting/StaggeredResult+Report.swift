import DiD
import Foundation
import Inference
import Primitives

/// Tests and intervals of staggered-adoption estimates, and their JSON, text and CSV rows.
extension StaggeredResult {
    /// One estimate with its inference.
    public struct Row: Sendable {
        public let estimate: StaggeredEstimate
        public let standardError: Double
        public let statistic: Double
        public let pValue: Double
        public let low: Double, high: Double
        /// The uniform band (bootstrap), when there is one for this kind.
        public let uniformLow: Double?, uniformHigh: Double?
    }

    /// Every estimate with its standard error, test and interval (NaN where undefined), as the
    /// result's inference derives them, and its uniform band where the bootstrap gave one.
    public func rows(level: Double) -> [Row] {
        zip(estimates, estimateInference.rows(level: level)).map { estimate, row in
            let uniform = estimate.quantile != nil ? quantileCriticalValues[estimate.familyLabel]
                : estimate.isOverall ? nil : uniformCriticalValues[estimate.kind]
            return Row(estimate: estimate, standardError: row.standardError, statistic: row.statistic, pValue: row.pValue,
                       low: row.low, high: row.high,
                       uniformLow: uniform.map { estimate.estimate - $0 * row.standardError },
                       uniformHigh: uniform.map { estimate.estimate + $0 * row.standardError })
        }
    }

    /// Text table lines of the aggregates (cells are left to JSON and CSV).
    func textLines(level: Double, proportional: Bool = false) -> [String] {
        let percent = Int((level * 100).rounded())
        let normal = !(degreesOfFreedom?.isFinite ?? false)
        // The distributional estimators' rows say which quantile they are (mean: the mean effect).
        let quantiles = estimates.contains { $0.quantile != nil }
        var grid = [["aggregate", "by"] + (quantiles ? ["quantile"] : []) + ["Estimate", "Std. Error", normal ? "z value" : "t value", normal ? "Pr(>|z|)" : "Pr(>|t|)",
                     "\(percent)% low", "\(percent)% high", "treated units", "cohorts"]]
        if proportional { grid[0] += ["% change", "% \(percent)% low", "% \(percent)% high"] }
        for row in rows(level: level) where row.estimate.kind != .attGT && row.estimate.kind != .cohortPeriod {
            let by: String
            switch row.estimate.kind {
            case .dynamic: by = row.estimate.eventTime.map { "e = \($0)" } ?? "average e ≥ 0"
            case .group: by = row.estimate.group.map { "cohort \($0)" } ?? "average"
            case .calendar: by = row.estimate.time.map { "period \($0)" } ?? "average"
            default: by = ""
            }
            let scale = row.estimate.scale == .logRatio ? " (log ratio, % = exp − 1)" : ""
            grid.append([row.estimate.kind.rawValue + scale, by] + (quantiles ? [row.estimate.quantile.map { NumberFormat.significant($0) } ?? "mean"] : [])
                        + [NumberFormat.significant(row.estimate.estimate),
                         NumberFormat.significant(row.standardError), NumberFormat.significant(row.statistic),
                         NumberFormat.pValue(row.pValue) + " " + NumberFormat.stars(row.pValue),
                         NumberFormat.significant(row.low), NumberFormat.significant(row.high),
                         String(row.estimate.treatedUnits), String(row.estimate.cohortCount)])
            if proportional {
                let percent = PercentChangeRecord(logPoints: row.estimate.estimate, low: row.low, high: row.high)
                grid[grid.count - 1] += [percent.change, percent.low, percent.high].map { NumberFormat.significant($0, digits: 4) }
            }
        }
        return TextGrid.lines(grid, markdown: false)
    }
}

extension StaggeredSample {
    /// The sample as JSON.
    func json(estimator: StaggeredEstimator) -> JSONValue {
        .object([
            ("estimator", .string(estimator.rawValue)),
            ("rows_read", .integer(rowsRead)), ("rows", .integer(rows)), ("units", .integer(units)),
            ("units_per_cohort", .array(unitsPerCohort.map { CohortSizeRecord(cohort: $0.cohort, units: $0.units).json })),
            ("dropped", .array(drops.map { .object([("reason", .string($0.reason)), ("rows", .integer($0.rows)), ("units", .integer($0.units))]) })),
            ("panel", .string(panel)),
        ] + (covariateSupport.map { support in
            [("covariate_support", JSONValue.object([
                ("covariates", .array(support.covariates.map { .string($0) })),
                ("treated_units_kept", .integer(support.treatedUnitsKept)), ("treated_units_available", .integer(support.treatedUnitsAvailable)),
                ("cohorts_kept", .integer(support.cohortsKept)), ("cohorts_available", .integer(support.cohortsAvailable)),
                ("reasons", .array(support.reasons.map { .string($0) })),
            ]))]
        } ?? []))
    }

    /// One line saying what the estimate rests on.
    var summaryLine: String {
        let cohorts = unitsPerCohort.map { "\($0.cohort.map(String.init) ?? "never"): \($0.units)" }.joined(separator: ", ")
        return "Sample: \(rows) of \(rowsRead) rows, \(units) units (\(cohorts)); \(panel)"
    }

    /// The drops as lines ("log(export_eu): zero or negative: 4892 rows").
    var dropLines: [String] {
        drops.map { "Dropped: \($0.reason): \($0.rows) rows" + ($0.units > 0 ? ", \($0.units) units" : "") }
    }
}

extension StaggeredResult.Row {
    /// The uniform band, when the bootstrap gave one for this estimate.
    var uniformBand: UniformBandRecord? {
        guard let uniformLow, let uniformHigh else { return nil }
        return UniformBandRecord(low: uniformLow, high: uniformHigh)
    }

    /// Whether the row is a log ratio of means (the extended TWFE's Poisson `lr_` rows): it then
    /// states its scale and carries its percentage change, as fepois shows a coefficient.
    var isLogRatio: Bool { estimate.scale == .logRatio }

    /// The row as an entry of `aggregates`; `logPoints`: with its percentage change (Poisson).
    func aggregateRecord(estimator: StaggeredEstimator, logPoints: Bool) -> AggregateRecord {
        let by: ByRecord?
        switch estimate.kind {
        case .dynamic: by = estimate.eventTime.map { ByRecord(eventTime: $0) }
        case .group: by = estimate.group.map { ByRecord(group: $0) }
        case .calendar: by = estimate.time.map { ByRecord(time: $0) }
        default: by = nil
        }
        return AggregateRecord(estimator: estimator.rawValue, type: estimate.kind.rawValue, label: estimate.label, overall: estimate.isOverall,
                               by: by, inference: InferenceRecord(estimate: estimate.estimate, standardError: standardError, statistic: statistic,
                                                                  pValue: pValue, confidenceLow: low, confidenceHigh: high),
                               treatedUnits: estimate.treatedUnits, cohortCount: estimate.cohortCount, uniformBand: uniformBand,
                               percentChange: logPoints || isLogRatio ? PercentChangeRecord(logPoints: estimate.estimate, low: low, high: high) : nil,
                               scale: isLogRatio ? estimate.scale.rawValue : nil, quantile: estimate.quantile)
    }

    /// The row as an entry of `att_gt` (Sun–Abraham's `cohort_period` too); `logPoints`: with its
    /// percentage change (a proportional effect's log ratio).
    func cellRecord(estimator: StaggeredEstimator, logPoints: Bool) -> CellRecord {
        CellRecord(estimator: estimator.rawValue, group: estimate.group ?? 0, time: estimate.time, eventTime: estimate.eventTime,
                   estimate: estimate.estimate, standardError: standardError, confidenceLow: low, confidenceHigh: high,
                   treatedUnits: estimate.treatedUnits, controlUnits: estimate.controlUnits, uniformBand: uniformBand,
                   percentChange: logPoints || isLogRatio ? PercentChangeRecord(logPoints: estimate.estimate, low: low, high: high) : nil,
                   scale: isLogRatio ? estimate.scale.rawValue : nil, quantile: estimate.quantile)
    }
}
