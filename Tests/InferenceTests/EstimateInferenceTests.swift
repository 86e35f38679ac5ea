import Foundation
import Inference
import LinearAlgebra
import QuipuTestSupport
import Testing

/// The one inference core (issue 20, point 2): every figure checked against a value derived here
/// from a textbook formula or a closed-form distribution, not from the code under test.
@Suite struct EstimateInferenceTests {
    func matrix(_ rows: [[Double]]) -> Matrix {
        var m = Matrix(rows: rows.count, columns: rows.count)
        for i in rows.indices { for j in rows.indices { m[i, j] = rows[i][j] } }
        return m
    }

    /// t with 1 df is the Cauchy distribution: P(|T| ≥ t) = 1 − (2/π)·atan(t), and its 0.975
    /// quantile is tan(0.475π); t with 2 df: P(|T| ≥ t) = 1 − t/√(2 + t²).
    @Test("standard errors, statistics, p-values and intervals against closed forms of t(1), t(2) and the normal")
    func rowsAgainstClosedForms() {
        let covariance = matrix([[0.25, 0.05], [0.05, 4]])
        let cauchy = EstimateInference(estimates: [1.5, -3], covariance: covariance, distribution: .studentT(degreesOfFreedom: 1))
        let rows = cauchy.rows(level: 0.95)
        #expect(rows[0].standardError == 0.5 && rows[1].standardError == 2)
        #expect(rows[0].statistic == 3 && rows[1].statistic == -1.5)
        #expect(isClose(rows[0].pValue, 1 - 2 / Double.pi * atan(3), relative: 1e-10))
        #expect(isClose(rows[1].pValue, 1 - 2 / Double.pi * atan(1.5), relative: 1e-10))
        let critical = tan(0.475 * Double.pi)  // 12.706…, the t table's t(0.975, 1)
        #expect(isClose(rows[0].low, 1.5 - critical * 0.5, relative: 1e-10) && isClose(rows[0].high, 1.5 + critical * 0.5, relative: 1e-10))

        let two = EstimateInference(estimates: [1.5], covariance: matrix([[0.25]]), distribution: .studentT(degreesOfFreedom: 2)).rows(level: 0.9)[0]
        #expect(isClose(two.pValue, 1 - 3 / (2 + 9.0).squareRoot(), relative: 1e-10))
        // t(2)'s quantile in closed form: q(p) = (2p − 1)·√(2 / (1 − (2p − 1)²)); at 0.95, 2.919986.
        let q = 0.9 * (2 / (1 - 0.81)).squareRoot()
        #expect(isClose(two.high, 1.5 + q * 0.5, relative: 1e-10))

        // The normal: z = 1.959963984540054 is the 0.975 quantile, so p = 0.05 and the interval's
        // end touches zero.
        let z = 1.959963984540054
        let normal = EstimateInference(estimates: [z * 0.5], covariance: matrix([[0.25]]), distribution: .standardNormal).rows(level: 0.95)[0]
        #expect(isClose(normal.pValue, 0.05, relative: 1e-12))
        #expect(abs(normal.low) < 1e-14)
    }

    @Test("an undefined covariance estimate (no residual degrees of freedom) makes every figure NaN")
    func undefinedCovarianceEstimate() throws {
        let estimate = try exactFitCovariance()
        #expect(!estimate.isDefined)
        let inference = EstimateInference(estimates: [1, 2], covariance: estimate)
        for row in inference.rows(level: 0.95) {
            #expect(row.standardError.isNaN && row.statistic.isNaN && row.pValue.isNaN && row.low.isNaN && row.high.isNaN)
        }
        #expect(inference.waldTest(indices: [0]).undefined == .covariance(estimate.undefinedReason))
    }

    /// A regression with N = K (two observations, two coefficients): the covariance is undefined.
    func exactFitCovariance() throws -> CovarianceEstimate {
        let input = CovarianceInput(bread: matrix([[1, 0], [0, 1]]), weightedDesign: matrix([[1, 0], [0, 1]]),
                                    weightedResiduals: [0, 0], observationCount: 2, parameterCount: 2)
        return CovarianceEstimator().iid(input)
    }

    @Test("a linear combination's standard error is √(w′Vw), computed by hand for a 3 × 3 covariance")
    func linearCombination() throws {
        let covariance = matrix([[4, 1, 0.5], [1, 9, -2], [0.5, -2, 16]])
        let inference = EstimateInference(estimates: [1, 2, 3], covariance: covariance, distribution: .standardNormal)
        // w′Vw for w = (1, −2, 0.5): 4 + 4·9 + 0.25·16 + 2·(1·−2·1) + 2·(1·0.5·0.5) + 2·(−2·0.5·−2) = 44.5.
        let combination = try #require(inference.linearCombination([1, -2, 0.5]))
        #expect(combination.estimate == 1 - 4 + 1.5)
        #expect(isClose(combination.standardError, 44.5.squareRoot(), relative: 1e-14))
        // A single weight gives the estimate's own standard error.
        #expect(inference.linearCombination([0, 1, 0])?.standardError == 3)
        // Without a joint covariance (separate regressions) there is no standard error.
        var separate = covariance
        separate[0, 1] = .nan
        separate[1, 0] = .nan
        #expect(EstimateInference(estimates: [1, 2, 3], covariance: separate, distribution: .standardNormal).linearCombination([1, 1, 0]) == nil)
    }

