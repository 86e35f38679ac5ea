import Estimation
import Foundation
import Inference
import Primitives
import Testing

/// Monte Carlo coverage of the wild cluster bootstrap against CRV1 with few clusters.
///
/// Slow (a few minutes), so it runs only with QUIPU_SLOW_TESTS=1:
///     QUIPU_SLOW_TESTS=1 swift test -c release --filter CoverageStudy
/// The design is the hard case of the literature (MacKinnon & Webb 2017): a regressor that
/// varies at the cluster level, clusters of unequal size, errors correlated within clusters and
/// heteroskedastic. The null β = 0 is true, so a test's rejection rate should be 5%.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["QUIPU_SLOW_TESTS"] == "1"))
struct CoverageStudyTests {
    func simulatedCSV(clusters: Int, seed: UInt64) -> String {
        var stream = RandomStream(seed: seed, replicate: 0)
        var lines = ["g,x,y"]
        for cluster in 0..<clusters {
            let size = 5 + 8 * (cluster % 5)                  // 5 to 37 observations per cluster
            let clusterX = stream.nextNormal()
            let clusterShock = stream.nextNormal()
            for _ in 0..<size {
                let x = clusterX + 0.3 * stream.nextNormal()
                let y = 1 + 0 * x + clusterShock + (0.5 + abs(x)) * stream.nextNormal()
                lines.append("\(cluster),\(x),\(y)")
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test(arguments: [10, 20, 30])
    func wildBootstrapHoldsSizeWhereCRV1OverRejects(clusters: Int) throws {
        let simulations = 400
        var crv1Rejections = 0, wildRejections = 0
        for simulation in 0..<simulations {
            let fit = try fitText(simulatedCSV(clusters: clusters, seed: UInt64(1000 * clusters + simulation)), formula: "y ~ x", clusters: ["g"])
            let covariance = try fit.covariance(.cluster(["g"]))
            let t = fit.coefficients[1] / covariance.standardErrors[1]
            if StudentT(degreesOfFreedom: covariance.degreesOfFreedom).twoSidedPValue(t) < 0.05 { crv1Rejections += 1 }
            let wild = try fit.wildBootstrap(frame: nil, term: "x", covarianceCluster: "g",
                                             settings: WildBootstrapSettings(replicates: 399, seed: UInt64(simulation), threads: 2))
            if wild.pValue < 0.05 { wildRejections += 1 }
        }
        let crv1Rate = Double(crv1Rejections) / Double(simulations)
        let wildRate = Double(wildRejections) / Double(simulations)
        print(String(format: "coverage study: G = %d, %d simulations: CRV1 rejects %.1f%%, WCR wild bootstrap %.1f%% (nominal 5%%)",
                     clusters, simulations, 100 * crv1Rate, 100 * wildRate))
        #expect(wildRate < 0.085 && wildRate > 0.02, "the wild bootstrap should reject about 5% of true nulls")
        #expect(crv1Rate >= wildRate)
    }
}
