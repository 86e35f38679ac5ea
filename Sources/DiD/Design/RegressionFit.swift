import Estimation

/// What the DiD estimators read from a fitted regression, whether least squares (`feols`) or
/// Poisson pseudo-maximum likelihood (`fepois`, with `--model poisson`), so that one code path
/// turns either into estimates.
struct RegressionFit {
    /// The formula text.
    let formula: String
    /// Names of the estimated coefficients, and their estimates.
    let coefficientNames: [String]
    let coefficients: [Double]
    /// Terms without an estimate (absorbed or collinear), and those the fixed effects absorbed.
    let collinearNames: [String]
    let absorbedNames: [String]
    /// The fixed effects of the regression.
    let fixedEffects: [Factor]
    /// Observations used.
    let observationCount: Int
    /// Whether the coefficients are Poisson log-points, tested with the normal distribution as
    /// fixest does for GLMs (least squares uses t).
    let isPoisson: Bool
    /// What the reader should know about the sample (Poisson drops), beside the covariance notes.
    let notes: [String]

    init(_ fit: LinearModelFit) {
        formula = fit.formula
        coefficientNames = fit.coefficientNames
        coefficients = fit.coefficients
        collinearNames = fit.collinearNames
        absorbedNames = fit.absorbedNames
        fixedEffects = fit.fixedEffects
        observationCount = fit.observationCount
        isPoisson = false
        notes = []
    }

    init(_ fit: PoissonModelFit) {
        formula = fit.formula
        coefficientNames = fit.coefficientNames
        coefficients = fit.coefficients
        collinearNames = fit.collinearNames
        absorbedNames = fit.absorbedNames
        fixedEffects = fit.fixedEffects
        observationCount = fit.observationCount
        isPoisson = true
        var notes = [String]()
        if fit.droppedAllZeroGroups > 0 {
            notes.append("Poisson: \(fit.droppedAllZeroGroups) observations dropped in fixed-effect groups whose outcome is zero throughout")
        }
        if fit.droppedSeparated > 0 {
            let cause = fit.separatingRegressors.isEmpty ? "a combination of the fixed effects" : fit.separatingRegressors.joined(separator: ", ")
            notes.append("Poisson: \(fit.droppedSeparated) separated observations dropped (\(cause) predicts a zero outcome perfectly there)")
        }
        if let note = fit.separationUncheckedNote { notes.append("Poisson: " + note) }
        self.notes = notes
    }
}
