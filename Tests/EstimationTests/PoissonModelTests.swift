import Estimation
import Formula
import Foundation
import Inference
import PanelData
import Testing
import QuipuTestSupport

/// Reads a CSV, builds the frame and fits a Poisson model, the same pipeline as `quipu fepois`.
func fitPoisson(data: String, formula: String, weights: String? = nil, clusters: [String] = [],
                options: PoissonModelOptions = .init()) throws -> PoissonModelFit {
    let parsed = try ModelFormula.parse(formula)
    let table = try CSVReader.read(path: repositoryPath(data))
    let frame = try ModelFrame(table: table, formula: parsed, options: ModelFrameOptions(weights: weights, clusters: clusters))
    return try PoissonModel.fit(frame, options: options)
}

/// Agreement with pyfixest's `fepois` on the fixtures in Tests/Fixtures/fepois (script, versions
/// and tolerances there), with the default options of `quipu fepois`.
@Suite struct PoissonModelTests {
    struct Reference: Decodable {
        let tolerances: [String: Double]
        let cases: [Case]
    }
    struct Case: Decodable, CustomTestStringConvertible {
        let name: String
        let data: String
        let formula: String
        let vcov: String
        let weights: String?
        let nobs: Int
        let n_clusters: Int?
        let collinear: [String]
        let log_likelihood: Double
        let pseudo_r2: Double?
        let deviance: Double
        let coefficients: [Coefficient]
        var testDescription: String { name }
    }
    struct Coefficient: Decodable {
        let term: String
        let estimate: Double
        let std_error: Double
        let p_value: Double
        let conf_low: Double
        let conf_high: Double
    }

    static let dataPath = "Tests/Fixtures/fepois/poisson_panel.csv"

    static func reference() throws -> Reference {
        let data = try Fixture.data("Tests/Fixtures/fepois/fepois_reference.json")
        return try JSONDecoder().decode(Reference.self, from: data)
    }

    static var cases: [Case] { (try? reference().cases) ?? [] }

    @Test func fixturesCoverTheRequiredSpecifications() throws {
        let names = try Self.reference().cases.map(\.name)
        // Every case of the fixture runs as a parameterised case (`cases` is empty only when the
        // fixture cannot be read, which this test reports).
        #expect(names.count == 10)
        #expect(Self.cases.count == 10)
        for required in ["fe2_iid", "fe2_hetero", "fe2_cluster_firm", "fe2_cluster_firm_year", "fe2_weights_cluster_firm",
                         "fe3_cluster_firm", "fe1_all_zero_groups_iid", "separation_cluster_firm"] {
            #expect(names.contains(required))
        }
    }

