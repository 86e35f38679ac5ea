import Inference

extension EvaluationSpec {
    /// `adjust_reps:` (replicates of the joint bootstrap behind Romano–Wolf and Westfall–Young),
    /// and the one covariance the joint bootstrap can share across headlines: clustered by one
    /// column (the unit by default), whose clusters get one weight in every headline. A spec that
    /// asks for Romano–Wolf or Westfall–Young with another `vcov` is refused; the default list
    /// leaves them out then.
    static func jointAdjustmentSettings(_ keys: [String: SpecNode], into settings: inout InferenceSettings) throws {
        if let reps = keys["adjust_reps"] {
            settings.adjustReplicates = try reps.int()
            guard (99...1_000_000).contains(settings.adjustReplicates) else { throw reps.error("use between 99 and 1,000,000 replicates (9999 is usual)") }
        }
        guard settings.adjustments.contains(where: \.needsBootstrap), let vcov = settings.vcov else { return }
        let type = try? CovarianceType(parsing: vcov)
        if case .cluster(let names)? = type, names.count == 1 { return }
        guard let adjust = keys["adjust"] else {
            settings.adjustments.removeAll(where: \.needsBootstrap)
            return
        }
        throw adjust.error("romano-wolf and westfall-young draw one bootstrap weight per cluster, shared by every headline, so they need vcov clustered by one column (the default: cluster by the unit); got vcov: \(vcov)")
    }
}
