import Estimation
import Primitives

/// What the DiD estimators read from a fitted regression, whether least squares (`feols`) or
/// Poisson pseudo-maximum likelihood (`fepois`, with `--model poisson`), so that one code path
/// turns either into estimates.
struct RegressionFit: FittedRegression {
    /// The fit's shared part (formula, coefficients, collinear and absorbed terms, fixed effects,
    /// sample), read through `FittedRegression`'s accessors.
    let core: FittedModelCore
    /// Whether the coefficients are Poisson log-points, tested with the normal distribution as
    /// fixest does for GLMs (least squares uses t).
    let isPoisson: Bool
    /// What the reader should know about the sample (Poisson drops), beside the covariance notes.
    let notes: [String]

    init(_ fit: LinearModelFit) {
        core = fit.core
        isPoisson = false
        notes = []
    }

    init(_ fit: PoissonModelFit) {
        core = fit.core
        isPoisson = true
        notes = Self.poissonNotes(allZero: fit.droppedAllZeroGroups, separated: fit.droppedSeparated, separatingRegressors: fit.separatingRegressors,
                                  unchecked: fit.separationDiagnostics.filter { $0.code == .separationUnchecked }.map(\.message))
    }

    /// The notes on a Poisson fit's drops: `allZero` and `separated` observations (the extended
    /// TWFE's collapsed fit passes firm-year counts), and separation checks that could not run.
    static func poissonNotes(allZero: Int, separated: Int, separatingRegressors: [String], unchecked: [String]) -> [String] {
        var notes = [String]()
        if allZero > 0 {
            notes.append("Poisson: \(allZero) observations dropped in fixed-effect groups whose outcome is zero throughout")
        }
        if separated > 0 {
            let cause = separatingRegressors.isEmpty ? "a combination of the fixed effects" : separatingRegressors.joined(separator: ", ")
            notes.append("Poisson: \(separated) separated observations dropped (\(cause) predicts a zero outcome perfectly there)")
        }
        return notes + unchecked.map { "Poisson: " + $0 }
    }
}
