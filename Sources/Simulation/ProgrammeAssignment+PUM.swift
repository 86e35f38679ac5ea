import Primitives

/// PUM missions: a yearly schedule matching the report's period totals, first missions drawn
/// among eligible firms, and a few firms with repeat missions.
extension ProgrammeAssignment {
    /// The recorded missions per year 2004–2017, the report's period totals scaled to `firms`
    /// (or, with `--pum-firms N`, N first missions plus the repeat missions split over the periods
    /// in the report's proportions) and spread over each period by the months with recorded missions.
    static func missionSchedule(firms: Int, pumFirms: Int? = nil) -> [Int: Int] {
        let periods = PeruCalibration.pumMissionPeriods
        let totals = pumFirms.map { firstMissions in
            PeruCalibration.apportion(firstMissions + PeruCalibration.pumRepeatGaps.joined().count,
                                      weights: periods.map { Double($0.missions) })
        } ?? periods.map { PeruCalibration.scaled($0.missions, firms: firms) }
        var schedule: [Int: Int] = [:]
        for (period, total) in zip(periods, totals) {
            let years = Array(period.years)
            let counts = PeruCalibration.apportion(
                total, weights: years.map { Double(PeruCalibration.recordedMonths($0)) })
            for (year, count) in zip(years, counts) { schedule[year] = count }
        }
        return schedule
    }

    mutating func drawPUM(firms: [Firm], exits: [Int?], options: PeruSimulationOptions) {
        var random = RandomStream(seed: options.seed, .pumSelection)
        let schedule = Self.missionSchedule(firms: options.firms, pumFirms: options.pumFirms)
        let years = schedule.keys.sorted()

        // Reserve repeat missions first, so that first missions plus repeats match the schedule.
        var repeatsAt: [Int: Int] = [:]
        var plans: [(cohort: Int, years: [Int])] = []
        for gaps in PeruCalibration.pumRepeatGaps {
            let reach = gaps.max() ?? 0
            let feasible = years.filter { cohort in
                guard let last = years.last, cohort + reach <= last,
                      (schedule[cohort] ?? 0) - (repeatsAt[cohort] ?? 0) >= 1 else { return false }
                return gaps.allSatisfy { (schedule[cohort + $0] ?? 0) - (repeatsAt[cohort + $0] ?? 0) >= 2 }
            }
            guard let cohortIndex = random.element(of: Array(feasible.indices)) else { continue }
            let cohort = feasible[cohortIndex]
            for gap in gaps { repeatsAt[cohort + gap, default: 0] += 1 }
            plans.append((cohort, gaps.map { cohort + $0 }))
        }

        var firstMissionsByYear = years.map { (schedule[$0] ?? 0) - (repeatsAt[$0] ?? 0) }
        if let wanted = options.pumFirms {
            // A repeat plan that found no room leaves its missions as first missions: drop them
            // from the last years, so that exactly `--pum-firms` firms get a first mission.
            var surplus = firstMissionsByYear.reduce(0, +) - wanted
            for position in firstMissionsByYear.indices.reversed() where surplus > 0 {
                let cut = min(surplus, firstMissionsByYear[position])
                firstMissionsByYear[position] -= cut
                surplus -= cut
            }
        }
        for (year, firstMissions) in zip(years, firstMissionsByYear) {
            // Eligible: 10–250 employees (a few smaller exceptions), in business the year before.
            let pool = firms.indices.filter { index in
                let firm = firms[index]
                guard pumMissions[index].isEmpty, firm.founded <= year - 1,
                      Self.isAlive(firms, exits, index, in: year) else { return false }
                return PeruCalibration.pumEmployees.contains(firm.baseEmployees)
                    || (firm.pumException && (3..<PeruCalibration.pumEmployees.lowerBound).contains(firm.baseEmployees))
            }
            // PUM's implicit selection leans only mildly on potential and size; from 2015 CBI
            // firms are steered to PUM, which creates the firms with both kinds of support. The
            // overlap is why each programme's parallel trends hold only given the other's status
            // (ParallelTrendsTests, the dataset README).
            let weights = pool.map { index in
                let firm = firms[index]
                let cbiBoost = year >= PeruCalibration.cbiFirstEffectYear && cbiCohort(index) > 0 ? DeterministicMath.log(2) : 0
                return selectionWeight(0.3 * firm.exportPotential + 0.3 * (firm.logBaseEmployment - DeterministicMath.log(30)) + cbiBoost)
            }
            for index in random.weightedSample(pool, weights: weights, count: firstMissions) {
                pumMissions[index] = [year]
            }
        }

        var repeated = Set<Int>()
        for plan in plans {
            let cohortFirms = firms.indices.filter { pumCohort($0) == plan.cohort && !repeated.contains($0) }
            let lastRepeat = plan.years.max() ?? plan.cohort
            let survivors = cohortFirms.filter { Self.isAlive(firms, exits, $0, in: lastRepeat) }
            guard let index = random.element(of: survivors.isEmpty ? cohortFirms : survivors) else { continue }
            repeated.insert(index)
            pumMissions[index] += plan.years
        }
    }
}
