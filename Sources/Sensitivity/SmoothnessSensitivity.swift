// PLACEHOLDER ON THE sens-base BRANCH ONLY: replaced by the smoothness engineer's file.
// It never reaches main as is.
public enum SmoothnessSensitivity {
    public static func curve(problem: SensitivityProblem, grid: [Double],
                             method: SensitivityIntervalMethod = .fixedLengthCI,
                             level: Double = 0.95) throws -> SensitivityCurve {
        throw SensitivityError.optimizationFailed("smoothness is not built on this branch")
    }
    /// The default M grid when the user gives none (multiples of the pre-period SE, chosen by the
    /// smoothness engineer).
    public static func defaultGrid(for problem: SensitivityProblem) -> [Double] { [0] }
}
