import ArgumentParser
import PanelData

/// The panel's identifiers and its treatment, shared by describe, trends and (later) did.
struct PanelOptions: ParsableArguments {
    @Option(name: .long, help: "Unit identifier column (firm).")
    var unit: String

    @Option(name: .long, help: "Time column (integer periods, e.g. years).")
    var time: String

    @Option(name: .long, help: "Column with each unit's first treated period (0 or empty: never treated; see --never-treated).")
    var cohort: String?

    @Option(name: .customLong("never-treated"), help: ArgumentHelp("The --cohort value of never-treated units besides empty cells (default 0, refused when 0 is a period of the panel), or none: only empty cells.", valueName: "never-treated"), transform: NeverTreatedCode.parsing)
    var neverTreated: NeverTreatedCode?

    @Option(name: .long, help: "0/1 treatment column; the cohort is the first period with a 1.")
    var treat: String?

    func validate() throws {
        if cohort != nil && treat != nil {
            throw ValidationError("give either --cohort or --treat, not both (one is derived from the other)")
        }
        if neverTreated != nil && cohort == nil {
            throw ValidationError("--never-treated says which --cohort value marks never-treated units: add --cohort")
        }
    }

    var treatment: TreatmentSpecification {
        if let cohort { return .cohort(cohort, neverTreated: neverTreated) }
        if let treat { return .treatment(treat) }
        return .none
    }

    /// The columns these options refer to.
    var columns: Set<String> {
        var names: Set<String> = [unit, time]
        if let cohort { names.insert(cohort) }
        if let treat { names.insert(treat) }
        return names
    }
}