    @Test(arguments: cases)
    func matchesPyfixest(_ reference: Case) throws {
        let tolerances = try Self.reference().tolerances
        let covariance = try CovarianceType(parsing: reference.vcov)
        let fit = try fitPoisson(data: reference.data, formula: reference.formula, weights: reference.weights,
                                 clusters: covariance.clusterVariables)
        let estimate = try fit.covariance(covariance)
        #expect(fit.observationCount == reference.nobs)
        #expect(fit.coefficientNames == reference.coefficients.map(\.term))
        #expect(fit.collinearNames == reference.collinear)
        if let clusters = reference.n_clusters { #expect(estimate.clusterCounts.min() == clusters) }
        let errors = estimate.standardErrors
        for (index, expected) in reference.coefficients.enumerated() where index < fit.coefficients.count {
            let estimateGap = relativeDifference(fit.coefficients[index], expected.estimate)
            let errorGap = relativeDifference(errors[index], expected.std_error)
            #expect(estimateGap <= tolerances["estimate_rel"] ?? 1e-6, "\(reference.name) \(expected.term): \(fit.coefficients[index]) vs \(expected.estimate)")
            #expect(errorGap <= tolerances["std_error_rel"] ?? 1e-5, "\(reference.name) \(expected.term): SE \(errors[index]) vs \(expected.std_error)")
            let p = 2 * StandardNormal.survival(abs(fit.coefficients[index] / errors[index]))
            #expect(abs(p - expected.p_value) <= tolerances["p_value_abs"] ?? 1e-6)
        }
        #expect(relativeDifference(fit.logLikelihood, reference.log_likelihood) <= tolerances["loglik_rel"] ?? 1e-9)
        #expect(relativeDifference(fit.deviance, reference.deviance) <= 1e-7)
        if let pseudoR2 = reference.pseudo_r2 { #expect(abs(fit.pseudoR2 - pseudoR2) <= 1e-9) }
    }

    @Test func allZeroGroupsAreDroppedAndCounted() throws {
        let fit = try fitPoisson(data: Self.dataPath, formula: "y ~ x1 + treat | firm")
        #expect(fit.droppedAllZeroGroups > 0)
        #expect(fit.droppedSeparated == 0)
    }

    @Test func separationIsDetectedAndNamed() throws {
        let fit = try fitPoisson(data: Self.dataPath, formula: "y ~ x1 + treat + xsep | firm + year", clusters: ["firm"])
        #expect(fit.droppedSeparated > 0)
        #expect(fit.separatingRegressors == ["xsep"])
        #expect(fit.collinearNames == ["xsep"])
        #expect(fit.coefficientNames == ["x1", "treat"])
    }

    @Test func separationWithoutFixedEffectsLeavesTheOtherEstimatesOfTheDivergingFit() throws {
        let fit = try fitPoisson(data: Self.dataPath, formula: "y ~ x1 + treat + xsep")
        #expect(fit.droppedSeparated == 176)
        #expect(fit.separatingRegressors == ["xsep"])
        // pyfixest 0.60.0 runs its rectifier only with fixed effects; without, its IRLS lets xsep
        // drift (to −38.9 at iwls_tol 1e-12) and the others converge to the estimates without the
        // separated rows: (Intercept) 0.552567, x1 0.698634, treat 0.138453.
        for (name, expected) in [("(Intercept)", 0.552567), ("x1", 0.698634), ("treat", 0.138453)] {
            let index = try #require(fit.coefficientNames.firstIndex(of: name))
            #expect(abs(fit.coefficients[index] - expected) < 1e-6, "\(name): \(fit.coefficients[index])")
        }
    }

    @Test func absorbedFixedEffectsEqualExplicitDummies() throws {
        let absorbed = try fitPoisson(data: Self.dataPath, formula: "y ~ x1 + treat | firm + year")
        let dummies = try fitPoisson(data: Self.dataPath, formula: "y ~ x1 + treat + i(year) | firm")
        #expect(absorbed.observationCount == dummies.observationCount)
        for (index, name) in absorbed.coefficientNames.enumerated() {
            guard let position = dummies.coefficientNames.firstIndex(of: name) else {
                Issue.record("\(name) missing from the dummy fit")
                continue
            }
            #expect(relativeDifference(absorbed.coefficients[index], dummies.coefficients[position]) <= 1e-7)
            // By the partitioned inverse, the slopes' block of the inverse Hessian is the same.
            let absorbedError = try absorbed.covariance(.iid).standardErrors[index]
            let dummyError = try dummies.covariance(.iid).standardErrors[position]
            #expect(relativeDifference(absorbedError, dummyError) <= 1e-6)
        }
        #expect(relativeDifference(absorbed.logLikelihood, dummies.logLikelihood) <= 1e-9)
    }

    @Test func negativeOutcomeIsRefusedByName() throws {
        let url = try temporaryCSV("firm,year,x,exports\n1,1,0.5,3\n1,2,0.1,-2\n2,1,0.3,0\n2,2,0.9,4\n")
        let parsed = try ModelFormula.parse("exports ~ x | firm")
        let frame = try ModelFrame(table: try CSVReader.read(path: url.path), formula: parsed)
        #expect {
            _ = try PoissonModel.fit(frame)
        } throws: { error in
            "\(error)".contains("'exports'") && "\(error)".contains("negative")
        }
    }

    @Test func allZeroOutcomeIsRefusedByName() throws {
        let url = try temporaryCSV("x,exports\n0.5,0\n0.1,0\n0.3,0\n")
        let parsed = try ModelFormula.parse("exports ~ x")
        let frame = try ModelFrame(table: try CSVReader.read(path: url.path), formula: parsed)
        #expect {
            _ = try PoissonModel.fit(frame)
        } throws: { error in
            "\(error)".contains("'exports'") && "\(error)".contains("zero in all")
        }
    }

    func temporaryCSV(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("quipu-poisson-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
