/// The Peruvian MSME size classes by number of employees (permanent plus temporary).
public enum SizeClass: Int, CaseIterable, Sendable, Comparable {
    /// 1–10 employees.
    case micro
    /// 11–50 employees.
    case small
    /// 51–200 employees.
    case medium
    /// More than 200 employees.
    case large

    /// The class of a head count.
    public init(employees: Int) {
        switch employees {
        case ...10: self = .micro
        case 11...50: self = .small
        case 51...200: self = .medium
        default: self = .large
        }
    }

    /// The code written in the CSV `size_class` column.
    public var code: String {
        switch self {
        case .micro: "micro"
        case .small: "small"
        case .medium: "medium"
        case .large: "large"
        }
    }

    public static func < (lhs: SizeClass, rhs: SizeClass) -> Bool { lhs.rawValue < rhs.rawValue }
}
