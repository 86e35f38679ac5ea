import LinearAlgebra
import Testing
import QuipuTestSupport
@testable import Sensitivity

@Suite struct SensitivityProblemTests {
    private func problem(weights: [Double]) throws -> SensitivityProblem {
        // Two pre-periods and two post-periods with a covariance that couples the post-periods.
        var sigma = Matrix.identity(4)
        for i in 0..<4 { sigma[i, i] = Double(i + 1) * 0.01 }
        sigma[2, 3] = 0.005; sigma[3, 2] = 0.005
        return try SensitivityProblem(eventTimes: [-3, -2, 0, 1], estimates: [0.01, -0.02, 0.1, 0.3],
                                      covariance: sigma, preCount: 2, targetWeights: weights, targetLabel: "test")
    }

    @Test func theTargetIsTheWeightedPostEstimates() throws {
        let average = try problem(weights: [0.5, 0.5])
        #expect(isClose(average.targetEstimate, 0.2, relative: 1e-12))
        // l'Σl = 0.25·0.03 + 0.25·0.04 + 2·0.25·0.005
        #expect(isClose(average.targetStandardError, (0.0075 + 0.01 + 0.0025).squareRoot(), relative: 1e-12))
        let original = average.originalInterval(level: 0.95)
        #expect(isClose(original.upper - original.lower, 2 * 1.959963984540054 * average.targetStandardError, relative: 1e-9))
    }

    @Test func badShapesAreTypedErrors() throws {
        #expect(throws: SensitivityError.targetLength(expected: 2, got: 3)) { try problem(weights: [1, 0, 0]) }
        #expect(throws: SensitivityError.noPrePeriods) {
            try SensitivityProblem(eventTimes: [0], estimates: [1], covariance: .identity(1), preCount: 0,
                                   targetWeights: [1], targetLabel: "x")
        }
    }

    @Test func breakdownIsTheLargestBoundExcludingZero() {
        let curve = SensitivityCurve(restriction: .relativeMagnitudes, method: .conditionalLeastFavorable, level: 0.95,
                                     targetLabel: "x", original: .init(bound: 0, lower: 0.1, upper: 0.3),
                                     intervals: [.init(bound: 0, lower: 0.1, upper: 0.3), .init(bound: 0.5, lower: 0.01, upper: 0.4),
                                                 .init(bound: 1, lower: -0.1, upper: 0.5)])
        #expect(curve.breakdown == 0.5)
    }
}
