import Primitives

/// The true effects as CSV and JSON.
extension PeruSimulation {
    /// The truth CSV header.
    public static let truthColumns = [
        "kind", "programme", "outcome", "cohort", "year", "event_time", "size_class", "aggregated",
        "n", "n_positive", "log_effect", "level_effect", "log_ratio_of_means", "mean_y1", "mean_y0",
    ]

    /// Cells (`kind` = `cell`) then aggregates (`simple`, `simple_cohort_size`, `event_time`,
    /// `cohort`, `size_class`), one row per outcome; fields that do not apply are empty.
    /// `log_effect` and `log_ratio_of_means` have 6 decimals, `level_effect`, `mean_y1` and
    /// `mean_y0` (USD or jobs) 3. The ratio columns come last, so readers that find columns by
    /// position before they were added still read the same fields.
    public func truthCSV() -> String {
        var text = Self.truthColumns.joined(separator: ",") + "\n"
        for cell in truth.cells {
            text += row("cell", cell.programme, cell.outcome, cohort: cell.cohort, year: cell.year,
                        eventTime: cell.eventTime, size: nil, aggregated: cell.aggregated, cell.effect)
        }
        for aggregate in truth.aggregates {
            text += row(aggregate.kind.rawValue, aggregate.programme, aggregate.outcome, cohort: aggregate.cohort,
                        year: nil, eventTime: aggregate.eventTime, size: aggregate.sizeClass, aggregated: nil,
                        aggregate.effect)
        }
        return text
    }

    private func row(_ kind: String, _ programme: Programme, _ outcome: Outcome, cohort: Int?, year: Int?,
                     eventTime: Int?, size: SizeClass?, aggregated: Bool?, _ effect: SimulationTruth.Effect) -> String {
        func text(_ value: Int?) -> String { value.map { String($0) } ?? "" }
        var fields: [String] = [kind, programme.code, outcome.column, text(cohort), text(year), text(eventTime)]
        fields.append(size?.code ?? "")
        fields.append(aggregated.map { $0 ? "1" : "0" } ?? "")
        fields.append(String(effect.n))
        fields.append(String(effect.nPositive))
        fields.append(effect.logEffect.map { FixedPoint.format($0, decimals: 6) } ?? "")
        fields.append(effect.levelEffect.map { FixedPoint.format($0, decimals: 3) } ?? "")
        fields.append(effect.logRatioOfMeans.map { FixedPoint.format($0, decimals: 6) } ?? "")
        fields.append(effect.meanTreated.map { FixedPoint.format($0, decimals: 3) } ?? "")
        fields.append(effect.meanUntreated.map { FixedPoint.format($0, decimals: 3) } ?? "")
        return fields.joined(separator: ",") + "\n"
    }

    /// The truth as one JSON object: options, the effect design, definitions, aggregates
    /// grouped by programme and outcome, and all cells.
    public func truthJSON() -> String {
        var root: [(String, JSONValue)] = [
            ("dataset", .string("Simulated panel of Peruvian natural-ingredient exporters (CBI export coaching, PUM expert missions). Not real data.")),
            ("options", .object([
                ("seed", .decimal(String(options.seed))), ("firms", .integer(options.firms)),
                ("first_year", .integer(options.firstYear)), ("last_year", .integer(options.lastYear)),
                ("selection_on_growth", .bool(options.selectionOnGrowth)),
                ("effect_scale", .number(options.effectScale)),
                ("effects_of", .string(options.effectsOf.rawValue)),
                ("cbi_firms", .integer(cbiFirms)),
                ("pum_firms", .integer(pumFirms)),
                ("rows", .integer(rows)),
            ])),
            ("definitions", .object([
                ("log_effect", .string("mean of log(Y1) - log(Y0) over treated firm-years observed with Y > 0")),
                ("level_effect", .string("mean of Y1 - Y0 (USD or jobs) over treated firm-years observed, zeros included")),
                ("log_ratio_of_means", .string("log(mean_y1 / mean_y0) over treated firm-years observed, zeros included: the proportional effect Poisson regression (fepois) targets, where log-OLS targets log_effect; null where mean_y0 is 0 and in simple_cohort_size")),
                ("mean_y1", .string("mean of Y1, the observed treated outcome (USD or jobs), over the n treated firm-years, zeros included")),
                ("mean_y0", .string("mean of Y0, the same firm-years without this programme (USD or jobs), zeros included")),
                ("counterfactual", .string("the same firm-year without this programme, the other programme at its actual status")),
                ("simple", .string("all post-support firm-years pooled (cells weighted by n_positive or n)")),
                ("simple_cohort_size", .string("cells weighted by cohort size (firms of the cohort in the panel)")),
                ("pre_periods", .string("effects before the cohort year are exactly zero (no anticipation)")),
                ("aggregated", .string("cells of cohorts treated from the first panel year on have no untreated year in the panel; they are listed but excluded from all aggregates")),
                ("quantile_effects", .string("the quantile of Y1 minus the same quantile of Y0 among the aggregated treated firm-years (type-1 quantiles, the inverse empirical CDF): level_effect over all of them, zeros included; log_effect as log Q(Y1) - log Q(Y0) over those with both positive. A difference of quantiles, not a quantile of differences: what changes-in-changes and the panel QTT (quipu did --estimator cic|qtt) estimate")),
            ])),
            ("design", designJSON()),
        ]
        var groups: [JSONValue] = []
        for programme in Programme.allCases {
            for outcome in Outcome.allCases {
                var pairs: [(String, JSONValue)] = [("programme", .string(programme.code)), ("outcome", .string(outcome.column))]
                for kind in SimulationTruth.AggregateKind.allCases {
                    let list = truth.aggregates(kind, programme, outcome)
                    switch kind {
                    case .simple, .simpleCohortSize:
                        pairs.append((kind.rawValue, list.first.map { effectJSON($0.effect) } ?? .null))
                    case .eventTime, .cohort, .sizeClass:
                        pairs.append((kind.rawValue, .array(list.map { aggregate in
                            let label: (String, JSONValue) = switch kind {
                            case .eventTime: ("event_time", aggregate.eventTime.map(JSONValue.integer) ?? .null)
                            case .cohort: ("cohort", aggregate.cohort.map(JSONValue.integer) ?? .null)
                            default: ("size_class", .string(aggregate.sizeClass?.code ?? ""))
                            }
                            return effectJSON(aggregate.effect, leading: [label])
                        })))
                    }
                }
                pairs.append(("quantile_effects", .array(truth.quantileEffects.filter { $0.programme == programme && $0.outcome == outcome }.map { effect in
                    .object([("quantile", .number(effect.quantile)), ("level_effect", Self.fixed(effect.levelEffect, decimals: 3)),
                             ("log_effect", Self.fixed(effect.logEffect, decimals: 6))])
                })))
                groups.append(.object(pairs))
            }
        }
        root.append(("aggregates", .array(groups)))
        root.append(("cells", .array(truth.cells.map { cell in
            effectJSON(cell.effect, leading: [
                ("programme", .string(cell.programme.code)), ("cohort", .integer(cell.cohort)),
                ("year", .integer(cell.year)), ("event_time", .integer(cell.eventTime)),
                ("outcome", .string(cell.outcome.column)), ("aggregated", .bool(cell.aggregated)),
            ])
        })))
        return JSONValue.object(root).versioned().serialized(layout: .expanded) + "\n"
    }

