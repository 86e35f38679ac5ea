import DiD
import Reporting
import Primitives

extension EvaluationResults {
    /// All results as one JSON document; no times or paths of this machine, so two runs of the
    /// same spec give the same bytes.
    public var json: JSONValue {
        func effectJSON(_ effect: Effect) -> JSONValue {
            .object([
                ("programme", .string(effect.programme)), ("outcome", .string(effect.outcome)), ("expression", .string(effect.expression)),
                ("scale", .string(effect.scale.rawValue)),
                ("estimator", .string(effect.estimator.rawValue)), ("headline", .bool(effect.headline)),
                ("estimate", .finite(effect.estimate)), ("std_error", .finite(effect.standardError)),
                ("conf_low", .finite(effect.low)), ("conf_high", .finite(effect.high)), ("p_value", .finite(effect.pValue)),
                ("nobs", .integer(effect.observations)), ("n_treated", .integer(effect.treatedUnits)),
                ("inference", .string(effect.inference)), ("truth", .finite(effect.truth)),
                ("failure", effect.failure.map { .string($0) } ?? .null),
                ("warnings", .array(effect.warnings.map { .string($0) })),
            ])
        }
        return JSONValue.object([
            ("command", .string("report")),
            ("title", .string(spec.title)),
            ("data", .string(spec.data)),
            ("unit", .string(spec.unit)),
            ("unit_label", .array([.string(spec.unitNoun.one), .string(spec.unitNoun.many)])),
            ("time", .string(spec.time)),
            ("conf_level", .finite(spec.inference.level)),
            ("sample", .object([
                ("rows_read", .integer(sample.rowsRead)), ("rows", .integer(sample.rows)), ("units", .integer(sample.units)),
                ("entries", .integer(sample.entries)), ("exits", .integer(sample.exits)),
                ("filter", sample.filter.map { .string($0) } ?? .null),
                ("periods", .array(sample.periods.map { period in
                    .object([("period", .integer(period.period)), ("units", .integer(period.units)), ("entering", .integer(period.entering)),
                             ("exiting", .integer(period.exiting)),
                             ("treated", .object(zip(spec.programmes, period.treated).map { ($0.name, .integer($1)) }))])
                })),
                ("outcomes", .array(sample.missingShares.map { .object([("column", .string($0.column)), ("missing_share", .finite($0.share)), ("zero_share", .finite($0.zeroShare))]) })),
            ])),
            ("overlap", .array(overlaps.map { overlap in
                .object([("programmes", .array([.string(overlap.first), .string(overlap.second)])), ("both", .integer(overlap.both)),
                         ("first_only", .integer(overlap.firstOnly)), ("second_only", .integer(overlap.secondOnly)), ("neither", .integer(overlap.neither))])
            })),
            ("trends", .array(trends.map { trend in
                .object([("programme", .string(trend.programme)), ("outcome", .string(trend.outcome)), ("expression", .string(trend.expression)),
                         ("statistic", .string(trend.trends.statistic.rawValue)),
                         ("points", .array(trend.trends.points.map(\.record.json)))])
            })),
            ("headline", .array(effects.filter(\.headline).map(effectJSON))),
            ("headline_adjusted", headlineAdjustedJSON),
            ("trust", trustJSON),
            ("effects", .array(effects.map(effectJSON))),
            ("event_study", .array(profiles.map { profile in
                .object([("programme", .string(profile.programme)), ("outcome", .string(profile.outcome)), ("estimator", .string(profile.estimator.rawValue)),
                         ("points", .array(profile.points.map { .object([("event_time", .integer($0.eventTime)), ("estimate", .finite($0.estimate)),
                                                                         ("conf_low", .finite($0.low)), ("conf_high", .finite($0.high))]) }))])
            })),
            ("pretrend_tests", .array(pretrends.map { test in
                .object([("programme", .string(test.programme)), ("outcome", .string(test.outcome)), ("estimator", .string(test.estimator.rawValue)),
                         ("description", .string(test.description))]
                        + WaldTestRecord(statistic: test.statistic, numeratorDegrees: test.numeratorDegrees,
                                         denominatorDegrees: test.denominatorDegrees, pValue: test.pValue).jsonPairs)
            })),
            ("bacon", .array(bacon.map { entry in
                .object([("programme", .string(entry.programme)), ("outcome", .string(entry.outcome)),
                         ("decomposition", entry.decomposition.map { baconJSON($0) } ?? .null),
                         ("failure", entry.failure.map { .string($0) } ?? .null)])
            })),
            ("bootstrap", .array(bootstrap.map { row in
                .object([("programme", .string(row.programme)), ("outcome", .string(row.outcome)), ("estimate", .finite(row.estimate)),
                         ("analytic_std_error", .finite(row.analyticStandardError)), ("bootstrap_std_error", .finite(row.bootstrapStandardError)),
                         ("conf_low", .finite(row.low)), ("conf_high", .finite(row.high)), ("dynamic_critical_value", .finite(row.dynamicCriticalValue)),
                         ("replicates", .integer(row.replicates)), ("seed", .string(String(row.seed)))])
            })),
            ("subgroups", .array(subgroups.map { group in
                .object([("column", .string(group.column)), ("level", .string(group.level)),
                         ("flag", group.tooFewTreated(spec.unitNoun).map { .string($0) } ?? .null), ("effect", effectJSON(group.effect))])
            })),
            ("notes", .array(notes.map { .string($0) })),
            ("runs", .array(runs.map { run in
                .object([("programme", .string(run.programme)), ("outcome", .string(run.outcome)), ("estimator", .string(run.estimator.rawValue)), ("result", run.json)])
            })),
        ]).versioned()
    }

    func baconJSON(_ decomposition: BaconDecomposition) -> JSONValue {
        .object([
            ("twfe_estimate", .finite(decomposition.twfeEstimate)), ("forbidden_weight", .finite(decomposition.forbiddenWeight)),
            ("units", .integer(decomposition.unitCount)),
            ("by_type", decomposition.byTypeJSON),
        ])
    }
}
