/// Exactly which rows and units an estimate rests on, and why the others were left out.
public struct StaggeredSample: Sendable {
    /// One reason rows or units were dropped, with how many.
    public struct Drop: Sendable {
        public let reason: String
        public let rows: Int
        public let units: Int
        public init(reason: String, rows: Int, units: Int) {
            self.reason = reason
            self.rows = rows
            self.units = units
        }
    }

    /// Rows read from the data.
    public var rowsRead: Int
    /// Rows used in the estimation.
    public var rows: Int
    /// Units used in the estimation.
    public var units: Int
    /// Units per cohort (nil: never treated), ascending, never treated last.
    public var unitsPerCohort: [(cohort: Int?, units: Int)]
    /// Dropped rows and units, by reason, in the order the filters ran.
    public var drops: [Drop]
    /// How the panel was treated, e.g. "balanced panel (units observed in all 5 periods)".
    public var panel: String
    /// With covariates that cost treated units or cohorts (Callaway–Sant'Anna), what was kept of
    /// what was available without them; nil otherwise.
    public var covariateSupport: CovariateSupport? = nil

    public init(rowsRead: Int, rows: Int, units: Int, unitsPerCohort: [(cohort: Int?, units: Int)], drops: [Drop], panel: String) {
        self.rowsRead = rowsRead
        self.rows = rows
        self.units = units
        self.unitsPerCohort = unitsPerCohort
        self.drops = drops
        self.panel = panel
    }

    /// Counts units per cohort from one cohort per unit (nil: never treated).
    public static func cohortCounts(_ cohorts: some Sequence<Int?>) -> [(cohort: Int?, units: Int)] {
        var counts = [Int: Int]()
        var never = 0
        for cohort in cohorts {
            if let cohort { counts[cohort, default: 0] += 1 } else { never += 1 }
        }
        var result: [(cohort: Int?, units: Int)] = counts.keys.sorted().map { (cohort: $0, units: counts[$0] ?? 0) }
        if never > 0 { result.append((cohort: nil, units: never)) }
        return result
    }
}
