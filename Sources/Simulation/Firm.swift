import Primitives

/// The time-invariant traits of one simulated firm.
///
/// Programme selection looks only at these traits (baseline size, export potential and, when
/// selection on growth is switched on, the growth trend), never at realised yearly shocks: that
/// is what makes "selection on levels" leave the trends of outcomes without support parallel.
/// (With both programmes' effects on, each programme's trends are parallel only given the other
/// programme's status, since the two select alike; see `ParallelTrendsTests`.)
struct Firm: Sendable {
    /// 1-based identifier written as `firm_id`.
    let id: Int
    let subsector: Subsector
    /// Founding year.
    let founded: Int
    /// First simulated year: the founding year, or the start of the simulated history.
    let entry: Int
    /// Log of total employment at entry, before any support.
    let logBaseEmployment: Double
    /// Head count at entry; the basis of `sizeClass` and of the programmes' size criteria.
    let baseEmployees: Int
    /// Size class at entry (fixed, so that heterogeneity by size is by a pre-support trait).
    let sizeClass: SizeClass
    /// Share of the workforce on permanent contracts.
    let permanentShare: Double
    /// Probability of employing any temporary workers in a year.
    let temporaryPropensity: Double
    /// Latent export potential (standard normal), what CBI selects on.
    let exportPotential: Double
    /// Yearly log growth trend of employment, sales and (amplified) exports.
    let growth: Double
    /// Log domestic sales per worker relative to the sector norm.
    let productivity: Double
    /// Firm-specific log export level, EU and non-EU.
    let exportLevelEU: Double
    let exportLevelNonEU: Double
    /// Firm-specific propensity to export, EU and non-EU.
    let exportPropensityEU: Double
    let exportPropensityNonEU: Double
    /// Multiplier of programme effects (mean 1): some firms respond better to support.
    let responsiveness: Double
    /// Whether PUM would accept this firm below its 10-employee floor (the report quotes one).
    let pumException: Bool
}

extension Firm {
    /// Draws a firm's traits from its own keyed stream.
    ///
    /// The draw order is fixed, so firm `id` has the same traits whatever `--firms` is.
    static func draw(id: Int, seed: UInt64, historyStart: Int) -> Firm {
        var random = RandomStream(seed: seed, .firmTraits, id)
        let subsector = Subsector.draw(random.nextUniform())
        // Most firms predate the panel; a third are founded 2004–2013 and enter mid-panel.
        let founded: Int
        if random.bernoulli(0.68) {
            let age = Int(-12 * DeterministicMath.log(random.nextUniformOpen()))
            founded = max(1950, 2003 - age)
        } else {
            founded = random.integer(in: 2004...2013)
        }
        let logBase = min(max(random.normal(mean: OutcomeModel.logMedianEmployees, sd: 1.15), 0), 7.6)
        let baseEmployees = max(1, Int(FixedPoint.wholeNumber(DeterministicMath.exp(logBase))))
        let sizeGap = logBase - OutcomeModel.logMedianEmployees
        let temporaryScore = -0.2 + 0.6 * sizeGap + random.normal(mean: 0, sd: 0.8)
        return Firm(
            id: id,
            subsector: subsector,
            founded: founded,
            entry: max(historyStart, founded),
            logBaseEmployment: logBase,
            baseEmployees: baseEmployees,
            sizeClass: SizeClass(employees: baseEmployees),
            permanentShare: 0.35 + 0.55 * random.nextUniform(),
            temporaryPropensity: 1 / (1 + DeterministicMath.exp(-temporaryScore)),
            exportPotential: random.normal(),
            growth: random.normal(mean: OutcomeModel.meanGrowth, sd: OutcomeModel.growthSD),
            productivity: random.normal(mean: 0, sd: 0.45),
            exportLevelEU: random.normal(mean: 0, sd: 0.6),
            exportLevelNonEU: random.normal(mean: 0, sd: 0.6),
            exportPropensityEU: random.normal(mean: 0, sd: 0.7),
            exportPropensityNonEU: random.normal(mean: 0, sd: 0.7),
            responsiveness: DeterministicMath.exp(random.normal(mean: -0.03125, sd: 0.25)),
            pumException: random.bernoulli(0.1)
        )
    }

    /// Log baseline size relative to the median firm.
    var sizeGap: Double { logBaseEmployment - OutcomeModel.logMedianEmployees }
}
