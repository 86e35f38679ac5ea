import ArgumentParser
import DiD

/// The option of triple differences in `quipu did` (`--estimator ddd`); the comparison group,
/// method and base period are Callaway–Sant'Anna's options (`--control`, `--method`,
/// `--base-period`).
struct TripleDifferencesArguments: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Triple differences (--estimator ddd): a 0/1 column (or an expression such as \"I(cbi_cohort > 0)\"), constant within units, that marks the units eligible for the programme (1); the effect is the eligible units' effect net of the ineligible units' trend.", valueName: "column"))
    var partition: String?

    /// Refuses `--partition` without `--estimator ddd` and the reverse, and ddd with a
    /// non-linear model (exit 64).
    func validate(estimator: EstimatorChoice, model: DiDModel) throws {
        if estimator == .ddd && model != .linear { throw ValidationError("--estimator ddd estimates level effects of a linear model; --model \(model.rawValue) is not available for it") }
        if estimator == .ddd && partition == nil { throw ValidationError("--estimator ddd needs --partition COLUMN (1 for eligible units, 0 for the others)") }
        if estimator != .ddd && partition != nil { throw ValidationError("--partition belongs to triple differences: add --estimator ddd") }
    }
}
