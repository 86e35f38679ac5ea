@testable import Simulation

/// Every potential outcome of each panel row, rebuilt from the simulator's own latent paths:
/// the observed values, the values without CBI (PUM as it was), without PUM (CBI as it was),
/// and without any support. The replay uses the simulator's model, so it checks what is built
/// from the model (truth accumulation, parallel trends across groups), not the model itself.
struct PotentialOutcomes {
    /// Which programmes' effects a potential outcome keeps.
    enum Support { case observed, withoutCBI, withoutPUM, none }

    let records: [FirmYearRecord]
    private let values: [Support: [OutcomeValues?]]

    init(_ simulation: PeruSimulation) {
        let options = simulation.options
        let historyStart = min(options.firstYear, PeruCalibration.historyCore.lowerBound)
        let historyEnd = max(options.lastYear, PeruCalibration.historyCore.upperBound)
        let shocks = OutcomeModel.subsectorShocks(seed: options.seed, years: historyStart...historyEnd)
        var firmID = -1
        var firm: Firm?
        var path: [LatentYear] = []
        var table: [Support: [OutcomeValues?]] = [.observed: [], .withoutCBI: [], .withoutPUM: [], .none: []]
        for record in simulation.records {
            if record.firmID != firmID {
                firmID = record.firmID
                let drawn = Firm.draw(id: firmID, seed: options.seed, historyStart: historyStart)
                firm = drawn
                path = OutcomeModel.latentPath(for: drawn, seed: options.seed, shocks: shocks,
                                               historyStart: historyStart, lastYear: historyEnd)
            }
            guard let firm, record.values != nil else {
                for key in table.keys { table[key]?.append(nil) }
                continue
            }
            let latent = path[record.year - firm.entry]
            let cbi = EffectDesign.shifts(.cbi, cohort: record.cbiCohort, year: record.year, firm: firm, scale: options.effectScale(of: .cbi))
            let pum = EffectDesign.shifts(.pum, cohort: record.pumCohort, year: record.year, firm: firm, scale: options.effectScale(of: .pum))
            table[.observed]?.append(OutcomeModel.values(latent, firm: firm, shifts: cbi + pum))
            table[.withoutCBI]?.append(OutcomeModel.values(latent, firm: firm, shifts: pum))
            table[.withoutPUM]?.append(OutcomeModel.values(latent, firm: firm, shifts: cbi))
            table[.none]?.append(OutcomeModel.values(latent, firm: firm, shifts: .zero))
        }
        records = simulation.records
        values = table
    }

    /// The rows' values of `outcome` under `support` (nil in the monitoring gap).
    func column(_ outcome: Outcome, _ support: Support) -> [Int64?] {
        (values[support] ?? []).map { $0?[outcome] }
    }
}
