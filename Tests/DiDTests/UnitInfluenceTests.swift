import DiD
import Foundation
import Inference
import LinearAlgebra
import PanelData
import QuipuTestSupport
import Testing

/// The per-unit influence each estimator hands over for its overall effect (issue 23 point 4, the
/// report's joint bootstrap across headlines): it gives back the estimator's own analytic variance,
/// and the joint multiplier bootstrap built on it steps down as Romano–Wolf must on a family of one,
/// of duplicates and of independent members.
@Suite struct UnitInfluenceTests {
    /// `units` units over periods 1–8: a third treated from 4, a third from 6, the rest never;
    /// `y` with an effect of 0.3, `copy` equal to `z`, `z` and `w` independent noise with no effect, `count`
    /// a Poisson-like count, `region` a cluster of 4 units; every 7th unit misses its 3rd period.
    static func table(units: Int = 40) -> DataTable {
        var columns = [[Double]](repeating: [], count: 9)
        var state: UInt64 = 7
        func noise() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        for u in 1...units {
            let g = u % 3 == 0 ? 4 : (u % 3 == 1 ? 6 : 0)
            let level = noise()
            for t in 1...8 where !(u % 7 == 0 && t == 3) {
                let treated = g > 0 && t >= g
                let y = level + 0.1 * Double(t) + (treated ? 0.3 : 0) + noise()
                let z = noise() + noise()
                let w = noise() + noise()
                let logMean: Double = 1 + 0.5 * level + 0.05 * Double(t) + (treated ? 0.2 : 0)
                let count: Double = (Foundation.exp(logMean) * (1 + noise())).rounded()
                let row: [Double] = [Double(u), Double(t), Double(g), y, z, z, count, Double((u - 1) / 4), w]
                for (index, value) in row.enumerated() { columns[index].append(value) }
            }
        }
        return DataTable(source: "synthetic.csv", names: ["unit", "period", "cohort", "y", "copy", "z", "count", "region", "w"],
                         columns: columns.map { .numeric($0) }, rowCount: columns[0].count)
    }

    /// Runs one estimator and returns its result.
    static func run(_ table: DataTable, outcome: String, estimator: StaggeredEstimator, cluster: String = "unit",
                    poisson: Bool = false) throws -> StaggeredResult {
        var options = DiDOptions(outcome: outcome, covariance: .cluster([cluster]))
        switch estimator {
        case .callawaySantAnna: options.estimator = .cs
        case .twfe: options.estimator = .twfe
        default: options.estimator = .all
        }
        if poisson { options.model = .poisson }
        let results = try DiDAnalysis.run(table: table, unit: "unit", time: "period", treatment: .cohort("cohort", neverTreated: nil), options: options)
        return try #require(results.staggered.first { $0.estimator == estimator })
    }

    /// A row's cluster in `table`.
    static func cluster(_ table: DataTable, _ name: String) -> (Int) -> Double {
        guard case .numeric(let values)? = table.column(named: name) else { return { Double($0) } }
        return { values[$0] }
    }

    @Test("each estimator's per-unit influence gives back its analytic variance (sum of squares by cluster, with its small-sample factor) to 1e-8",
          arguments: [("cs", "unit"), ("cs", "region"), ("twfe", "unit"), ("twfe", "region"), ("twfe-poisson", "unit"), ("twfe-poisson", "region")])
    func influenceReproducesVariance(_ name: String, _ clusterName: String) throws {
        let table = Self.table()
        let estimator: StaggeredEstimator = name == "cs" ? .callawaySantAnna : .twfe
        let poisson = name == "twfe-poisson"
        let result = try Self.run(table, outcome: poisson ? "count" : "y", estimator: estimator, cluster: clusterName, poisson: poisson)
        let j = try #require(result.estimates.firstIndex { $0.kind == .simple })
        let influence = try #require(result.unitInfluences[result.estimates[j].label], "\(name): no influence")
        let variance = influence.variance(clusters: Self.cluster(table, clusterName))
        #expect(result.covariance[j, j] > 0)
        #expect(isClose(variance, result.covariance[j, j], relative: 1e-8), "\(name), \(clusterName): \(variance) vs \(result.covariance[j, j])")
        // The factor is the estimator's: 1 for influence functions, above 1 for a clustered regression.
        #expect(name == "cs" ? influence.varianceFactor == 1 : influence.varianceFactor > 1)
    }

