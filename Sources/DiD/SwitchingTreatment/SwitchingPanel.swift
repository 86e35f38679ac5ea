// The unit × period view of a treatment that may switch on and off, as de Chaisemartin &
// D'Haultfœuille's estimators read it (2024, "Difference-in-differences estimators of
// intertemporal treatment effects", REStat; R/Stata `did_multiplegt_dyn`).
//
// Goals:
// 1. The paper's per-unit quantities, once: the status-quo treatment D_{g,1} (the treatment in the
//    unit's first observed period, did_multiplegt_dyn's `d_sq`), the period of the first change
//    F_g, its direction S_g, and T_g, the last period in which some unit with the same status quo
//    has not changed yet (so that a control exists).
// 2. did_multiplegt_dyn's sample rules, each counted as a drop: a unit's cells from the period in
//    which it has been both strictly above and strictly below its status quo are dropped (its
//    default, `dont_drop_larger_lower` off; binary treatments never meet this); a unit whose
//    treatment has a gap between its first and last period is dropped (diff-diff's rule; the
//    first change would be undefined across the gap).
// 3. A unit that switches on and off (0 → 1 → 0) stays: its effects follow its first change, and
//    its later changes are part of the treatment path whose effect is estimated (did_multiplegt_dyn;
//    diff-diff 3.13 drops such units by default, `drop_larger_lower=True`, which is not R's rule).
// A missing outcome leaves the cell's treatment in the path but the cell out of every difference.

import PanelData

/// A panel in the unit × period layout of the switching-treatment estimator.
struct SwitchingPanel {
    /// Units kept (their labels), and the panel's periods ascending.
    let unitLabels: [String]
    let periods: [Int]
    /// Treatment and outcome by unit and period index; NaN where the cell is absent or unusable.
    let treatment: [[Double]]
    let outcome: [[Double]]
    /// D_{g,1}: the treatment in the unit's first observed period.
    let statusQuo: [Double]
    /// F_g as a period index, or nil when the treatment never changes.
    let firstChange: [Int?]
    /// S_g: +1 when the first change raises the treatment, −1 when it lowers it, 0 without change.
    let direction: [Int]
    /// T_g as a period index: the last period in which a unit with the same status quo has not
    /// changed yet (the last period of the panel when some such unit never changes).
    let lastControlPeriod: [Int]
    /// Rows and units left out, by reason.
    let drops: [StaggeredSample.Drop]
    /// Rows behind the kept cells with a usable outcome.
    let rowsUsed: Int

    var unitCount: Int { unitLabels.count }
    var periodCount: Int { periods.count }

    /// The outcome is usable in cell (unit, period index).
    func observed(_ unit: Int, _ period: Int) -> Bool { !outcome[unit][period].isNaN }

