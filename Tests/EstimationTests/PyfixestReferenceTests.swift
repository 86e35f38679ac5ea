@testable import Estimation
import Foundation
import Inference
import Testing
import QuipuTestSupport

/// Agreement with pyfixest on the fixtures in Tests/Fixtures/pyfixest (script and versions there).
@Suite struct PyfixestReferenceTests {
    struct Reference: Decodable {
        let versions: [String: String]
        let tolerances: [String: Double]
        let cases: [Case]
    }
    struct Case: Decodable, CustomTestStringConvertible {
        let name: String
        let data: String
        let formula: String
        let vcov: String
        let weights: String?
        let fixef_rm: String?
        let nobs: Int
        let n_clusters: Int?
        let df_t: Double?
        let r2: Double?
        let adj_r2: Double?
        let r2_within: Double?
        let coefficients: [Coefficient]
        var testDescription: String { name }
    }
    struct Coefficient: Decodable {
        let term: String
        let estimate: Double
        let std_error: Double
        let statistic: Double
        let p_value: Double
        let conf_low: Double
        let conf_high: Double
    }

    static func reference() throws -> Reference {
        let data = try Fixture.data("Tests/Fixtures/pyfixest/feols_reference.json")
        return try JSONDecoder().decode(Reference.self, from: data)
    }

    static var cases: [Case] { (try? reference().cases) ?? [] }

    @Test func fixturesExist() throws {
        // Every case of the fixture runs as a parameterised case (`cases` is empty only when the
        // fixture cannot be read, which this test reports).
        #expect(try Self.reference().cases.count == 19)
        #expect(Self.cases.count == 19)
    }

    @Test(arguments: cases)
    func matchesPyfixest(_ reference: Case) throws {
        let tolerances = try Self.reference().tolerances
        let covariance = try CovarianceType(parsing: reference.vcov)
        let fit = try fitModel(data: reference.data, formula: reference.formula, weights: reference.weights,
                               clusters: covariance.clusterVariables, removeSingletons: reference.fixef_rm != "none")
        let estimate = try fit.covariance(covariance)
        #expect(fit.observationCount == reference.nobs)
        #expect(fit.coefficientNames == reference.coefficients.map(\.term))
        if let clusters = reference.n_clusters { #expect(estimate.clusterCounts.min() == clusters) }
        if let df = reference.df_t { #expect(estimate.degreesOfFreedom == df) }
        let estimateTolerance = tolerances["estimate_rel"] ?? 1e-8
        let errorTolerance = tolerances["std_error_rel"] ?? 1e-6
        let errors = estimate.standardErrors
        // pyfixest (like fixest's default ssc) counts Σ levels − (#FE − 1) fixed-effect parameters;
        // Quipu counts the redundant levels exactly (one per connected component of the first two
        // counted fixed effects). Where that graph is disconnected, the standard errors differ by
        // exactly √((N − K_pyfixest) / (N − K_quipu)), which the comparison applies.
        let clusters = covariance.clusterVariables.compactMap { name in fit.clusterVariables.first { $0.name == name } }
        let k = clusters.isEmpty ? fit.parameterCount : fit.parameterCount(nestedIn: clusters)
        let peerK = Self.fixestDefaultParameterCount(fit, nestedIn: clusters)
        let scale = (Double(fit.observationCount - peerK) / Double(fit.observationCount - k)).squareRoot()
        for (index, expected) in reference.coefficients.enumerated() where index < fit.coefficients.count {
            let estimateGap = relativeDifference(fit.coefficients[index], expected.estimate)
            let errorGap = relativeDifference(errors[index], expected.std_error * scale)
            #expect(estimateGap <= estimateTolerance, "\(reference.name) \(expected.term): estimate \(fit.coefficients[index]) vs \(expected.estimate)")
            #expect(errorGap <= errorTolerance, "\(reference.name) \(expected.term): std. error \(errors[index]) vs \(expected.std_error)")
            let p = StudentT(degreesOfFreedom: estimate.degreesOfFreedom).twoSidedPValue(fit.coefficients[index] / errors[index])
            #expect(abs(p - expected.p_value) <= (tolerances["p_value_abs"] ?? 1e-7), "\(reference.name) \(expected.term): p \(p) vs \(expected.p_value)")
        }
        if let r2 = reference.r2 { #expect(abs(fit.r2 - r2) <= (tolerances["r2_abs"] ?? 1e-10) * 100) }
        if let within = reference.r2_within, let ours = fit.withinR2 { #expect(abs(ours - within) <= 1e-8) }
    }

    /// K by fixest's default `ssc()` (R/VCOV.R, `fixef.K = "nested"`, `fixef.force_exact = FALSE`)
    /// and pyfixest's: coefficients + Σ levels − (#FE − 1); with clusters, the nested fixed effects'
    /// levels less one each are left out (coefficients + 1 when all are nested), at least
    /// coefficients + 1.
    static func fixestDefaultParameterCount(_ fit: LinearModelFit, nestedIn clusters: [ClusterVariable]) -> Int {
        let effects = fit.fixedEffects
        guard !effects.isEmpty else { return fit.parameterCount }
        let levels = effects.map(\.levelCount)
        var k = fit.coefficients.count + levels.reduce(0, +) - (effects.count - 1)
        let clusterFactors = clusters.map { Factor(name: $0.name, denseCodes: $0.codes, levelCount: $0.levelCount) }
        let nested = effects.map { effect in clusterFactors.contains { effect.isNested(in: $0) } }
        guard nested.contains(true) else { return k }
        if !nested.contains(false) {
            k = fit.coefficients.count + 1
        } else {
            k -= zip(levels, nested).filter(\.1).reduce(0) { $0 + $1.0 - 1 }
        }
        return max(k, fit.coefficients.count + 1)
    }
}
