/// One materialised column of a `DataTable`: numbers, or text coded as a factor.
public enum Column: Sendable {
    /// Every non-missing value parsed as a number; missing values are `Double.nan`.
    case numeric([Double])
    /// At least one value was not a number; values are coded against their distinct levels.
    case text(TextColumn)

    /// The number of values in the column.
    public var count: Int {
        switch self {
        case .numeric(let values): values.count
        case .text(let text): text.codes.count
        }
    }
}