    /// F(2, d) has survival (1 + 2f/d)^(−d/2); χ²(2) has survival exp(−x/2).
    @Test("the Wald test: F(q, df) against t and χ²(q) against the normal, in closed form")
    func waldKnownCases() {
        // Correlated pair: W = b′V⁻¹b with V⁻¹ = [[d, −b], [−c, a]] / (ad − bc).
        let v = [[2.0, 0.6], [0.6, 1.0]], b = [1.0, -0.5]
        let det = v[0][0] * v[1][1] - v[0][1] * v[1][0]
        let w = (b[0] * b[0] * v[1][1] - 2 * b[0] * b[1] * v[0][1] + b[1] * b[1] * v[0][0]) / det
        let f = EstimateInference(estimates: b, covariance: matrix(v), distribution: .studentT(degreesOfFreedom: 12)).waldTest(indices: [0, 1])
        #expect(isClose(f.statistic, w / 2, relative: 1e-12))
        #expect(f.numeratorDegrees == 2 && f.denominatorDegrees == 12 && f.undefined == nil)
        #expect(isClose(f.pValue, pow(1 + 2 * (w / 2) / 12, -6), relative: 1e-10))
        let chi = EstimateInference(estimates: b, covariance: matrix(v), distribution: .standardNormal).waldTest(indices: [0, 1])
        #expect(isClose(chi.statistic, w, relative: 1e-12))
        #expect(chi.denominatorDegrees == nil)
        #expect(isClose(chi.pValue, exp(-w / 2), relative: 1e-10))
        // One restriction: F(1, df) of t² is the t test, χ²(1) of z² the z test.
        let single = EstimateInference(estimates: b, covariance: matrix(v), distribution: .studentT(degreesOfFreedom: 7))
        #expect(isClose(single.waldTest(indices: [1]).pValue, single.rows(level: 0.95)[1].pValue, relative: 1e-9))
        let z = EstimateInference(estimates: b, covariance: matrix(v), distribution: .standardNormal)
        #expect(isClose(z.waldTest(indices: [0]).pValue, z.rows(level: 0.95)[0].pValue, relative: 1e-9))
    }

    @Test("the Wald test says why it is undefined: nothing to test, too few clusters, NaN covariance, a block without rank")
    func waldUndefined() throws {
        let inference = EstimateInference(estimates: [1, 2, 3], covariance: matrix([[1, 0, 0], [0, 1, 0], [0, 0, 1]]),
                                          distribution: .studentT(degreesOfFreedom: 2), clusterCount: 3)
        #expect(inference.waldTest(indices: []).undefined == .noEstimates)
        // Three restrictions with three clusters: the cluster-robust covariance has rank 2 at most.
        let few = inference.waldTest(indices: [0, 1, 2])
        #expect(few.statistic.isNaN && few.pValue.isNaN && few.ruleReason?.contains("needs more than 3 clusters") == true)
        #expect(inference.waldTest(indices: [0, 1]).undefined == nil)
        var gap = matrix([[1, 0], [0, 1]])
        gap[0, 1] = .nan
        #expect(EstimateInference(estimates: [1, 2], covariance: gap, distribution: .standardNormal).waldTest(indices: [0, 1]).undefined == .covariance(nil))
        // A singular block is tested on its rank through the generalized inverse (issue 23): the
        // supported direction u = (1, 1)/√2 has eigenvalue 2, so W = (u′b)²/2 = 4.5/2 on 1 df.
        let singular = EstimateInference(estimates: [1, 2], covariance: matrix([[1, 1], [1, 1]]), distribution: .standardNormal).waldTest(indices: [0, 1])
        #expect(singular.undefined == nil && singular.numeratorDegrees == 1 && isClose(singular.statistic, 2.25, relative: 1e-12))
        #expect(singular.note?.contains("rank 1") == true)
        // Only a block without rank has no statistic.
        let zero = EstimateInference(estimates: [1, 2], covariance: matrix([[0, 0], [0, 0]]), distribution: .standardNormal).waldTest(indices: [0, 1])
        guard case .singular? = zero.undefined else { Issue.record("a zero block: \(String(describing: zero.undefined))"); return }
        // The regression F view: a rank-deficient covariance is tested on its rank, with the note.
        let estimate = CovarianceEstimator().iid(CovarianceInput(
            bread: matrix([[1, 0], [0, 0]]), weightedDesign: Matrix(rows: 4, columns: 2, values: [1, 0, 1, 0, 0, 1, 0, 1]),
            weightedResiduals: [1, -1, 1, -1], observationCount: 4, parameterCount: 2))
        let regression = try WaldTest(coefficients: [1, 2], covariance: estimate, indices: [0, 1])
        #expect(regression.numeratorDegrees == 1 && regression.result.note != nil)
    }

