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
        var notes = [String]()
        if fit.droppedAllZeroGroups > 0 {
            notes.append("Poisson: \(fit.droppedAllZeroGroups) observations dropped in fixed-effect groups whose outcome is zero throughout")
        }
        if fit.droppedSeparated > 0 {
            let cause = fit.separatingRegressors.isEmpty ? "a combination of the fixed effects" : fit.separatingRegressors.joined(separator: ", ")
            notes.append("Poisson: \(fit.droppedSeparated) separated observations dropped (\(cause) predicts a zero outcome perfectly there)")
        }
        notes += fit.separationDiagnostics.filter { $0.code == .separationUnchecked }.map { "Poisson: " + $0.message }
        self.notes = notes
    }
}
