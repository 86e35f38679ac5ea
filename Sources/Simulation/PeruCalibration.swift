/// Figures taken from the Peru case study report, and the scaling rule that ties programme
/// sizes to `--firms`.
///
/// Everything the report states is here with its source; behavioural parameters that the
/// report does not give (growth rates, noise, effect sizes) live in `OutcomeModel` and
/// `EffectDesign` instead, so the two kinds of number are never confused.
enum PeruCalibration {
    /// The firm count at which programme sizes equal the report's figures.
    static let referenceFirms = 600

    /// "Initially 52 companies participated in the program, but four dropped out."
    static let cbiStarters = 52
    /// The four CBI dropouts, who leave the panel.
    static let cbiDropouts = 4
    /// CBI applicants in total; the report lists non-selected applicants but not their number,
    /// so 80 (28 not selected) is an assumption.
    static let cbiApplicants = 80
    /// The CBI programme started in 2014, mostly with promotion and applications.
    static let cbiStartYear = 2014
    /// "Effects can start in 2015 at the earliest."
    static let cbiFirstEffectYear = 2015
    /// The year until which CBI keeps its 48 remaining firms (programme 2014–2018).
    static let cbiProgrammeEnd = 2018
    /// CBI selection criterion: 25 to 500 employees.
    static let cbiEmployees = 25...500

    /// PUM selection criterion: 10 to 250 employees (the report notes exceptions).
    static let pumEmployees = 10...250
    /// Missions per period (Table 3): 41 in 2004–2007, 20 in 2008–2011, 45 in 2012–2017.
    static let pumMissionPeriods: [(years: ClosedRange<Int>, missions: Int)] = [
        (2004...2007, 41), (2008...2011, 20), (2012...2017, 45),
    ]
    /// Months of each year with recorded missions: data June 2014 – April 2015 are missing and
    /// the count runs to June 2017, so those years get proportionally fewer missions.
    static func recordedMonths(_ year: Int) -> Int {
        switch year {
        case 2014: 5
        case 2015: 8
        case 2017: 6
        default: 12
        }
    }
    /// "Three companies received more than one mission (2 or 3)": the gaps in years between a
    /// firm's first mission and its later ones.
    static let pumRepeatGaps: [[Int]] = [[2], [3], [1, 3]]
    /// The year whose PUM monitoring data are lost (June 2014 – April 2015).
    static let monitoringGapYear = 2014

    /// The first and last year of the simulated history, which always spans the programmes.
    static let historyCore = 2004...2018

    /// A report count scaled to `firms` (at least one).
    static func scaled(_ count: Int, firms: Int) -> Int {
        max(1, Int((Double(count) * Double(firms) / Double(referenceFirms)).rounded()))
    }

    /// Splits `total` into integer parts proportional to `weights` (largest remainder, ties to
    /// the earlier part), so that the parts always add up to `total`.
    static func apportion(_ total: Int, weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard total > 0, sum > 0 else { return weights.map { _ in 0 } }
        let quotas = weights.map { Double(total) * $0 / sum }
        var parts = quotas.map { Int($0) }
        var missing = total - parts.reduce(0, +)
        let order = quotas.indices.sorted { lhs, rhs in
            let left = quotas[lhs] - Double(parts[lhs])
            let right = quotas[rhs] - Double(parts[rhs])
            return left != right ? left > right : lhs < rhs
        }
        for index in order where missing > 0 {
            parts[index] += 1
            missing -= 1
        }
        return parts
    }
}
