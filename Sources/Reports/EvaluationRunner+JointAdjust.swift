import DiD
import Foundation
import Inference
import LinearAlgebra
import PanelData
import Primitives

/// The joint bootstrap behind the headlines' Romano–Wolf and Westfall–Young p-values (see
/// EvaluationResults+TrustJointAdjust): what each headline hands over, and the draws.
extension EvaluationRunner {
    /// Whether the spec asks for an adjustment that needs the joint bootstrap.
    var wantsJointAdjustment: Bool { spec.inference.adjustments.contains(where: \.needsBootstrap) }

    /// The column whose values name the clusters every headline shares (the vcov's cluster
    /// column; the spec refuses the joint adjustments under any other vcov).
    var jointClusterColumn: String {
        if let vcov = spec.inference.vcov, case .cluster(let names)? = try? CovarianceType(parsing: vcov), names.count == 1 { return names[0] }
        return spec.unit
    }

    /// A row's cluster in `table`, by the cluster column's value (the same firm in two
    /// programmes' tables, whose rows and codes differ, gets the same key).
    func clusterKey(in table: DataTable) -> (Int) -> String {
        switch table.column(named: jointClusterColumn) {
        case .numeric(let values)?: return { row in String(values[row]) }
        case .text(let text)?: return { row in text.levels[Int(text.codes[row])] }
        case nil: return { row in String(row) }
        }
    }

    /// What a headline run hands over for the joint bootstrap: its overall effect's per-cluster
    /// influence, checked against its own analytic variance, or why none.
    func jointInput(_ result: Result<(DiDResults, StaggeredResult), EstimationFailure>, estimator: StaggeredEstimator,
                    table: DataTable) -> EvaluationResults.JointInput? {
        guard wantsJointAdjustment, case .success(let (_, own)) = result else { return nil }
        var input = EvaluationResults.JointInput()
        guard let j = own.estimates.firstIndex(where: { $0.kind == .simple && $0.scale == own.headlineScale }),
              let influence = own.unitInfluences[own.estimates[j].label] else {
            input.unavailable = "\(estimator.displayName) hands over no per-\(spec.unitNoun.one) influence for its overall effect"
            return input
        }
        let key = clusterKey(in: table)
        let variance = influence.variance(clusters: key)
        let analytic = own.covariance[j, j]
        // Nothing is assumed: contributions that do not give back the estimator's own variance
        // (clusters other than the shared column's) stay out of the family.
        guard variance.isFinite, analytic.isFinite, analytic > 0, abs(variance - analytic) <= 1e-8 * analytic else {
            input.unavailable = "its per-\(spec.unitNoun.one) influence does not reproduce its standard error when clustered by \(jointClusterColumn)"
            return input
        }
        input.estimate = own.estimates[j].estimate
        input.clusterSums = influence.clusterSums(key)
        input.factor = influence.varianceFactor
        input.distribution = own.estimateInference.distributions[j]
        return input
    }

    /// Romano–Wolf and Westfall–Young over the results' adjusted family, from one multiplier
    /// bootstrap with a weight per cluster shared by every member; nil unless asked for.
    func jointAdjustment(_ results: EvaluationResults) -> EvaluationResults.JointAdjustment? {
        guard wantsJointAdjustment else { return nil }
        let family = results.adjustedFamilyIndices
        var members = [Int]()  // positions in `family`
        var excluded = [JointBootstrapRecord.Excluded]()
        for (position, index) in family.enumerated() {
            let effect = results.effects[index]
            if let input = results.jointInputs[index], input.unavailable == nil {
                members.append(position)
            } else {
                let reason = results.jointInputs[index]?.unavailable ?? "no influence was handed over"
                excluded.append(.init(programme: effect.programme, outcome: effect.outcome, estimator: effect.estimator.rawValue, reason: reason))
            }
        }
        let inputs = members.map { results.jointInputs[family[$0]] ?? EvaluationResults.JointInput() }
        // The clusters in the order of their first row in the data: fixed, whatever the order of
        // the programmes or the dictionaries.
        let key = clusterKey(in: table)
        var order = [String: Int]()
        for row in 0..<table.rowCount where order[key(row)] == nil { order[key(row)] = order.count }
        let clusters = Set(inputs.flatMap(\.clusterSums.keys)).sorted { (order[$0] ?? Int.max, $0) < (order[$1] ?? Int.max, $1) }
        var record = JointBootstrapRecord(replicates: spec.inference.adjustReplicates, seed: spec.inference.seed, weights: BootstrapWeights.rademacher.rawValue,
                                          cluster: jointClusterColumn, clusters: clusters.count, members: [], excluded: excluded, failure: nil)
        var pValues = [PValueAdjustment: [Double]]()
        for method in spec.inference.adjustments where method.needsBootstrap { pValues[method] = Array(repeating: .nan, count: family.count) }
        guard !inputs.isEmpty else {
            record.failure = "no headline's estimator hands over per-\(spec.unitNoun.one) influence"
            return EvaluationResults.JointAdjustment(record: record, pValues: pValues)
        }
        var sums = Matrix(rows: clusters.count, columns: inputs.count)
        let row = Dictionary(uniqueKeysWithValues: clusters.enumerated().map { ($1, $0) })
        for (j, input) in inputs.enumerated() {
            for (cluster, value) in input.clusterSums { if let g = row[cluster] { sums[g, j] = value } }
        }
        let bootstrap = MultiplierBootstrap(replicates: spec.inference.adjustReplicates, seed: spec.inference.seed, threads: threads,
                                            confidenceLevel: spec.inference.level)
        do {
            let joint = try MultipleTesting.jointDraws(estimates: inputs.map(\.estimate), clusterSums: sums, factors: inputs.map(\.factor), bootstrap: bootstrap)
            let romanoWolf = MultipleTesting.romanoWolf(statistics: joint.statistics, draws: joint.draws)
            let westfallYoung = MultipleTesting.westfallYoung(statistics: joint.statistics, draws: joint.draws, distributions: inputs.map(\.distribution))
            for (j, position) in members.enumerated() {
                pValues[.romanoWolf]?[position] = romanoWolf[j]
                pValues[.westfallYoung]?[position] = westfallYoung[j]
                let effect = results.effects[family[position]]
                record.members.append(.init(programme: effect.programme, outcome: effect.outcome, estimator: effect.estimator.rawValue,
                                            statistic: joint.statistics[j],
                                            bootstrapPValue: MultipleTesting.bootstrapPValue(statistic: joint.statistics[j], draws: joint.draws, member: j)))
            }
        } catch {
            record.failure = describe(error)
        }
        return EvaluationResults.JointAdjustment(record: record, pValues: pValues)
    }
}
