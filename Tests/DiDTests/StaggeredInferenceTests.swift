import DiD
import Inference
import LinearAlgebra
import QuipuTestSupport
import Testing

/// A staggered result holds one inference (issue 20, point 2): the multiplier bootstrap gives a new
/// result, and everything stated beside its rows (combinations, bands) comes from the same draws.
@Suite struct StaggeredInferenceTests {
    /// e0, e1 and their average, with a covariance whose standard errors are 1, 2 and 1.5.
    func analyticResult() -> StaggeredResult {
        let estimates = [
            StaggeredEstimate(kind: .dynamic, eventTime: 0, estimate: 0.4, treatedUnits: 10, cohortCount: 2),
            StaggeredEstimate(kind: .dynamic, eventTime: 1, estimate: 0.6, treatedUnits: 8, cohortCount: 2),
            StaggeredEstimate(kind: .dynamic, estimate: 0.5, treatedUnits: 10, cohortCount: 2),
        ]
        var covariance = Matrix(rows: 3, columns: 3)
        let values: [[Double]] = [[1, 0.5, 0.75], [0.5, 4, 2.25], [0.75, 2.25, 2.25]]
        for i in 0..<3 { for j in 0..<3 { covariance[i, j] = values[i][j] } }
        return StaggeredResult(estimator: .callawaySantAnna, estimates: estimates, covariance: covariance, degreesOfFreedom: 20,
                               inference: "analytic (test)", observationCount: 100, clusterCount: 21)
    }

    /// Replicate b (of 101) of e0 is b + 1, of e1 2(b + 1): e0 + e1 has draws 3…303, whose 0.25 and
    /// 0.75 quantiles (type 7) are 78 and 228, so its IQR standard error is 150 / (z.75 − z.25).
    @Test("a bootstrap result's --combine takes its standard error from the draws; the analytic result is unchanged")
    func combinationUsesTheBootstrap() throws {
        let analytic = analyticResult()
        let count = 101
        var draws = [Double]()
        for b in 1...count { draws += [Double(b), Double(2 * b), Double(b) * 1.5] }
        let bootstrap = analytic.withBootstrap(replicates: draws, count: count, level: 0.95, inference: "multiplier bootstrap (test)")
        let scale = 1.3489795003921634
        let combined = try bootstrap.combine("e0 + e1")
        #expect(isClose(combined.standardError, 150 / scale, relative: 1e-12))
        #expect(combined.inference == "multiplier bootstrap (test)")
        // Before issue 20 a combination could state √(w′Vw) = √(1 + 4 + 2·0.5) beside bootstrap rows.
        #expect(!isClose(combined.standardError, 6.0.squareRoot(), relative: 1e-3))
        // A combination of one estimate states that estimate's row.
        let single = try bootstrap.combine("e1")
        #expect(single.standardError == bootstrap.standardErrors[1])
        #expect(isClose(single.standardError, 100 / scale, relative: 1e-12))
        // The analytic result is a separate value and keeps its own inference.
        #expect(isClose(try analytic.combine("e0 + e1").standardError, 6.0.squareRoot(), relative: 1e-14))
        #expect(analytic.standardErrors == [1, 2, 1.5])
        #expect(analytic.uniformCriticalValues.isEmpty && analytic.inference == "analytic (test)")
        #expect(analytic.estimateInference.bootstrapDraws == nil)
        // The band covers e0 and e1 (not the overall average), from the bootstrap standard errors.
        #expect(bootstrap.uniformCriticalValues[.dynamic] == bootstrap.estimateInference.uniformCriticalValue(over: [0, 1], level: 0.95))
        #expect(bootstrap.uniformCriticalValues[.dynamic] != nil)
    }

    @Test("the pre-trend Wald test of a staggered result is the core's: F against t, with the reason when clusters are too few")
    func waldTestDescriptions() throws {
        let result = analyticResult()
        let test = try #require(result.waldTest(indices: [0, 1], description: "leads"))
        // V⁻¹ of [[1, 0.5], [0.5, 4]] (determinant 3.75): W = (0.4²·4 − 2·0.4·0.6·0.5 + 0.6²·1) / 3.75.
        let w = (0.16 * 4 - 2 * 0.4 * 0.6 * 0.5 + 0.36) / 3.75
        #expect(isClose(test.statistic, w / 2, relative: 1e-12))
        #expect(test.denominatorDegrees == 20 && test.description == "leads (Wald F)")
        let few = StaggeredResult(estimator: .sunAbraham, estimates: result.estimates, covariance: result.covariance, degreesOfFreedom: 1,
                                  inference: "test", observationCount: 100, clusterCount: 2)
        let undefined = try #require(few.waldTest(indices: [0, 1], description: "leads"))
        #expect(undefined.statistic.isNaN && undefined.description.hasPrefix("leads (undefined: a joint test of 2 coefficients"))
        let normal = StaggeredResult(estimator: .callawaySantAnna, estimates: result.estimates, covariance: result.covariance,
                                     degreesOfFreedom: nil, inference: "test", observationCount: 100, clusterCount: nil)
        let chi = try #require(normal.waldTest(indices: [0, 1], description: "leads"))
        #expect(isClose(chi.statistic, w, relative: 1e-12) && chi.denominatorDegrees == nil && chi.description == "leads (Wald χ²)")
    }
}
