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
            let uniform = estimate.isOverall ? nil : uniformCriticalValues[estimate.kind]
            return Row(estimate: estimate, standardError: row.standardError, statistic: row.statistic, pValue: row.pValue,
                       low: row.low, high: row.high,
                       uniformLow: uniform.map { estimate.estimate - $0 * row.standardError },
                       uniformHigh: uniform.map { estimate.estimate + $0 * row.standardError })
        }
    }

    /// The JSON entry of an aggregate (`aggregates` list).
    static func aggregateJSON(_ row: Row, estimator: StaggeredEstimator) -> JSONValue {
        var by = [(String, JSONValue)]()
        if let e = row.estimate.eventTime, row.estimate.kind == .dynamic { by.append(("event_time", .integer(e))) }
        if let g = row.estimate.group, row.estimate.kind == .group { by.append(("group", .integer(g))) }
        if let t = row.estimate.time, row.estimate.kind == .calendar { by.append(("time", .integer(t))) }
        var pairs: [(String, JSONValue)] = [
            ("estimator", .string(estimator.rawValue)), ("type", .string(row.estimate.kind.rawValue)),
            ("label", .string(row.estimate.label)),
            ("overall", .bool(row.estimate.isOverall)), ("by", .array(by.isEmpty ? [] : [.object(by)])),
            ("estimate", .finite(row.estimate.estimate)), ("std_error", .finite(row.standardError)),
            ("statistic", .finite(row.statistic)), ("p_value", .finite(row.pValue)),
            ("conf_low", .finite(row.low)), ("conf_high", .finite(row.high)),
            ("n_treated", .integer(row.estimate.treatedUnits)), ("n_cohorts", .integer(row.estimate.cohortCount)),
        ]
        if let low = row.uniformLow, let high = row.uniformHigh {
            pairs += [("uniform_low", .finite(low)), ("uniform_high", .finite(high))]
        }
        // A log ratio of means (Poisson extended TWFE) with its percent change, as fepois shows them.
        if row.estimate.scale == .logRatio {
            pairs += [("scale", .string(row.estimate.scale.rawValue)), ("percent_change", .finite(100 * expm1(row.estimate.estimate))),
                      ("percent_conf_low", .finite(100 * expm1(row.low))), ("percent_conf_high", .finite(100 * expm1(row.high)))]
        }
        return .object(pairs)
    }

    /// The JSON entry of a cell (`att_gt` list; Sun–Abraham's cohort × period coefficients too).
    static func cellJSON(_ row: Row, estimator: StaggeredEstimator) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("estimator", .string(estimator.rawValue)), ("group", .integer(row.estimate.group ?? 0))]
        if let time = row.estimate.time { pairs.append(("time", .integer(time))) }
        if let e = row.estimate.eventTime { pairs.append(("event_time", .integer(e))) }
        pairs += [("estimate", .finite(row.estimate.estimate)), ("std_error", .finite(row.standardError)),
                  ("conf_low", .finite(row.low)), ("conf_high", .finite(row.high)),
                  ("n_treated", .integer(row.estimate.treatedUnits))]
        pairs.append(("n_control", row.estimate.controlUnits.map { .integer($0) } ?? .null))
        if let low = row.uniformLow, let high = row.uniformHigh {
            pairs += [("uniform_low", .finite(low)), ("uniform_high", .finite(high))]
        }
        // A log ratio of means (Poisson extended TWFE) with its percent change, as fepois shows them.
        if row.estimate.scale == .logRatio {
            pairs += [("scale", .string(row.estimate.scale.rawValue)), ("percent_change", .finite(100 * expm1(row.estimate.estimate))),
                      ("percent_conf_low", .finite(100 * expm1(row.low))), ("percent_conf_high", .finite(100 * expm1(row.high)))]
        }
        return .object(pairs)
    }

    /// Text table lines of the aggregates (cells are left to JSON and CSV).
    func textLines(level: Double) -> [String] {
        let percent = Int((level * 100).rounded())
        let normal = !(degreesOfFreedom?.isFinite ?? false)
        var grid = [["aggregate", "by", "Estimate", "Std. Error", normal ? "z value" : "t value", normal ? "Pr(>|z|)" : "Pr(>|t|)",
                     "\(percent)% low", "\(percent)% high", "treated units", "cohorts"]]
        for row in rows(level: level) where row.estimate.kind != .attGT && row.estimate.kind != .cohortPeriod {
            let by: String
            switch row.estimate.kind {
            case .dynamic: by = row.estimate.eventTime.map { "e = \($0)" } ?? "average e ≥ 0"
            case .group: by = row.estimate.group.map { "cohort \($0)" } ?? "average"
            case .calendar: by = row.estimate.time.map { "period \($0)" } ?? "average"
            default: by = ""
            }
            let scale = row.estimate.scale == .logRatio ? " (log ratio, % = exp − 1)" : ""
            grid.append([row.estimate.kind.rawValue + scale, by, NumberFormat.significant(row.estimate.estimate),
                         NumberFormat.significant(row.standardError), NumberFormat.significant(row.statistic),
                         NumberFormat.pValue(row.pValue) + " " + NumberFormat.stars(row.pValue),
                         NumberFormat.significant(row.low), NumberFormat.significant(row.high),
                         String(row.estimate.treatedUnits), String(row.estimate.cohortCount)])
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
            ("units_per_cohort", .array(unitsPerCohort.map {
                .object([("cohort", $0.cohort.map { .integer($0) } ?? .string("never")), ("units", .integer($0.units))])
            })),
            ("dropped", .array(drops.map { .object([("reason", .string($0.reason)), ("rows", .integer($0.rows)), ("units", .integer($0.units))]) })),
            ("panel", .string(panel)),
        ])
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
