@testable import DiD
import Estimation
import Foundation
import Inference
import LinearAlgebra
import PanelData
import QuipuTestSupport
import Testing

/// Gardner's two-stage DiD against (1) the imputation estimator, whose point estimates it must
/// equal (BJS 2024, Gardner 2022), (2) the GMM variance built densely from its formula with
/// explicit dummies (including an extra size × period fixed effect), and (3) Tests/Fixtures/
/// staggered's did2s standard errors (pyfixest 0.60's did2s, and its dense exact computation).
@Suite("Two-stage DiD (Gardner)")
struct TwoStageDiDTests {
    /// The did2s GMM covariance of the horizon averages and the overall average, from explicit
    /// dummies: V = (X₂′X₂)⁻¹ Σ_g W_g W_g′ (X₂′X₂)⁻¹, W_g = X₂_g′u₂_g − (X₂′X₁)(X₁₀′X₁₀)⁻X₁₀_g′u₁_g.
    static func denseGMM(_ input: ImputationInput) throws -> (horizons: [Int], estimates: [Double], standardErrors: [Double]) {
        let periodValues = Array(Set(input.periods)).sorted()
        let isTreated = (0..<input.rowCount).map { row in
            input.cohorts[Int(input.unitCodes[row])].map { input.periods[row] >= $0 - input.anticipation } ?? false
        }
        let untreated = (0..<input.rowCount).filter { !isTreated[$0] }
        let treated = (0..<input.rowCount).filter { isTreated[$0] }
        let z0 = ImputationDiDTests.dummies(input, rows: untreated, periodValues: periodValues)
        let z1 = ImputationDiDTests.dummies(input, rows: treated, periodValues: periodValues)
        let fit = try LeastSquaresSolver().solve(design: z0, response: untreated.map { input.outcome[$0] })
        let z0k = z0.selecting(columns: fit.keptColumns), z1k = z1.selecting(columns: fit.keptColumns)
        let u1Untreated = zip(untreated.map { input.outcome[$0] }, try z0k.times(fit.coefficients)).map { $0 - $1 }
        let u1Treated = zip(treated.map { input.outcome[$0] }, try z1k.times(fit.coefficients)).map { $0 - $1 }
        let horizonOfRow = treated.map { input.periods[$0] - (input.cohorts[Int(input.unitCodes[$0])] ?? 0) }
        let horizons = Array(Set(horizonOfRow)).sorted()
        // Each stage-2 regression has one indicator: a horizon's rows, or every treated row.
        let indicators = horizons.map { h in horizonOfRow.map { $0 == h ? 1.0 : 0 } } + [[Double](repeating: 1, count: treated.count)]
        var estimates = [Double](), errors = [Double]()
        for x2 in indicators {
            let count = x2.reduce(0, +)
            let beta = zip(x2, u1Treated).map(*).reduce(0, +) / count
            // Γ = (X₁₀′X₁₀)⁻¹ X₁′X₂ (X₂ is zero on untreated rows).
            let gamma = try fit.inverseCrossProduct.times(try z1k.transposeTimes(x2))
            let projected = try z0k.times(gamma)
            var scores = [Double](repeating: 0, count: input.unitCount)
            for (position, row) in treated.enumerated() { scores[Int(input.unitCodes[row])] += x2[position] * (u1Treated[position] - x2[position] * beta) }
            for (position, row) in untreated.enumerated() { scores[Int(input.unitCodes[row])] -= projected[position] * u1Untreated[position] }
            estimates.append(beta)
            errors.append(sqrt(scores.map { $0 * $0 }.reduce(0, +)) / count)
        }
        return (horizons, estimates, errors)
    }

    @Test("point estimates equal the imputation estimator's; standard errors equal the dense GMM formula (with and without an extra fixed effect, dense and iterative solver)",
          arguments: [false, true], [ImputationNormalEquations.denseLevelLimit, 0])
    func equalsImputationAndDenseGMM(extraEffect: Bool, limit: Int) throws {
        let input = ImputationDiDTests.simulatedInput(seed: 11, extraEffect: extraEffect)
        let twoStage = try ImputationDiD.estimate(input, denseLevelLimit: limit, estimator: .twoStage)
        let imputation = try ImputationDiD.estimate(input, denseLevelLimit: limit)
        #expect(twoStage.estimator == .twoStage)
        #expect(twoStage.estimates.count == imputation.estimates.count)
        for (a, b) in zip(twoStage.estimates, imputation.estimates) {
            #expect(a.label == b.label)
            #expect(ImputationDiDTests.agrees(a.estimate, b.estimate, 1e-12), "\(a.label): \(a.estimate) vs \(b.estimate)")
        }
        let dense = try Self.denseGMM(input)
        let positions = try ImputationDiDTests.positions(twoStage, horizons: dense.horizons)
        for (j, index) in positions.enumerated() {
            #expect(ImputationDiDTests.agrees(twoStage.estimates[index].estimate, dense.estimates[j], 1e-9))
            #expect(ImputationDiDTests.agrees(twoStage.standardErrors[index], dense.standardErrors[j], 1e-8),
                    "\(twoStage.estimates[index].label): \(twoStage.standardErrors[index]) vs \(dense.standardErrors[j])")
        }
        // The GMM variance differs from the conservative one: they are two estimators of it.
        let overall = try #require(twoStage.index(ofLabel: "att"))
        #expect(abs(twoStage.standardErrors[overall] - imputation.standardErrors[overall]) > 1e-6)
    }

    struct Fixture: Decodable {
        struct Entry: Decodable {
            let eventTime: Int?, estimate: Double, stdErrorDid2s: Double
            // "did2s" would read back as "Did2S" from snake case.
            enum CodingKeys: String, CodingKey { case eventTime = "event_time", estimate, stdErrorDid2s = "std_error_did2s" }
        }
        struct Imputation: Decodable {
            let overall: Entry, byEventTime: [Entry]
            enum CodingKeys: String, CodingKey { case overall, byEventTime = "by_event_time" }
        }
        struct Panel: Decodable { let imputation: Imputation }
        let mpdta: Panel, peru: Panel
    }

    @Test("mpdta and Peru: estimates and did2s GMM standard errors match Tests/Fixtures/staggered (pyfixest 0.60 did2s)",
          arguments: ["mpdta", "peru"])
    func fixture(panel: String) throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .useDefaultKeys
        let file = try decoder.decode(Fixture.self, from: try QuipuTestSupport.Fixture.data("Tests/Fixtures/staggered/staggered_reference.json"))
        let reference = panel == "peru" ? file.peru.imputation : file.mpdta.imputation
        let result = try TwoStageDiD.estimate(try ImputationDiDTests.fixtureInput(panel))
        let overall = try #require(result.index(ofLabel: "att"))
        #expect(ImputationDiDTests.agrees(result.estimates[overall].estimate, reference.overall.estimate, 1e-6))
        #expect(ImputationDiDTests.agrees(result.standardErrors[overall], reference.overall.stdErrorDid2s, 1e-4),
                "\(result.standardErrors[overall]) vs \(reference.overall.stdErrorDid2s)")
        for row in reference.byEventTime {
            let index = try #require(result.index(ofLabel: "e\(row.eventTime ?? -99)"))
            #expect(ImputationDiDTests.agrees(result.estimates[index].estimate, row.estimate, 1e-6))
            #expect(ImputationDiDTests.agrees(result.standardErrors[index], row.stdErrorDid2s, 1e-4),
                    "\(panel) h = \(row.eventTime ?? 0): \(result.standardErrors[index]) vs \(row.stdErrorDid2s)")
        }
    }
}
