/// Who applied to and started CBI, who dropped out, and which years PUM missions took place.
///
/// Arrays are indexed by firm position (firm id − 1).
struct ProgrammeAssignment: Sendable {
    /// Applied to CBI in 2014 (selected or not).
    var applicant: [Bool]
    /// Started CBI in 2014.
    var cbiStarter: [Bool]
    /// Started CBI and dropped out before its first effect year; leaves the panel in 2015.
    var cbiDropout: [Bool]
    /// Years of PUM missions, ascending; the first is the firm's PUM cohort.
    var pumMissions: [[Int]]

    /// The CBI cohort (2015) for starters who stayed, else 0.
    func cbiCohort(_ index: Int) -> Int {
        cbiStarter[index] && !cbiDropout[index] ? PeruCalibration.cbiFirstEffectYear : 0
    }

    /// The year of the first PUM mission, else 0.
    func pumCohort(_ index: Int) -> Int { pumMissions[index].first ?? 0 }
}

extension ProgrammeAssignment {
    /// Draws both programmes' participants; CBI first, since PUM later favours CBI firms
    /// ("during the initial contacts with CBI clients, areas for PUM support were identified").
    ///
    /// `exits` (first absent year per firm) is updated: dropouts leave in 2015, and the other
    /// CBI firms stay through 2018, as the report's "48 companies" are still supported.
    static func draw(firms: [Firm], exits: inout [Int?], options: PeruSimulationOptions) -> ProgrammeAssignment {
        var assignment = ProgrammeAssignment(
            applicant: Array(repeating: false, count: firms.count),
            cbiStarter: Array(repeating: false, count: firms.count),
            cbiDropout: Array(repeating: false, count: firms.count),
            pumMissions: Array(repeating: [], count: firms.count)
        )
        assignment.drawCBI(firms: firms, exits: &exits, options: options)
        assignment.drawPUM(firms: firms, exits: exits, options: options)
        return assignment
    }

    /// Whether the firm at `index` is in the panel in `year`.
    static func isAlive(_ firms: [Firm], _ exits: [Int?], _ index: Int, in year: Int) -> Bool {
        firms[index].entry <= year && (exits[index].map { $0 > year } ?? true)
    }
}

extension ProgrammeAssignment {
    /// Checks that `--cbi-firms` and `--pum-firms` were honoured: a programme can only support
    /// firms that its rules admit (CBI: in business and founded by 2012; PUM: 10–250 employees,
    /// in business the year before its mission), and a seed may leave too few of them.
    func checkCounts(_ options: PeruSimulationOptions) throws(SimulationError) {
        let starters = cbiStarter.filter { $0 }.count
        if let wanted = options.cbiFirms, starters != wanted {
            throw SimulationError(
                "--cbi-firms \(wanted): only \(starters) firms were in business in 2014 and founded by 2012; ask for fewer or raise --firms")
        }
        let pumFirms = pumMissions.filter { !$0.isEmpty }.count
        if let wanted = options.pumFirms, pumFirms != wanted {
            throw SimulationError(
                "--pum-firms \(wanted): only \(pumFirms) firms met PUM's rules (10–250 employees, in business) in the mission years; ask for fewer or raise --firms")
        }
    }
}