    /// The family's joint draws from the members' cluster sums on the unit.
    static func joint(_ results: [StaggeredResult], _ table: DataTable, replicates: Int = 9_999, threads: Int = 2) throws -> MultipleTesting.JointDraws {
        let key = cluster(table, "unit")
        let units = Array(Set((0..<table.rowCount).map(key))).sorted()
        var sums = Matrix(rows: units.count, columns: results.count)
        var estimates = [Double](), factors = [Double]()
        for (column, result) in results.enumerated() {
            let j = try #require(result.estimates.firstIndex { $0.kind == .simple })
            let influence = try #require(result.unitInfluences[result.estimates[j].label])
            let bySum = influence.clusterSums(key)
            for (g, unit) in units.enumerated() { sums[g, column] = bySum[unit] ?? 0 }
            estimates.append(result.estimates[j].estimate)
            factors.append(influence.varianceFactor)
        }
        return try MultipleTesting.jointDraws(estimates: estimates, clusterSums: sums, factors: factors,
                                              bootstrap: MultiplierBootstrap(replicates: replicates, seed: 11, threads: threads))
    }

    @Test("Romano–Wolf on a family of one is the member's own bootstrap p; on duplicated outcomes it is each member's raw bootstrap p; the draws do not depend on the thread count")
    func oneAndDuplicates() throws {
        let table = Self.table()
        let cs = try Self.run(table, outcome: "y", estimator: .callawaySantAnna)
        let copy = try Self.run(table, outcome: "copy", estimator: .callawaySantAnna)
        let twfe = try Self.run(table, outcome: "z", estimator: .twfe)
        for member in [cs, twfe] {
            let one = try Self.joint([member], table)
            let own = MultipleTesting.bootstrapPValue(statistic: one.statistics[0], draws: one.draws, member: 0)
            #expect(MultipleTesting.romanoWolf(statistics: one.statistics, draws: one.draws) == [own])
            // The statistic is the estimate over its analytic standard error.
            let j = try #require(member.estimates.firstIndex { $0.kind == .simple })
            #expect(isClose(one.standardErrors[0], member.covariance[j, j].squareRoot(), relative: 1e-8))
        }
        let noEffect = try Self.run(table, outcome: "z", estimator: .callawaySantAnna)
        let duplicated = try Self.joint([noEffect, copy], table)
        #expect(duplicated.statistics[0] == duplicated.statistics[1])
        let own = MultipleTesting.bootstrapPValue(statistic: duplicated.statistics[0], draws: duplicated.draws, member: 0)
        #expect(own > 0.01 && own < 1, "a p at the floor would make the check empty: \(own)")
        #expect(MultipleTesting.romanoWolf(statistics: duplicated.statistics, draws: duplicated.draws) == [own, own])
        // Westfall–Young with one distribution shared by the members equals Romano–Wolf without the +1.
        let distribution = cs.estimateInference.distributions[0]
        let westfallYoung = MultipleTesting.westfallYoung(statistics: duplicated.statistics, draws: duplicated.draws, distributions: [distribution, distribution])
        #expect(isClose(westfallYoung[0], (own * 10_000 - 1) / 9_999, relative: 1e-12))
        // One weight per unit and replicate from (seed, replicate) alone: any thread count, the same draws.
        let oneThread = try Self.joint([cs, twfe], table, replicates: 999, threads: 1)
        let twoThreads = try Self.joint([cs, twfe], table, replicates: 999, threads: 2)
        #expect(oneThread.draws.values == twoThreads.draws.values)
    }

    @Test("with independent outcomes Romano–Wolf lies between the raw bootstrap p and Holm's bound, at 1 − (1 − p₁)(1 − q₂) as independence implies")
    func independentOutcomes() throws {
        let table = Self.table(units: 600)
        let members = [try Self.run(table, outcome: "z", estimator: .callawaySantAnna), try Self.run(table, outcome: "w", estimator: .twfe)]
        let joint = try Self.joint(members, table)
        let romanoWolf = MultipleTesting.romanoWolf(statistics: joint.statistics, draws: joint.draws)
        let own = (0..<2).map { MultipleTesting.bootstrapPValue(statistic: joint.statistics[$0], draws: joint.draws, member: $0) }
        let first = abs(joint.statistics[0]) >= abs(joint.statistics[1]) ? 0 : 1
        let second = 1 - first
        // The last step tests the other member alone, made monotone.
        #expect(romanoWolf[second] == max(own[second], romanoWolf[first]))
        // The first step: at least its own p, at most Holm's 2p; with independent members the
        // chance that either |t*| passes |t₁| is 1 − (1 − p₁)(1 − q₂), q₂ the share of the second
        // member's draws beyond |t₁| (Monte Carlo sd below 0.005 with 9,999 replicates).
        let p = own[first]
        let beyond = Double((0..<joint.draws.count).filter { abs(joint.draws[replicate: $0, estimate: second]) >= abs(joint.statistics[first]) }.count) / Double(joint.draws.count)
        #expect(romanoWolf[first] >= p && romanoWolf[first] <= min(1, 2 * p) + 0.01, "\(romanoWolf) \(own)")
        #expect(abs(romanoWolf[first] - (1 - (1 - p) * (1 - beyond))) < 0.015, "\(romanoWolf) \(own) \(beyond)")
        print("independent: RW \(romanoWolf), own \(own), q2 \(beyond)")
    }
}
