import Primitives

/// A simulated panel of Peruvian natural-ingredient firms, CBI export coaching and PUM expert
/// missions, with the true effects written beside it.
///
/// The panel is calibrated to the PRIME case study (programme sizes, mission timing, size
/// criteria, export ranges, the monitoring gap); everything else is illustrative. Output is a
/// pure function of the options: no platform randomness, libm or locale is involved.
public struct PeruSimulation: Sendable {
    /// The options the panel was generated with.
    public let options: PeruSimulationOptions
    /// The panel rows, ordered by firm then year.
    public let records: [FirmYearRecord]
    /// The true effects and their aggregates.
    public let truth: SimulationTruth
    /// Firms that started CBI coaching (dropouts included) and firms with a PUM mission, in the
    /// whole simulated history (a short `--years` window may show fewer).
    public let cbiFirms: Int
    public let pumFirms: Int

    /// The number of panel rows (firm-years present).
    public var rows: Int { records.count }

    /// Generates the panel after checking the options.
    public static func generate(_ options: PeruSimulationOptions) throws(SimulationError) -> PeruSimulation {
        try options.validate()
        // The history always spans the programme years, so that PUM's 2004–2017 missions exist
        // even when the written window is shorter; the window only selects rows.
        let historyStart = min(options.firstYear, PeruCalibration.historyCore.lowerBound)
        let historyEnd = max(options.lastYear, PeruCalibration.historyCore.upperBound)
        let firms = (1...options.firms).map { Firm.draw(id: $0, seed: options.seed, historyStart: historyStart) }
        var exits = firms.map { drawExit($0, seed: options.seed, lastYear: historyEnd) }
        let assignment = ProgrammeAssignment.draw(firms: firms, exits: &exits, options: options)
        try assignment.checkCounts(options)
        let shocks = OutcomeModel.subsectorShocks(seed: options.seed, years: historyStart...historyEnd)

        var records: [FirmYearRecord] = []
        records.reserveCapacity(options.firms * (options.lastYear - options.firstYear + 1))
        var truth = TruthAccumulator(firstYear: options.firstYear)
        for (index, firm) in firms.enumerated() {
            let path = OutcomeModel.latentPath(
                for: firm, seed: options.seed, shocks: shocks, historyStart: historyStart, lastYear: historyEnd)
            let firstYear = max(options.firstYear, firm.entry)
            let lastYear = min(options.lastYear, (exits[index] ?? Int.max) - 1)
            guard firstYear <= lastYear else { continue }
            let cohorts = (cbi: assignment.cbiCohort(index), pum: assignment.pumCohort(index))
            let inGap = cohorts.pum > 0 && cohorts.pum <= PeruCalibration.monitoringGapYear && !assignment.cbiStarter[index]
            for year in firstYear...lastYear {
                let latent = path[year - firm.entry]
                let cbiShift = EffectDesign.shifts(.cbi, cohort: cohorts.cbi, year: year, firm: firm, scale: options.effectScale(of: .cbi))
                let pumShift = EffectDesign.shifts(.pum, cohort: cohorts.pum, year: year, firm: firm, scale: options.effectScale(of: .pum))
                let missing = inGap && year == PeruCalibration.monitoringGapYear
                let values = missing ? nil : OutcomeModel.values(latent, firm: firm, shifts: cbiShift + pumShift)
                let record = FirmYearRecord(
                    firmID: firm.id, year: year, subsector: firm.subsector, sizeClass: firm.sizeClass,
                    founded: firm.founded, applicant: assignment.applicant[index],
                    cbiStart: assignment.cbiStarter[index] ? PeruCalibration.cbiStartYear : 0,
                    cbiDropout: assignment.cbiDropout[index], cbiCohort: cohorts.cbi, pumCohort: cohorts.pum,
                    pumMissions: assignment.pumMissions[index].filter { $0 <= year }.count, values: values)
                records.append(record)
                truth.noteFirm(record)
                guard let observed = values else { continue }
                // Each programme's effect holds the other programme at its actual status.
                if record.cbiTreated {
                    let without = OutcomeModel.values(latent, firm: firm, shifts: pumShift)
                    truth.add(.cbi, record: record, treated: observed, untreated: without)
                }
                if record.pumTreated {
                    let without = OutcomeModel.values(latent, firm: firm, shifts: cbiShift)
                    truth.add(.pum, record: record, treated: observed, untreated: without)
                }
            }
        }
        return PeruSimulation(
            options: options, records: records, truth: truth.finish(),
            cbiFirms: assignment.cbiStarter.filter { $0 }.count,
            pumFirms: assignment.pumMissions.filter { !$0.isEmpty }.count)
    }

    /// The first year the firm is absent after closing, or nil if it survives the history.
    ///
    /// Closure hazards depend only on the size class, so attrition is unrelated to outcomes
    /// once firm effects are accounted for (missing at random given the firm).
    private static func drawExit(_ firm: Firm, seed: UInt64, lastYear: Int) -> Int? {
        guard firm.entry < lastYear else { return nil }
        let hazard: Double = switch firm.sizeClass {
        case .micro: 0.03
        case .small: 0.02
        case .medium: 0.012
        case .large: 0.008
        }
        for year in (firm.entry + 1)...lastYear {
            var random = RandomStream(seed: seed, .survival, firm.id, year)
            if random.bernoulli(hazard) { return year }
        }
        return nil
    }
}
