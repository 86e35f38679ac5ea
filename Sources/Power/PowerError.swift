/// Why a power calculation cannot be made; each case is one line for the user.
public enum PowerError: Error, Equatable, CustomStringConvertible {
    case treatedFirms(Int)
    case controlFirms(Int)
    case prePeriods(Int)
    case postPeriods(Int)
    case significance(Double)
    case power(Double)
    case nonPositiveVariance(Double)
    /// The pilot panel has no window of `periods` consecutive periods with two or more units
    /// observed in every one of them.
    case noPilotWindow(source: String, periods: Int, available: Int)
    /// A covariance structure whose DiD variance is not positive (e.g. ψˣ larger than ψᴮ, ψᴬ allow).
    case nonPositiveDesignVariance(Double)
    case replicates(Int)
    case emptyEffectGrid
    /// The panel has no treated or no untreated unit to resample.
    case resamplingPool(String)

    public var description: String {
        switch self {
        case let .treatedFirms(n):
            return "power: the design needs at least one treated firm, got \(n)"
        case let .controlFirms(n):
            return "power: the design needs at least one control firm, got \(n)"
        case let .prePeriods(n):
            return "power: the design needs at least one pre-period (year before support), got \(n)"
        case let .postPeriods(n):
            return "power: the design needs at least one post-period (year with support), got \(n)"
        case let .significance(alpha):
            return "power: the significance level must lie strictly between 0 and 1, got \(alpha)"
        case let .power(value):
            return "power: the target power must lie strictly between 0 and 1, got \(value)"
        case let .nonPositiveVariance(value):
            return "power: the error variance must be positive and finite, got \(value)"
        case let .noPilotWindow(source, periods, available):
            return "power: \(source) has no window of \(periods) consecutive periods with two or more units observed in each (it has \(available) periods)"
        case let .nonPositiveDesignVariance(value):
            return "power: the covariances give the DiD estimate a variance of \(value), which is not positive; check the covariance values"
        case let .replicates(n):
            return "power: simulation needs at least 2 replicates, got \(n)"
        case .emptyEffectGrid:
            return "power: the effect grid is empty"
        case let .resamplingPool(reason):
            return "power: cannot resample the panel: \(reason)"
        }
    }
}