    /// Draws 1…101 of one estimate: the 0.25 and 0.75 quantiles (type 7) are 26 and 76, so the
    /// IQR standard error is 50 / (z.75 − z.25) = 50 / 1.3489795003921634.
    @Test("bootstrap standard errors come from the draws' interquartile range; the analytic value is left unchanged")
    func bootstrapFromDraws() {
        let count = 101
        var draws = [Double]()
        for b in 0..<count { draws += [Double(b + 1), Double(2 * (b + 1)), 5] }
        let analytic = EstimateInference(estimates: [0.1, 0.2, 0.3], covariance: matrix([[1, 0.5, 0], [0.5, 4, 0], [0, 0, 0]]),
                                         distribution: .studentT(degreesOfFreedom: 30))
            .undefiningStandardErrors { _, error in !(error > 0) }
        let bootstrapped = analytic.withBootstrap(replicates: draws, count: count)
        let scale = 1.3489795003921634
        #expect(isClose(bootstrapped.standardErrors[0], 50 / scale, relative: 1e-12))
        #expect(isClose(bootstrapped.standardErrors[1], 100 / scale, relative: 1e-12))
        #expect(bootstrapped.standardErrors[2].isNaN, "a bootstrap does not define what the analytic inference left undefined")
        // Immutability: the analytic value keeps its covariance standard errors and no draws.
        #expect(analytic.standardErrors[0] == 1 && analytic.standardErrors[1] == 2 && analytic.bootstrapDraws == nil)
        #expect(bootstrapped.bootstrapDraws?.count == count)
        // A combination takes its standard error from the same draws: e0 + e1 has draws 3…303, IQR 150.
        #expect(isClose(bootstrapped.linearCombination([1, 1, 0])?.standardError ?? 0, 150 / scale, relative: 1e-12))
        #expect(isClose(analytic.linearCombination([1, 1, 0])?.standardError ?? 0, (1 + 4 + 2 * 0.5).squareRoot(), relative: 1e-14))
        // Rows use the bootstrap standard errors with the same reference distribution.
        let row = bootstrapped.rows(level: 0.95)[0]
        #expect(isClose(row.statistic, 0.1 / (50 / scale), relative: 1e-12))
        #expect(analytic.waldTest(indices: [0, 1]).statistic == bootstrapped.waldTest(indices: [0, 1]).statistic)
    }

    /// Draws ±1, ±2 (each estimate's sign flips with the replicate): max_j |draw_j| / se_j per
    /// replicate, and the band's critical value is its 0.95 quantile.
    @Test("the uniform (sup-t) band's critical value is the quantile of the replicates' largest studentized draw")
    func uniformBand() throws {
        let count = 21
        var draws = [Double]()
        for b in 0..<count { draws += [Double(b - 10), Double(10 - b) * 0.5 + (b == 0 ? 3 : 0)] }
        let inference = EstimateInference(estimates: [0, 0], covariance: matrix([[1, 0], [0, 1]]), distribution: .standardNormal)
            .withBootstrap(replicates: draws, count: count)
        let errors = inference.standardErrors
        var maxima = (0..<count).map { b in max(abs(draws[2 * b]) / errors[0], abs(draws[2 * b + 1]) / errors[1]) }
        maxima.sort()
        // Type-7 quantile at 0.95 of 21 sorted values: position 19, so the 20th value exactly.
        #expect(isClose(try #require(inference.uniformCriticalValue(over: [0, 1], level: 0.95)), maxima[19], relative: 1e-14))
        #expect(EstimateInference(estimates: [0], covariance: matrix([[1]]), distribution: .standardNormal)
            .uniformCriticalValue(over: [0], level: 0.95) == nil, "no band without bootstrap draws")
    }

    /// One set gathering two regressions (TWFE's coefficient and its event study) keeps each
    /// estimate's own t: the p-values are those of t(1) (Cauchy) and t(2) in closed form, and no
    /// joint test spans the two distributions.
    @Test("each estimate tested against its own distribution; no Wald test across two of them")
    func perEstimateDistributions() {
        let inference = EstimateInference(estimates: [1.5, 1.5], covariance: matrix([[0.25, 0], [0, 0.25]]),
                                          distribution: .studentT(degreesOfFreedom: 1),
                                          distributions: [.studentT(degreesOfFreedom: 1), .studentT(degreesOfFreedom: 2)])
        let rows = inference.rows(level: 0.95)
        #expect(isClose(rows[0].pValue, 1 - 2 / Double.pi * atan(3), relative: 1e-10))
        #expect(isClose(rows[1].pValue, 1 - 3 / (2 + 9.0).squareRoot(), relative: 1e-10))
        #expect(inference.waldTest(indices: [0, 1]).undefined == .mixedDistributions)
        let own = inference.waldTest(indices: [1])
        #expect(own.denominatorDegrees == 2 && own.undefined == nil)
        #expect(inference.distribution(ofCombination: [0, 2]) == .studentT(degreesOfFreedom: 2))
    }
}
