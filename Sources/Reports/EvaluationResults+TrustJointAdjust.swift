import DiD
import Inference
import Primitives

/// "How far to trust this": Romano–Wolf and Westfall–Young p-values across the headlines (issue
/// 23 point 4), beside the adjustments from raw p-values (EvaluationResults+TrustMultiplicity).
///
/// The headlines come from different estimators (TWFE, Callaway–Sant'Anna, …) on overlapping sets
/// of firms. Each estimator that can writes its headline's clustered variance as a sum over
/// clusters (`UnitInfluence`); one multiplier bootstrap then gives every cluster one weight per
/// replicate, the same in every headline, so the draws keep the headlines' dependence (a firm in
/// two programmes' samples, an outcome and its log) that Holm ignores
/// (`MultipleTesting.jointDraws`; the step-downs are `romanoWolf` and `westfallYoung`).
/// A headline whose estimator hands over no such sum is left out of this family and named.
extension EvaluationResults {
    /// What one headline handed over for the joint bootstrap: its overall estimate, its
    /// contributions summed by cluster (keyed by the cluster column's value), its small-sample
    /// factor and reference distribution; or why nothing.
    struct JointInput: Sendable {
        var estimate: Double = .nan
        var clusterSums: [String: Double] = [:]
        var factor: Double = 1
        var distribution: ReferenceDistribution = .standardNormal
        var unavailable: String? = nil
    }

    /// The joint bootstrap's result over `adjustedFamily`.
    public struct JointAdjustment: Sendable {
        /// How it was drawn, its members and those left out (results.json).
        public var record: JointBootstrapRecord
        /// Adjusted p-values by method, aligned with `adjustedFamily` (NaN for members left out).
        public var pValues: [PValueAdjustment: [Double]]
    }

    /// Indices in `effects` of the family the adjustments cover: the headline effects with a
    /// p-value, in report order.
    var adjustedFamilyIndices: [Int] {
        effects.indices.filter { effects[$0].headline && effects[$0].failure == nil && effects[$0].pValue.isFinite }
    }

    /// The sentences the adjusted-p table adds about the joint bootstrap; empty without one.
    var jointAdjustmentNote: String {
        guard let joint = jointAdjustment else { return "" }
        let record = joint.record
        let methods = spec.inference.adjustments.filter(\.needsBootstrap).map(\.title).joined(separator: " and ")
        if let failure = record.failure { return " \(methods): not computed (\(failure))." }
        let clusters = record.cluster == spec.unit ? "\(NumberFormat.grouped(record.clusters)) \(record.clusters == 1 ? spec.unitNoun.one : spec.unitNoun.many)" : "\(NumberFormat.grouped(record.clusters)) clusters of \(record.cluster)"
        var text = " \(methods) are not from the raw p-values: they bound the chance of even one false positive using how the headlines move together. One multiplier bootstrap (\(NumberFormat.grouped(record.replicates)) replicates, \(record.weights) weights, seed \(record.seed)) gives each of the \(clusters) the same weight in every headline, and the step-down runs on the t statistics (estimate / analytic standard error) of the \(Self.count(record.members.count, "headline")) it covers."
        if !record.excluded.isEmpty {
            let names = record.excluded.map { "\($0.programme) × \($0.outcome) (\($0.reason))" }
            text += " Left out of that family, so without \(methods): " + names.joined(separator: "; ") + "."
        }
        return text
    }

    /// `headline_adjusted.joint_bootstrap` in results.json, when the spec asks for it.
    var jointAdjustmentJSON: [(String, JSONValue)] {
        jointAdjustment.map { [("joint_bootstrap", $0.record.json)] } ?? []
    }
}
