// PLACEHOLDER ON THE sens-base BRANCH ONLY: replaced by the relative-magnitudes engineer's file.
// It never reaches main as is.
public enum RelativeMagnitudesSensitivity {
    public static func curve(problem: SensitivityProblem, grid: [Double],
                             method: SensitivityIntervalMethod = .conditionalLeastFavorable,
                             level: Double = 0.95) throws -> SensitivityCurve {
        throw SensitivityError.optimizationFailed("relative magnitudes are not built on this branch")
    }
    /// HonestDiD's default M̄ grid when the user gives none.
    public static let defaultGrid: [Double] = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]
}
