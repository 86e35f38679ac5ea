import Primitives

/// CBI's 2014 intake: applicants, starters chosen on export potential, and dropouts.
extension ProgrammeAssignment {
    mutating func drawCBI(firms: [Firm], exits: inout [Int?], options: PeruSimulationOptions) {
        var random = RandomStream(seed: options.seed, .cbiSelection)
        let start = PeruCalibration.cbiStartYear
        let (applicantCount, starterCount, dropoutCount) = Self.cbiIntake(options)

        // Eligible: 25–500 employees, founded by 2012, in business in 2014. Should an unlucky
        // seed leave too few, the largest other firms fill the pool (CBI "does not have access
        // to a very large pool of companies").
        let alive = firms.indices.filter { Self.isAlive(firms, exits, $0, in: start) && firms[$0].founded <= start - 2 }
        var pool = alive.filter { PeruCalibration.cbiEmployees.contains(firms[$0].baseEmployees) }
        if pool.count < applicantCount {
            let inPool = Set(pool)
            let others = alive.filter { !inPool.contains($0) }
                .sorted { (firms[$0].baseEmployees, -$0) > (firms[$1].baseEmployees, -$1) }
            pool += others.prefix(applicantCount - pool.count)
        }
        // CBI favours the highest export potential. With selection on growth, fast growers are
        // also likelier to apply and to be picked, and they keep growing faster without
        // support: supported firms then trend differently beforehand (parallel trends fail).
        func growthScore(_ index: Int) -> Double {
            guard options.selectionOnGrowth else { return 0 }
            return 2 * (firms[index].growth - OutcomeModel.meanGrowth) / OutcomeModel.growthSD
        }
        let applicants = random.weightedSample(
            pool, weights: pool.map { selectionWeight(0.8 * firms[$0].exportPotential + 0.4 * firms[$0].sizeGap + growthScore($0)) },
            count: applicantCount)
        let starters = random.weightedSample(
            applicants, weights: applicants.map { selectionWeight(1.2 * firms[$0].exportPotential + growthScore($0)) },
            count: starterCount)
        // Firms that respond poorly are the likelier dropouts.
        let dropouts = random.weightedSample(
            starters, weights: starters.map { selectionWeight(-2 * (firms[$0].responsiveness - 1)) },
            count: dropoutCount)
        for index in applicants { applicant[index] = true }
        for index in starters {
            cbiStarter[index] = true
            if let exit = exits[index], exit <= PeruCalibration.cbiProgrammeEnd { exits[index] = nil }
        }
        for index in dropouts {
            cbiDropout[index] = true
            exits[index] = PeruCalibration.cbiFirstEffectYear
        }
    }

    /// Applicants, starters and dropouts: the report's 80 / 52 / 4 scaled to `--firms`, or, with
    /// `--cbi-firms` starters, applicants and dropouts in the report's proportions to them.
    static func cbiIntake(_ options: PeruSimulationOptions) -> (applicants: Int, starters: Int, dropouts: Int) {
        guard let starters = options.cbiFirms else {
            let applicants = PeruCalibration.scaled(PeruCalibration.cbiApplicants, firms: options.firms)
            let starters = min(PeruCalibration.scaled(PeruCalibration.cbiStarters, firms: options.firms), applicants)
            return (applicants, starters, min(PeruCalibration.scaled(PeruCalibration.cbiDropouts, firms: options.firms), starters - 1))
        }
        func proportional(_ count: Int) -> Int {
            Int((Double(starters) * Double(count) / Double(PeruCalibration.cbiStarters)).rounded())
        }
        return (max(starters, proportional(PeruCalibration.cbiApplicants)), starters,
                min(proportional(PeruCalibration.cbiDropouts), starters - 1))
    }
}
