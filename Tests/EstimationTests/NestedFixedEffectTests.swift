@testable import Estimation
import Foundation
import Inference
import Testing
import QuipuTestSupport

/// K for clustered standard errors when fixed effects are nested in the cluster variable and also
/// redundant (issue 19, point 13): fixest's `ssc(fixef.K = "nested")`, with the redundant levels
/// subtracted once. Reference values: `Tests/Fixtures/nested/` (pyfixest 0.60.0, whose K the
/// generator checks against fixest 0.12.2's rule in R/VCOV.R).
@Suite struct NestedFixedEffectTests {
    struct Reference: Decodable {
        let tolerances: [String: [String: Double]]
        let cases: [Case]
    }
    struct Case: Decodable, CustomTestStringConvertible {
        let name: String
        let model: String
        let data: String
        let formula: String
        let vcov: String
        let nobs: Int
        let n_clusters: Int
        let k_fixest: Int
        let coefficients: [Coefficient]
        var testDescription: String { name }
    }
    struct Coefficient: Decodable {
        let term: String
        let estimate: Double
        let std_error: Double
    }

    static func reference() throws -> Reference {
        let data = try Fixture.data("Tests/Fixtures/nested/nested_reference.json")
        return try JSONDecoder().decode(Reference.self, from: data)
    }

    static var cases: [Case] { (try? reference().cases) ?? [] }

    @Test func fixturesExist() throws {
        let cases = try Self.reference().cases
        #expect(cases.count >= 10)
        #expect(cases.contains { $0.model == "fepois" })
    }

    /// Estimates, standard errors, clusters and K of each case, with the default options.
    @Test(arguments: cases)
    func matchesReference(_ reference: Case) throws {
        let tolerances = try #require(try Self.reference().tolerances[reference.model])
        let covariance = try CovarianceType(parsing: reference.vcov)
        let clusterNames = covariance.clusterVariables
        let names: [String], estimates: [Double], estimate: CovarianceEstimate, k: Int
        if reference.model == "fepois" {
            let fit = try fitPoisson(data: reference.data, formula: reference.formula, clusters: clusterNames)
            let clusters = try FittedCovariance.selectedClusters(clusterNames, from: fit.clusterVariables)
            (names, estimates, k) = (fit.coefficientNames, fit.coefficients, fit.parameterCount(nestedIn: clusters))
            estimate = try fit.covariance(covariance)
            #expect(fit.observationCount == reference.nobs)
        } else {
            let fit = try fitModel(data: reference.data, formula: reference.formula, clusters: clusterNames)
            let clusters = try FittedCovariance.selectedClusters(clusterNames, from: fit.clusterVariables)
            (names, estimates, k) = (fit.coefficientNames, fit.coefficients, fit.parameterCount(nestedIn: clusters))
            estimate = try fit.covariance(covariance)
            #expect(fit.observationCount == reference.nobs)
        }
        #expect(k == reference.k_fixest, "K \(k), fixest's rule \(reference.k_fixest)")
        #expect(estimate.clusterCounts.min() == reference.n_clusters)
        #expect(names == reference.coefficients.map(\.term))
        let errors = estimate.standardErrors
        for (index, expected) in reference.coefficients.enumerated() where index < estimates.count {
            #expect(relativeDifference(estimates[index], expected.estimate) <= tolerances["estimate_rel"] ?? 1e-8,
                    "\(expected.term): estimate \(estimates[index]) vs \(expected.estimate)")
            #expect(relativeDifference(errors[index], expected.std_error) <= tolerances["std_error_rel"] ?? 1e-6,
                    "\(expected.term): std. error \(errors[index]) vs \(expected.std_error)")
        }
    }

    /// The example on data built here: `firm + country^firm` (the same levels twice, both
    /// nested in country) must give the standard error of `firm` alone, and K must stay at the
    /// coefficients + 1 — before, the firm levels were subtracted twice and K fell to 2 − #firms.
    @Test func duplicateNestedFixedEffectsAreNotSubtractedTwice() throws {
        var rows = ["y,x2,firm,country"]
        var state: UInt64 = 19
        func noise() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 40) / Double(1 << 24) - 0.5
        }
        let firms = 60
        for firm in 0..<firms {
            for _ in 0..<4 {
                let x = noise()
                rows.append("\(1 + 0.3 * x + Double(firm % 5) + noise()),\(x),f\(firm),c\(firm % 6)")
            }
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("quipu-nested-\(UUID().uuidString).csv")
        try rows.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let path = url.path
        let covariance = CovarianceType.cluster(["country"])
        let alone = try fitModel(data: path, formula: "y ~ x2 | firm", clusters: ["country"])
        let doubled = try fitModel(data: path, formula: "y ~ x2 | firm + country^firm", clusters: ["country"])
        #expect(doubled.redundantFixedEffects == firms, "country^firm repeats every firm level")
        let clusters = try FittedCovariance.selectedClusters(["country"], from: doubled.clusterVariables)
        #expect(doubled.parameterCount(nestedIn: clusters) == doubled.coefficients.count + 1)
        let (a, b) = (try alone.covariance(covariance).standardErrors[0], try doubled.covariance(covariance).standardErrors[0])
        #expect(relativeDifference(b, a) < 1e-10, "firm + country^firm \(b) vs firm \(a)")
        let poissonAlone = try fitPoisson(data: path, formula: "y ~ x2 | firm", clusters: ["country"])
        let poissonDoubled = try fitPoisson(data: path, formula: "y ~ x2 | firm + country^firm", clusters: ["country"])
        #expect(poissonDoubled.parameterCount(nestedIn: clusters) == poissonDoubled.coefficients.count + 1)
        #expect(relativeDifference(try poissonDoubled.covariance(covariance).standardErrors[0],
                                   try poissonAlone.covariance(covariance).standardErrors[0]) < 1e-6)
    }
}
