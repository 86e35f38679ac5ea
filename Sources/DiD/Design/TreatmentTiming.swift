import PanelData

/// Each unit's treatment timing, validated for difference-in-differences: the treatment must be
/// absorbing (once on, it stays on), cohorts must lie inside the panel's periods, and some units
/// must remain untreated to serve as controls.
public struct TreatmentTiming: Sendable {
    /// The panel with one cohort per unit (nil: never treated).
    public let structure: PanelStructure
    /// The distinct cohorts, ascending.
    public let cohorts: [Int]
    /// The number of never-treated units.
    public let neverTreatedCount: Int

    /// Validates timing. `treatmentValues` are the 0/1 values of a treatment column when the
    /// cohort was derived from one (they must not switch off).
    public init(structure: PanelStructure, treatmentColumn: String?, treatmentValues: [Double]?) throws(PanelError) {
        let source = structure.source
        guard structure.hasCohorts else { throw PanelError("did needs --treat or --cohort") }
        if let treatmentValues, let name = treatmentColumn {
            // Absorbing: a 0 after the cohort's start is a switch-off.
            for row in 0..<structure.rowCount {
                let value = treatmentValues[row]
                guard !value.isNaN, let cohort = structure.cohorts[Int(structure.unitCodes[row])] else { continue }
                if structure.periods[row] >= cohort && value == 0 {
                    throw PanelError("\(source): treatment '\(name)' switches off for unit \(structure.unitLabels[Int(structure.unitCodes[row])]): 1 from period \(cohort), 0 in period \(structure.periods[row]) (row \(row + 1)); did needs an absorbing treatment (code the first treated period with --cohort), or --estimator dcdh --treatment \(name) for a treatment that switches on and off")
                }
            }
        }
        guard let first = structure.periodValues.first, let last = structure.periodValues.last else {
            throw PanelError("\(source): the panel has no periods")
        }
        for (code, cohort) in structure.cohorts.enumerated() {
            guard let cohort else { continue }
            // A cohort at the first period is inside the panel: such units are always treated
            // here, absorbed by their fixed effects. Before or after the panel it is an error.
            if cohort < first || cohort > last {
                let reason = cohort < first ? "before the first period" : "after the last period"
                throw PanelError("\(source): cohort \(cohort) of unit \(structure.unitLabels[code]) lies outside the panel's periods \(first)–\(last) (\(reason)); code units treated after the panel as never treated (\(structure.neverTreatedCode == .emptyOnly ? "an empty cell" : "\(structure.neverTreatedCode)"))")
            }
        }
        let cohorts = Array(Set(structure.cohorts.compactMap { $0 })).sorted()
        let never = structure.cohorts.filter { $0 == nil }.count
        guard !cohorts.isEmpty else { throw PanelError("\(source): no unit is ever treated: nothing to estimate") }
        if never == 0 && cohorts.count == 1 {
            throw PanelError("\(source): every unit is treated from \(cohorts[0]) on: there are no never-treated or not-yet-treated units to serve as controls")
        }
        self.structure = structure
        self.cohorts = cohorts
        self.neverTreatedCount = never
    }
}
