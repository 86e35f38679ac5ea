import Estimation
import Inference

/// One model's wild cluster bootstrap of each coefficient in the family: what Romano–Wolf and
/// Westfall–Young read. The joint distribution across models is right only when every model's
/// replicate b used the same weights on the same clusters, which holds when their bootstrap
/// clusters code the same rows alike and the seed and replicate count are shared.
public struct FamilyBootstrap: Sendable {
    /// The bootstrap cluster of each row of the model's estimation sample.
    public let clusterCodes: [Int32]
    /// Per coefficient: its bootstrap t statistic in the sample and in each replicate (under the null).
    public let statistics: [String: (sample: Double, replicates: [Double])]

    public init(clusterCodes: [Int32], statistics: [String: (sample: Double, replicates: [Double])]) {
        self.clusterCodes = clusterCodes
        self.statistics = statistics
    }
}

extension ModelList {
    /// The family of `term` in every fitted model (every coefficient but the intercept when nil:
    /// a test that the outcome's mean is zero is not a finding about a programme), with the
    /// adjustments `methods`; the bootstrap ones read `bootstraps` (one per model, in order).
    ///
    /// - Throws: when `term` is in no model, or when the models do not share their bootstrap draws.
    public func adjustedPValues(methods: [PValueAdjustment], term: String?, bootstraps: [FamilyBootstrap?],
                                bootstrapDescription: String?) throws(EstimationError) -> AdjustedPValues {
        var members = [AdjustedPValues.Member]()
        var distributions = [ReferenceDistribution]()
        for (index, model) in models.enumerated() {
            guard let table = model.table else { continue }
            let split = model.splitVariable.map { "; \($0) = \(model.splitValue ?? "full")" } ?? ""
            for row in table.rows where term.map({ row.term == $0 }) ?? (row.term != "(Intercept)") {
                members.append(AdjustedPValues.Member(source: "model \(index + 1) (\(model.dependent)\(split))", modelIndex: index, term: row.term,
                                                      estimate: row.estimate, statistic: row.statistic, pValue: row.pValue))
                distributions.append(table.distribution)
            }
        }
        if let term, members.isEmpty {
            throw EstimationError("--adjust-term '\(term)' is not a coefficient of any fitted model")
        }
        let modelNumbers = Array(Set(members.map(\.modelIndex))).sorted().map { "\($0 + 1)" }
        let outcomes = Array(Set(members.map { models[$0.modelIndex].dependent })).sorted()
        let family = (term.map { "'\($0)'" } ?? "every coefficient but the intercept") + " in models " + modelNumbers.joined(separator: ", ")
            + " (outcome\(outcomes.count == 1 ? "" : "s") " + outcomes.joined(separator: ", ") + ")"
        var adjustments = [(method: PValueAdjustment, pValues: [Double])]()
        for method in methods {
            if let adjusted = MultipleTesting.adjust(members.map(\.pValue), method: method) {
                adjustments.append((method, adjusted))
                continue
            }
            let (statistics, draws) = try jointDraws(members: members, bootstraps: bootstraps)
            adjustments.append((method, method == .romanoWolf
                ? MultipleTesting.romanoWolf(statistics: statistics, draws: draws)
                : MultipleTesting.westfallYoung(statistics: statistics, draws: draws, distributions: distributions)))
        }
        return AdjustedPValues(family: family, members: members, adjustments: adjustments,
                               bootstrap: methods.contains(where: \.needsBootstrap) ? bootstrapDescription : nil)
    }

    /// The members' sample statistics and their replicates side by side (replicates × members),
    /// after checking that every model drew the same weights on the same clusters.
    func jointDraws(members: [AdjustedPValues.Member], bootstraps: [FamilyBootstrap?]) throws(EstimationError) -> ([Double], BootstrapDraws) {
        var columns = [[Double]]()
        var statistics = [Double]()
        var reference: (model: Int, codes: [Int32])?
        for member in members {
            guard member.modelIndex < bootstraps.count, let bootstrap = bootstraps[member.modelIndex],
                  let statistic = bootstrap.statistics[member.term] else {
                throw EstimationError("model \(member.modelIndex + 1) has no wild bootstrap of '\(member.term)' for the Romano–Wolf and Westfall–Young adjustments")
            }
            if let reference, reference.codes != bootstrap.clusterCodes {
                throw EstimationError("Romano–Wolf and Westfall–Young need every model on the same rows, so that each replicate draws the same weights for all: model \(member.modelIndex + 1) uses \(bootstrap.clusterCodes.count) rows, model \(reference.model + 1) \(reference.codes.count) (an outcome missing on some rows, or a split); use holm, bh or sharpened, or restrict the data to rows where every outcome is observed")
            }
            if reference == nil { reference = (member.modelIndex, bootstrap.clusterCodes) }
            if let first = columns.first, first.count != statistic.replicates.count {
                throw EstimationError("the models' bootstraps have different replicate counts (\(first.count) and \(statistic.replicates.count))")
            }
            columns.append(statistic.replicates)
            statistics.append(statistic.sample)
        }
        let count = columns.first?.count ?? 0
        var values = [Double](repeating: .nan, count: count * columns.count)
        for (j, column) in columns.enumerated() {
            for b in 0..<count { values[b * columns.count + j] = column[b] }
        }
        return (statistics, BootstrapDraws(values: values, count: count, width: columns.count))
    }
}
