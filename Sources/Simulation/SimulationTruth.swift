/// The true effects of CBI and PUM in the simulated panel, per cell and aggregated.
///
/// A cell is (programme, cohort, year, outcome) with year >= cohort. Its effects compare each
/// treated firm-year's observed outcome with the same firm-year without that programme
/// (holding the other programme at its actual status), over firm-years that are in the panel
/// and not in the monitoring gap:
/// - `logEffect`: mean of log(Y₁) − log(Y₀) over those with a positive outcome (support never
///   turns a zero into a positive value, so this is the ATT of log Y among exporters, etc.);
/// - `levelEffect`: mean of Y₁ − Y₀ in USD or jobs over all of them, zeros included;
/// - `logRatioOfMeans`: log(mean Y₁ / mean Y₀) over all of them, zeros included: the
///   proportional effect that Poisson regression (`fepois`) targets, where log-OLS targets
///   `logEffect`. The two differ because the ratio weights firm-years by their level (large
///   exporters dominate) and takes the log after averaging rather than before.
/// Pre-support effects are zero by construction (no anticipation), so pre-period cells are
/// not listed. Cohorts treated from the first panel year on (PUM 2004 by default) have no
/// untreated year to compare with: their cells are listed with `aggregated` false and left
/// out of all aggregates, which therefore describe what the panel can identify.
public struct SimulationTruth: Sendable {
    /// An effect and the firm-years it averages over.
    public struct Effect: Sendable, Equatable {
        /// Treated firm-years with an observed outcome.
        public let n: Int
        /// Of those, the ones with a positive outcome (the log effect's base).
        public let nPositive: Int
        /// Mean log effect; nil without positive observations.
        public let logEffect: Double?
        /// Mean level effect (USD or jobs); nil without observations.
        public let levelEffect: Double?
        /// Mean Y₁ (the observed treated outcome) over the `n` firm-years, zeros included; nil
        /// without observations or where the ratio is not defined (`simpleCohortSize`).
        public let meanTreated: Double?
        /// Mean Y₀ (the same firm-years without the programme), zeros included; nil as `meanTreated`.
        public let meanUntreated: Double?
        /// log(meanTreated / meanUntreated), the ratio estimand of Poisson regression; nil when
        /// either mean is absent or mean Y₀ is 0 (support never turns a zero into a positive value,
        /// so mean Y₁ is then 0 too and there is no proportional effect to speak of).
        public let logRatioOfMeans: Double?
    }

    /// The effect of one programme on one outcome for one cohort in one year.
    public struct Cell: Sendable, Equatable {
        /// The programme whose effect this is.
        public let programme: Programme
        /// The first year of the programme's effects for these firms.
        public let cohort: Int
        /// The calendar year.
        public let year: Int
        /// The outcome.
        public let outcome: Outcome
        /// Whether the cell enters the aggregates (its cohort starts after the first panel year).
        public let aggregated: Bool
        /// The true effect.
        public let effect: Effect
        /// Years since support started: 0 in the cohort year.
        public var eventTime: Int { year - cohort }
    }

    /// How an aggregate averages cells.
    public enum AggregateKind: String, CaseIterable, Sendable {
        /// All post-support firm-years pooled: cells weighted by their firm-year counts
        /// (`n_positive` for the log effect, `n` for the level effect).
        case simple
        /// Cells weighted by cohort size (firms of the cohort in the panel), as in Callaway and
        /// Sant'Anna's simple aggregation; only cells with observations count. Its ratio fields
        /// are nil: a ratio of cohort-size-weighted means is no standard Poisson target, and the
        /// pooled `simple` ratio is the one to compare Poisson estimates with.
        case simpleCohortSize = "simple_cohort_size"
        /// Firm-years pooled by years since support (the dynamic profile).
        case eventTime = "event_time"
        /// Firm-years pooled by cohort.
        case cohort
        /// Firm-years pooled by size class at entry.
        case sizeClass = "size_class"
    }

    /// An aggregate of cells.
    public struct Aggregate: Sendable, Equatable {
        /// How the cells are averaged.
        public let kind: AggregateKind
        /// The programme whose effect this is.
        public let programme: Programme
        /// The outcome.
        public let outcome: Outcome
        /// The cohort, for `.cohort` aggregates.
        public let cohort: Int?
        /// Years since support, for `.eventTime` aggregates.
        public let eventTime: Int?
        /// The size class, for `.sizeClass` aggregates.
        public let sizeClass: SizeClass?
        /// The true effect.
        public let effect: Effect
    }

    /// Every cell, ordered by programme, cohort, year and outcome.
    public let cells: [Cell]
    /// Every aggregate, ordered by programme, outcome and kind.
    public let aggregates: [Aggregate]
    /// Quantile effects on the treated over the aggregated post-support firm-years, ordered by
    /// programme, outcome and quantile (`QuantileEffect`).
    public var quantileEffects: [QuantileEffect] = []

    /// The quantiles of `quantileEffects`: those `quipu did --quantiles` gives by default.
    public static let quantiles = [0.1, 0.25, 0.5, 0.75, 0.9]

    /// The τ-quantile of Y₁ minus the τ-quantile of Y₀ among a programme's treated firm-years (the
    /// quantile effect on the treated that changes-in-changes and the panel QTT estimate: a
    /// difference of quantiles, not a quantile of differences), type-1 quantiles (EmpiricalQuantile).
    public struct QuantileEffect: Sendable, Equatable {
        public let programme: Programme
        public let outcome: Outcome
        public let quantile: Double
        /// On the level (USD or jobs), zeros included (`n` firm-years); nil without firm-years.
        public let levelEffect: Double?
        /// log Q_τ(Y₁) − log Q_τ(Y₀) over the firm-years with both positive (`n_positive`), the
        /// log effect's base; nil without them.
        public let logEffect: Double?
    }

    /// The pooled simple ATT of a programme on an outcome.
    public func simpleATT(_ programme: Programme, _ outcome: Outcome) -> Effect? {
        aggregates.first { $0.kind == .simple && $0.programme == programme && $0.outcome == outcome }?.effect
    }

    /// The aggregates of one kind for a programme and outcome, in order.
    public func aggregates(_ kind: AggregateKind, _ programme: Programme, _ outcome: Outcome) -> [Aggregate] {
        aggregates.filter { $0.kind == kind && $0.programme == programme && $0.outcome == outcome }
    }

    /// The cells of a programme and outcome, in order.
    public func cells(_ programme: Programme, _ outcome: Outcome) -> [Cell] {
        cells.filter { $0.programme == programme && $0.outcome == outcome }
    }
}
