import ArgumentParser
import Estimation

/// `--split VAR` and `--fsplit VAR`: estimate on each subgroup (fixest's `split`/`fsplit`),
/// shared by the estimation commands.
struct SplitOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Estimate on each level of this column separately, as fixest's split = ~VAR (for whom did it work).", valueName: "column"))
    var split: String?

    @Option(name: .long, help: ArgumentHelp("As --split, with the full sample first, as fixest's fsplit = ~VAR.", valueName: "column"))
    var fsplit: String?

    func validate() throws {
        if split != nil && fsplit != nil {
            throw ValidationError("give --split or --fsplit, not both (--fsplit is --split with the full sample first)")
        }
        if let name = split ?? fsplit, name.isEmpty {
            throw ValidationError("--\(split != nil ? "split" : "fsplit") needs a column name")
        }
    }

    /// The split asked for, if any.
    var sampleSplit: SampleSplit? {
        if let split { return SampleSplit(variable: split, includesFullSample: false) }
        if let fsplit { return SampleSplit(variable: fsplit, includesFullSample: true) }
        return nil
    }
}
