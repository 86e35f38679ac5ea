import Estimation
import Foundation
import Inference
import Testing
import QuipuTestSupport

/// Accuracy on the NIST StRD linear-regression datasets (certified values in multiple precision).
/// The issue asks for at least 9 correct digits everywhere except Filip, which must be fitted (not
/// declared rank-deficient) with at least 7.
@Suite struct NISTAccuracyTests {
    struct Certified: Decodable {
        let formula: String
        let terms: [String]
        let estimate: [Double]
        let std_error: [Double]
    }

    static let datasets = ["Norris", "Pontius", "Longley", "Filip", "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5"]

    static func certified() throws -> [String: Certified] {
        let data = try Fixture.data("Tests/Fixtures/nist/certified.json")
        return try JSONDecoder().decode([String: Certified].self, from: data)
    }

    @Test func filipFollowsFixest() throws {
        let reference = try #require(try Self.certified()["Filip"])
        let fit = try fitModel(data: "Tests/Fixtures/nist/Filip.csv", formula: reference.formula)
        #expect(fit.collinearNames == ["x9", "x10"])
    }

    @Test(arguments: datasets)
    func digitsOfAccuracy(dataset: String) throws {
        let reference = try #require(try Self.certified()[dataset])
        // fixest's rule (a squared Cholesky pivot of the unscaled XᵀX below collin.tol) drops Filip's
        // x9 and x10 at the default 1e-9, as R's lm does; `filipFollowsFixest` checks that. With the
        // rule switched off the solver must still fit every design in full, accurately.
        let fit = try fitModel(data: "Tests/Fixtures/nist/\(dataset).csv", formula: reference.formula, collinearityTolerance: 0)
        #expect(fit.collinearNames.isEmpty, "\(dataset) must be fitted in full, not truncated")
        #expect(fit.coefficientNames == reference.terms)
        let errors = try fit.covariance(.iid).standardErrors
        let required = dataset == "Filip" ? 7.0 : 9.0
        var report = "\(dataset) (\(fit.method.rawValue)):"
        for (index, term) in reference.terms.enumerated() where index < fit.coefficients.count {
            let estimateDigits = logRelativeError(fit.coefficients[index], certified: reference.estimate[index])
            let errorDigits = logRelativeError(errors[index], certified: reference.std_error[index])
            report += String(format: " %@ %.1f/%.1f", term, estimateDigits, errorDigits)
            #expect(estimateDigits >= required, "\(dataset) \(term) estimate: \(estimateDigits) digits")
            // A certified standard error of exactly 0 (a perfect fit) is met when ours is negligible
            // relative to the coefficient.
            if reference.std_error[index] == 0 {
                #expect(errors[index] < 1e-9 * max(1, abs(reference.estimate[index])))
            } else {
                #expect(errorDigits >= required, "\(dataset) \(term) std. error: \(errorDigits) digits")
            }
        }
        print(report)
    }
}