    /// Builds the panel of `structure`'s rows from the treatment and outcome columns (NaN: missing).
    init(structure: PanelStructure, treatmentName: String, treatmentValues: [Double], outcome: [Double]) throws(PanelError) {
        let periods = structure.periodValues
        var periodIndex = [Int: Int]()
        for (index, period) in periods.enumerated() { periodIndex[period] = index }
        let units = structure.unitCount
        var treatment = [[Double]](repeating: [Double](repeating: .nan, count: periods.count), count: units)
        var values = treatment
        var missingTreatment = 0
        for row in 0..<structure.rowCount {
            let unit = Int(structure.unitCodes[row])
            guard let index = periodIndex[structure.periods[row]] else { continue }
            let dose = treatmentValues[row]
            guard dose.isFinite else { missingTreatment += 1; continue }
            treatment[unit][index] = dose
            values[unit][index] = outcome[row]
        }
        var drops = [StaggeredSample.Drop]()
        if missingTreatment > 0 { drops.append(.init(reason: "\(treatmentName): missing", rows: missingTreatment, units: 0)) }

        // Units whose treatment has a gap between its first and last observed period.
        var keep = [Bool](repeating: true, count: units)
        var gapRows = 0, gapUnits = 0
        for unit in 0..<units {
            let present = treatment[unit].indices.filter { !treatment[unit][$0].isNaN }
            guard let first = present.first, let last = present.last else { keep[unit] = false; continue }
            if present.count != last - first + 1 {
                keep[unit] = false
                gapUnits += 1
                gapRows += present.count
            }
        }
        if gapUnits > 0 {
            drops.append(.init(reason: "\(treatmentName): a gap between the unit's first and last period (the first change is undefined)", rows: gapRows, units: gapUnits))
        }

        // did_multiplegt_dyn's default: drop a unit's cells from the period in which it has been
        // both strictly above and strictly below its status quo.
        var crossingRows = 0, crossingUnits = 0
        for unit in 0..<units where keep[unit] {
            guard let first = treatment[unit].firstIndex(where: { !$0.isNaN }) else { continue }
            let quo = treatment[unit][first]
            var above = false, below = false
            for index in first..<periods.count where !treatment[unit][index].isNaN {
                above = above || treatment[unit][index] > quo
                below = below || treatment[unit][index] < quo
                if above && below {
                    let cut = (index..<periods.count).filter { !treatment[unit][$0].isNaN }
                    for dropped in cut { treatment[unit][dropped] = .nan; values[unit][dropped] = .nan }
                    crossingRows += cut.count
                    crossingUnits += 1
                    break
                }
            }
        }
        if crossingRows > 0 {
            drops.append(.init(reason: "\(treatmentName): periods after the unit has been both above and below its first-period treatment (did_multiplegt_dyn's default)", rows: crossingRows, units: 0))
        }

        let kept = (0..<units).filter { keep[$0] }
        self.unitLabels = kept.map { structure.unitLabels[$0] }
        self.periods = periods
        self.treatment = kept.map { treatment[$0] }
        self.outcome = kept.map { values[$0] }
        self.rowsUsed = self.outcome.reduce(0) { $0 + $1.filter { !$0.isNaN }.count }
        self.drops = drops

        var statusQuo = [Double](), firstChange = [Int?](), direction = [Int]()
        for doses in self.treatment {
            let first = doses.firstIndex { !$0.isNaN } ?? 0
            statusQuo.append(doses[first])
            let change = (first + 1..<periods.count).first { !doses[$0].isNaN && doses[$0] != doses[$0 - 1] }
            firstChange.append(change)
            direction.append(change.map { doses[$0] > doses[$0 - 1] ? 1 : -1 } ?? 0)
        }
        self.statusQuo = statusQuo
        self.firstChange = firstChange
        self.direction = direction
        // T_g: the last period before a change of some unit with the same status quo.
        var lastByStatusQuo = [Double: Int]()
        for unit in kept.indices {
            let last = firstChange[unit].map { $0 - 1 } ?? periods.count - 1
            lastByStatusQuo[statusQuo[unit]] = max(lastByStatusQuo[statusQuo[unit]] ?? -1, last)
        }
        self.lastControlPeriod = statusQuo.map { lastByStatusQuo[$0] ?? -1 }
    }

    /// The cohorts of the variance's plug-in (the paper's Section 3.7.3, as diff-diff 3.13 forms
    /// them): units sharing the status quo, the period of their first change and its direction
    /// (units that never change: by status quo). R's did_multiplegt_dyn centres within finer
    /// cohorts of treatment paths, with a degrees-of-freedom rescaling (SwitchingEffects.swift).
    func varianceCohorts() -> [Int] {
        var codes = [String: Int]()
        return (0..<unitCount).map { unit in
            let key: String
            if let change = firstChange[unit] {
                key = "\(statusQuo[unit])|\(change)|\(direction[unit])"
            } else {
                key = "\(statusQuo[unit])|never"
            }
            if let code = codes[key] { return code }
            codes[key] = codes.count
            return codes.count - 1
        }
    }
}
