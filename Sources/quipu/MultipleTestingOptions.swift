import ArgumentParser
import Estimation
import Formula
import Inference

/// `--adjust` and `--adjust-term` of feols and fepois: p-values adjusted for testing many
/// outcomes (or subgroups, or specifications) at once, over the models of one multiple estimation.
struct MultipleTestingOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Adjust the p-values of the models of a multiple estimation (c(), sw(), csw(), --split) for testing them together: holm, bh, sharpened (Anderson's q), romano-wolf, westfall-young (feols: wild cluster bootstrap with --reps, --seed, --boot-weights; the same draws for every model), comma-separated.", valueName: "methods"),
            transform: AdjustmentList.parsing)
    var adjust: AdjustmentList?

    @Option(name: .customLong("adjust-term"), help: ArgumentHelp("The coefficient whose tests form the family, in every model (default: every coefficient but the intercept, in every model).", valueName: "term"))
    var term: String?

    /// Checks what can be checked before reading data: a family needs several models, and the
    /// bootstrap adjustments need least squares and clusters.
    func validate(formula: String, split: SampleSplit?, leastSquares: Bool, clusters: [String]) throws {
        guard let adjust else {
            if term != nil { throw ValidationError("--adjust-term names the family of --adjust: add --adjust holm (or bh, sharpened, romano-wolf, westfall-young)") }
            return
        }
        // A malformed formula is reported by the run, with its own message.
        if let formulas = try? MultipleFormula.expand(formula), !formulas.isMultiple && split == nil {
            throw ValidationError("--adjust adjusts across the models of a multiple estimation: list the outcomes as c(y1, y2, ...) ~ ..., or use sw(), csw(), --split or --fsplit")
        }
        guard adjust.needsBootstrap else { return }
        guard leastSquares else {
            throw ValidationError("romano-wolf and westfall-young draw from the wild cluster bootstrap of least squares, which fepois does not run; use holm, bh or sharpened")
        }
        guard !clusters.isEmpty else {
            throw ValidationError("romano-wolf and westfall-young run a wild cluster bootstrap: give clusters with --vcov cluster:VAR or --boot-cluster VAR")
        }
    }
}