    /// `value` with `decimals` fixed decimals, or null when absent or not representable.
    private static func fixed(_ value: Double?, decimals: Int) -> JSONValue {
        guard let value else { return .null }
        let text = FixedPoint.format(value, decimals: decimals)
        return text.isEmpty ? .null : .decimal(text)
    }

    private func effectJSON(_ effect: SimulationTruth.Effect, leading: [(String, JSONValue)] = []) -> JSONValue {
        .object(leading + [
            ("n", .integer(effect.n)), ("n_positive", .integer(effect.nPositive)),
            ("log_effect", Self.fixed(effect.logEffect, decimals: 6)),
            ("level_effect", Self.fixed(effect.levelEffect, decimals: 3)),
            ("log_ratio_of_means", Self.fixed(effect.logRatioOfMeans, decimals: 6)),
            ("mean_y1", Self.fixed(effect.meanTreated, decimals: 3)),
            ("mean_y0", Self.fixed(effect.meanUntreated, decimals: 3)),
        ])
    }

    /// Parallel trends of the outcome without any support: unconditional, by construction.
    static let parallelTrendsWithoutSupport = "hold unconditionally (unless selection_on_growth): selection (size, export potential, founding year) and closures look only at time-invariant traits, and untreated log outcomes are a firm level, a firm trend drawn independently of every trait selection uses, calendar and sub-sector shocks, and stationary noise; estimators on a panel with effect_scale 0 find no effect, up to head-count rounding (about +0.002 on CBI log permanent jobs, whose comparison firms include the smallest)"

    /// Parallel trends of each programme's counterfactual, which keeps the other programme.
    static let parallelTrendsPerProgramme = "hold only conditionally on the other programme when both have effects (effects_of both): each programme's counterfactual keeps the other programme as it was, and the programmes overlap (both take larger firms, CBI firms are steered to PUM from 2015), so CBI firms carry more of PUM's growing effects than their comparison firms, and PUM firms more of CBI's. A comparison that ignores the other programme overstates CBI's effect on log sales (imputation and TWFE, which use the long pre-period, by about 0.04) and finds PUM effects on permanent jobs (about +0.01) where there are none. Compare within the other programme's status (leave out the other programme's firms, or add its cohort-by-year fixed effects), or simulate with effects_of cbi or pum, which makes that programme's trends parallel unconditionally"

    /// The effect formula's parameters, so readers can see what the estimators should find.
    private func designJSON() -> JSONValue {
        func number(_ value: Double) -> JSONValue { Self.fixed(value, decimals: 4) }
        let programmes: [(String, JSONValue)] = Programme.allCases.map { programme in
            let cohorts: [Int] = programme == .cbi
                ? [PeruCalibration.cbiFirstEffectYear]
                : Array(PeruCalibration.pumMissionPeriods.map(\.years).joined())
            return (programme.code, .object([
                ("cap_years", .integer(EffectDesign.cap(programme))),
                ("slope", .object(Outcome.allCases.map { ($0.column, number(EffectDesign.slope(programme, $0))) })),
                ("cohort_factor", .object(cohorts.map { (String($0), number(EffectDesign.cohortFactor(programme, cohort: $0))) })),
            ]))
        }
        return .object([
            ("formula", .string("log effect = effect_scale * slope[outcome] * cohort_factor[cohort] * size_multiplier[size_class] * responsiveness * min(year - cohort + 1, cap_years) for year >= cohort (effect_scale from the options, 0 for a programme that effects_of leaves out); sales are shifted through their domestic part, exports add their own effects")),
            ("parallel_trends", .object([
                ("without_support", .string(Self.parallelTrendsWithoutSupport)),
                ("each_programme", .string(Self.parallelTrendsPerProgramme)),
            ])),
            ("responsiveness", .string("firm-specific, lognormal with mean 1 and log-SD 0.25")),
            ("size_multiplier", .object(SizeClass.allCases.map { ($0.code, number(EffectDesign.sizeMultiplier($0))) })),
        ] + programmes)
    }
}
