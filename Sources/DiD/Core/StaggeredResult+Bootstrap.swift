import Inference

extension StaggeredResult {
    /// The kinds of estimates that get a uniform (sup-t) band: each kind's estimates other than its
    /// overall average form one family, as R did's `aggte` bands the event times together.
    static let bandedKinds: [StaggeredEstimateKind] = [.attGT, .dynamic, .group, .calendar]

    /// A new result whose standard errors, bands, tests and combinations come from bootstrap
    /// `replicates` of every estimate (row-major, `count` × estimates), with uniform bands at
    /// `level`; `inference` says how they were drawn. This result keeps its analytic inference.
    /// The pre-trend test is left to the caller, who knows which estimates it covers.
    public func withBootstrap(replicates: [Double], count: Int, level: Double, inference: InferenceDescription) -> StaggeredResult {
        let bootstrapped = estimateInference.withBootstrap(replicates: replicates, count: count)
        var bands = [StaggeredEstimateKind: Double]()
        for kind in Self.bandedKinds {
            let family = estimates.indices.filter {
                estimates[$0].kind == kind && !estimates[$0].isOverall && estimates[$0].quantile == nil && bootstrapped.standardErrors[$0].isFinite
            }
            bands[kind] = bootstrapped.uniformCriticalValue(over: family, level: level)
        }
        // Quantile effects: one band over the quantiles of each mean effect's family.
        var quantileBands = [String: Double]()
        var families = [String: [Int]]()
        for j in estimates.indices where estimates[j].quantile != nil && bootstrapped.standardErrors[j].isFinite && bootstrapped.standardErrors[j] > 0 {
            families[estimates[j].familyLabel, default: []].append(j)
        }
        for (family, members) in families { quantileBands[family] = bootstrapped.uniformCriticalValue(over: members, level: level) }
        var result = replacing(bootstrapped, inference: inference, uniformCriticalValues: bands)
        result.quantileCriticalValues = quantileBands
        return result
    }
}
