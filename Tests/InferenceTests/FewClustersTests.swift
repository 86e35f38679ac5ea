import Inference
import LinearAlgebra
import Testing

/// The few-cluster rule (issue 19, point 4): one definition of the degrees of freedom, the pairs
/// bootstrap's minimum and the joint-test limit, used by every clustered estimate.
@Suite struct FewClustersTests {
    @Test("distinct resamples of G clusters are C(2G − 1, G): 3, 10, 35, 126 for G = 2…5")
    func distinctResamples() {
        // Counted by brute force: multisets of size G from G clusters, as sorted draws.
        func brute(_ g: Int) -> Int {
            var seen = Set<[Int]>()
            var draw = [Int](repeating: 0, count: g)
            func fill(_ position: Int) {
                if position == g { seen.insert(draw.sorted()); return }
                for c in 0..<g { draw[position] = c; fill(position + 1) }
            }
            fill(0)
            return seen.count
        }
        for g in 1...5 { #expect(Int(FewClusters.distinctResamples(clusters: g)) == brute(g)) }
    }

    @Test("the pairs bootstrap is refused below 5 clusters and runs from 5")
    func pairsBootstrapMinimum() throws {
        let engine = PairsClusterBootstrap(replicates: 19, seed: 1, threads: 1)
        #expect(throws: BootstrapError.self) { try engine.run(clusterCount: 4, estimates: [0]) { draws in [Double(draws.reduce(0, +))] } }
        let result = try engine.run(clusterCount: 5, estimates: [0]) { draws in [Double(draws.reduce(0, +))] }
        #expect(result.standardErrors[0] > 0)
    }

    @Test("the multiplier bootstrap is refused below 5 clusters and runs from 5")
    func multiplierBootstrapMinimum() throws {
        let engine = MultiplierBootstrap(replicates: 99, seed: 1, threads: 1)
        let influence = Matrix(rows: 5, columns: 1, values: [1, -2, 0.5, 0.25, 0.25])
        #expect(throws: BootstrapError.self) {
            try engine.run(influence: influence, clusters: ClusterVariable(name: "g", codes: [0, 0, 1, 2, 3], count: 4))
        }
        let result = try engine.run(influence: influence, clusters: nil)
        #expect(result.standardErrors[0] > 0)
    }

    @Test("a clustered Wald test of q coefficients needs G > q: NA with the reason otherwise")
    func jointTestLimit() throws {
        #expect(FewClusters.jointTestUndefinedReason(restrictions: 1, clusters: 2) == nil)
        #expect(FewClusters.jointTestUndefinedReason(restrictions: 2, clusters: 2) != nil)
        #expect(FewClusters.jointTestUndefinedReason(restrictions: 2, clusters: 3) == nil)
        // A clustered covariance estimate with 2 clusters: testing two coefficients is NA.
        let bread = Matrix(rows: 2, columns: 2, values: [1, 0, 0, 1])
        let design = Matrix(rows: 4, columns: 2, values: [1, 0, 1, 0, 0, 1, 0, 1])
        let input = CovarianceInput(bread: bread, weightedDesign: design, weightedResiduals: [0.3, -0.1, 0.2, -0.4],
                                    observationCount: 4, parameterCount: 2)
        let covariance = try CovarianceEstimator().clustered(input, clusters: [ClusterVariable(name: "g", codes: [0, 0, 1, 1], count: 2)],
                                                             parameterCount: 2)
        #expect(covariance.degreesOfFreedom == 1)
        let test = try WaldTest(coefficients: [1, 1], covariance: covariance, indices: [0, 1])
        #expect(test.statistic.isNaN && test.pValue.isNaN)
        #expect(test.undefinedReason?.contains("rank 1 at most") == true)
    }
}
