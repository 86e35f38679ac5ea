// The leads of the imputation estimator's pre-trend test (Borusyak, Jaravel & Spiess 2024, REStud,
// §4.4): untreated rows of treated units in the K periods before treatment.
// Goals: the same leads as did_imputation's `pretrends(K)` (relative to the first treated period,
// shifted by the anticipation); one pass over the rows.

import PanelData

/// Which untreated rows fall in the K periods before their unit's (anticipation-shifted) first
/// treated period, with the rows, distinct units and distinct cohorts of each lead.
struct ImputationLeadIndicators {
    /// For each untreated row, in row order: its lead k in 1…K, or 0.
    var leadOfRow: [Int] = []
    /// Indexed by lead (entry 0 unused).
    var rows: [Int], units: [Int], cohorts: [Int]

    init(_ input: ImputationInput) {
        let slots = input.pretrendLeads + 1
        rows = [Int](repeating: 0, count: slots)
        let cohortValues = Array(Set(input.cohorts.compactMap { $0 })).sorted()
        let cohortPosition = Dictionary(uniqueKeysWithValues: cohortValues.enumerated().map { ($1, $0) })
        let cohortOfUnit = input.cohorts.map { $0.flatMap { cohortPosition[$0] } ?? 0 }
        var leadRowLead = [Int](), leadRowUnit = [Int](), leadRowCohort = [Int]()
        leadOfRow.reserveCapacity(input.rowCount)
        for row in 0..<input.rowCount where !input.isTreated(row: row) {
            let unit = Int(input.unitCodes[row])
            var lead = 0
            if let start = input.treatmentStart(ofUnit: unit) {
                let distance = start - input.periods[row]
                if distance >= 1 && distance < slots { lead = distance }
            }
            leadOfRow.append(lead)
            guard lead > 0 else { continue }
            rows[lead] += 1
            leadRowLead.append(lead)
            leadRowUnit.append(unit)
            leadRowCohort.append(cohortOfUnit[unit])
        }
        units = ImputationDistinctCounts.perGroup(group: leadRowLead, groupCount: slots, key: leadRowUnit, keyCount: input.unitCount)
        cohorts = ImputationDistinctCounts.perGroup(group: leadRowLead, groupCount: slots, key: leadRowCohort, keyCount: max(cohortValues.count, 1))
    }
}
