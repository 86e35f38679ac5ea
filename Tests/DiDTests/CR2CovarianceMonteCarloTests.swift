import DiD
import Foundation
import Inference
import PanelData
import Primitives
import QuipuTestSupport
import Testing

/// `--vcov cr2` over many gappy panels (issue 21): the mean CR2 variance of Sun–Abraham's and the
/// linear extended TWFE's overall effect against the variance of the estimates, where fixest's
/// CRV1 falls short (the original problem: one-row cells fit exactly, so their noise is invisible
/// to the sandwich), and against a unit-cluster bootstrap of one panel.
@Suite(.tags(.slow)) struct CR2CovarianceMonteCarloTests {
    typealias Panel = UnbalancedVarianceTests.Panel

    /// A panel of `units` units over periods 1…8: `cohortSize` units in each cohort 3…6, the rest
    /// never treated; entries, exits, gaps with probability `gap`, outcome zeros (no log) with
    /// probability 0.1. log y = unit level + 0.1·t + N(0, 0.5²) + 0.25 for treated periods: one
    /// effect, so every aggregate's truth is 0.25 whichever cells a panel happens to have, and the
    /// spread of the estimates is the mean of their conditional variances.
    static func panel(seed: UInt64, units: Int = 40, cohortSize: Int = 3, gap: Double = 0.4) -> Panel {
        var data = Panel(seed: seed, units: 0, cohortSize: cohortSize, gap: gap)
        var random = RandomStream(seed: seed)
        func normal() -> Double { (-2 * log(random.nextUniformOpen())).squareRoot() * cos(2 * Double.pi * random.nextUniformOpen()) }
        data.units = units
        for u in 0..<units {
            let g = u < 4 * cohortSize ? 3 + u / cohortSize : 0
            let level = normal()
            let entry = random.nextUniform() < 0.2 ? 1 + Int(random.nextUniform() * 3) : 1
            let exit = random.nextUniform() < 0.2 ? 8 - Int(random.nextUniform() * 3) : 8
            for t in entry...exit where t == entry || random.nextUniform() >= gap {
                let logY = level + 0.1 * Double(t) + 0.5 * normal() + (g > 0 && t >= g ? 0.25 : 0)
                data.unit.append(Double(u + 1)); data.time.append(Double(t)); data.cohort.append(Double(g))
                data.y.append(random.nextUniform() < 0.1 ? 0 : exp(logY))
            }
        }
        return data
    }

    @Test("mean CR2 SE over the SD of the estimates is about 1 on 150 panels with one-row cells; CRV1's is below 0.9")
    func monteCarlo() throws {
        let panels = 150
        let routes: [(name: String, estimator: EstimatorChoice, control: CallawaySantAnnaOptions.Control)] = [
            ("sunab", .sunab, .never), ("etwfe notyet", .etwfe, .notyet),
        ]
        var estimates = [[Double]](repeating: [], count: routes.count)
        var cr2 = [[Double]](repeating: [], count: routes.count), crv1 = cr2
        for seed in 1...panels {
            let table = Self.panel(seed: UInt64(7_000 + seed)).table
            for (index, route) in routes.enumerated() {
                guard let with = UnbalancedVarianceTests.simple(try CR2CovarianceTests.run(table, estimator: route.estimator, cr2: true, control: route.control)),
                      let without = UnbalancedVarianceTests.simple(try CR2CovarianceTests.run(table, estimator: route.estimator, cr2: false, control: route.control))
                else { continue }
                estimates[index].append(with.estimate)
                cr2[index].append(with.se * with.se)
                crv1[index].append(without.se * without.se)
            }
        }
        for (index, route) in routes.enumerated() {
            let n = Double(estimates[index].count)
            #expect(n > 0.95 * Double(panels))
            let mean = estimates[index].reduce(0, +) / n
            let spread = (estimates[index].reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
            let ratioCR2 = (cr2[index].reduce(0, +) / n).squareRoot() / spread
            let ratioCRV1 = (crv1[index].reduce(0, +) / n).squareRoot() / spread
            print("CR2CovarianceMonteCarloTests \(route.name): mean \(mean), SD \(spread), √mean V̂ / SD: CR2 \(ratioCR2), CRV1 \(ratioCRV1)")
            // 150 panels: the SD's own Monte Carlo error is about 1/√300 = 5.8%; the bound is 2.6 of it.
            #expect(abs(ratioCR2 - 1) < 0.15, "\(route.name): CR2 \(ratioCR2)")
            #expect(ratioCRV1 < 0.9, "\(route.name): CRV1 \(ratioCRV1) (the problem this fixes)")
            #expect(abs(mean - 0.25) < 4 * spread / n.squareRoot(), "\(route.name): mean \(mean)")
        }
    }

    @Test("CR2 SE against a unit-cluster bootstrap (250 draws of units) on a panel with small cells")
    func bootstrap() throws {
        // Cohorts of 6 units, 35% of the periods missing: cells of 1–6 rows. A resample that loses a
        // one-row cell's unit loses the cell, so the bootstrap is itself rough here; 250 draws put
        // its SD's own error at about 4.5%.
        let data = Self.panel(seed: 31, units: 70, cohortSize: 6, gap: 0.35)
        let routes: [(EstimatorChoice, CallawaySantAnnaOptions.Control)] = [(.sunab, .never), (.etwfe, .notyet)]
        let analytic = try routes.map { try #require(UnbalancedVarianceTests.simple(try CR2CovarianceTests.run(data.table, estimator: $0.0, cr2: true, control: $0.1))) }
        let plain = try routes.map { try #require(UnbalancedVarianceTests.simple(try CR2CovarianceTests.run(data.table, estimator: $0.0, cr2: false, control: $0.1))) }
        let engine = PairsClusterBootstrap(replicates: 250, seed: 2026, threads: 2)
        let draws = try engine.run(clusterCount: data.units, estimates: analytic.map(\.estimate)) { draw in
            let table = data.resampled(draw).table
            return try routes.map { route -> Double in
                guard let value = UnbalancedVarianceTests.simple(try CR2CovarianceTests.run(table, estimator: route.0, cr2: false, control: route.1)) else { throw PanelError("no simple aggregate") }
                return value.estimate
            }
        }
        #expect(draws.failedReplicates < 13)
        for index in routes.indices {
            let ratio = analytic[index].se / draws.standardErrors[index]
            print("CR2CovarianceMonteCarloTests bootstrap \(routes[index].0): CR2 \(analytic[index].se), CRV1 \(plain[index].se), unit bootstrap \(draws.standardErrors[index])")
            #expect(abs(ratio - 1) < 0.15, "\(routes[index].0): CR2 \(analytic[index].se), bootstrap \(draws.standardErrors[index])")
        }
    }
}
