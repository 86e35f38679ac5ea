import DiD
import Primitives

/// The covariance of every aggregate set of every estimator (its event study, its cohort and
/// period aggregates, each on its own scale), read from the estimator's inference core and never
/// recomputed, so that any result can feed other tools: JSON `covariances`, and the long form that
/// `--format csv --covariances` writes.
///
/// The matrix is the estimator's analytic one (sandwich, influence functions, delta method); with
/// a bootstrap the standard errors come from the draws instead. The ATT(g,t) and cohort × period
/// cells are left out: their covariance has as many rows as cells (hundreds on a staggered panel)
/// and the aggregates are what the sensitivity analyses read.
extension StaggeredResult {
    /// One aggregate set: its kind, its scale and the covariance of its estimates (labelled as
    /// `--combine` names them), in the order the result lists them.
    public struct CovarianceSet: Sendable {
        public let kind: StaggeredEstimateKind
        public let scale: StaggeredEstimateScale
        public let covariance: CovarianceRecord
    }

    /// Every aggregate set (kind × scale) with its covariance, in the order the kinds first appear.
    public var aggregateCovariances: [CovarianceSet] {
        var order = [String](), members = [String: [Int]]()
        for (index, estimate) in estimates.enumerated() where estimate.kind != .attGT && estimate.kind != .cohortPeriod {
            let key = estimate.kind.rawValue + "/" + estimate.scale.rawValue
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(index)
        }
        return order.compactMap { key in
            guard let indices = members[key], let first = indices.first else { return nil }
            let block = covariance.selecting(rows: indices, columns: indices)
            return CovarianceSet(kind: estimates[first].kind, scale: estimates[first].scale,
                                 covariance: CovarianceRecord(labels: indices.map { estimates[$0].label },
                                                              matrix: indices.indices.map { i in indices.indices.map { j in block[i, j] } }))
        }
    }
}

extension DiDResults {
    /// The JSON `covariances`: one entry per estimator and aggregate set.
    var covariancesJSON: JSONValue {
        .array(staggered.flatMap { result in
            result.aggregateCovariances.map { set in
                .object([("estimator", .string(result.estimator.rawValue)), ("aggregate", .string(set.kind.rawValue)),
                         ("scale", .string(set.scale.rawValue))] + set.covariance.jsonPairs)
            }
        })
    }

    /// The long form of every aggregate set's covariance as CSV: estimator, aggregate, scale, row
    /// label, column label, covariance (NA where undefined).
    public var covarianceCSV: String {
        var lines = ["estimator,aggregate,scale,row,column,covariance"]
        for result in staggered {
            for set in result.aggregateCovariances {
                for entry in set.covariance.longForm {
                    lines.append([result.estimator.rawValue, set.kind.rawValue, set.scale.rawValue, entry.row, entry.column,
                                  entry.value.isFinite ? "\(entry.value)" : "NA"].joined(separator: ","))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
