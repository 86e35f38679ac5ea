import Foundation

/// Which covariance estimator to use, as written on the command line (`iid`, `hetero`,
/// `cluster:firm`, `cluster:firm+year`).
public enum CovarianceType: Equatable, Sendable, CustomStringConvertible {
    /// Homoskedastic errors: s²(X̃ᵀX̃)⁻¹.
    case iid
    /// Heteroskedasticity-robust (HC1).
    case hetero
    /// Cluster-robust (CRV1), one-way or multiway by the named variables.
    case cluster([String])

    /// Parses `iid`, `hetero` (or `HC1`), `cluster:VAR` or `cluster:VAR1+VAR2`.
    public init(parsing text: String) throws(CovarianceError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed.lowercased() {
        case "iid", "standard": self = .iid
        case "hetero", "hc1", "robust": self = .hetero
        default:
            let parts = trimmed.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0].lowercased() == "cluster" else {
                throw CovarianceError(message: "unknown vcov '\(text)': use iid, hetero, cluster:VAR or cluster:VAR1+VAR2")
            }
            let names = parts[1].split(separator: "+").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }), names.count <= 2 else {
                throw CovarianceError(message: "vcov '\(text)': give one or two cluster variables, as cluster:firm or cluster:firm+year")
            }
            self = .cluster(names)
        }
    }

    public var description: String {
        switch self {
        case .iid: return "iid"
        case .hetero: return "hetero"
        case let .cluster(names): return "cluster:" + names.joined(separator: "+")
        }
    }

    /// The variables whose values the estimator needs beside the model's.
    public var clusterVariables: [String] {
        if case let .cluster(names) = self { return names }
        return []
    }
}

/// An invalid covariance request or a covariance that cannot be computed.
public struct CovarianceError: Error, CustomStringConvertible, Sendable {
    /// One line saying what is wrong.
    public let message: String
    /// Creates an error.
    public init(message: String) { self.message = message }
    public var description: String { message }
}

