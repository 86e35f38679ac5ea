import Foundation
import Inference
import LinearAlgebra
import QuipuTestSupport
import Testing

/// Pre-trend tests that never mislead (issue 23, point 3): a singular or ill-conditioned covariance
/// is tested through its generalized inverse with its rank as the degrees of freedom, and says so;
/// a full-rank one keeps the ordinary inverse. Expected values come from closed forms here.
@Suite struct WaldRankTests {
    func matrix(_ rows: [[Double]]) -> Matrix {
        var m = Matrix(rows: rows.count, columns: rows.count)
        for i in rows.indices { for j in rows.indices { m[i, j] = rows[i][j] } }
        return m
    }

    @Test("a full-rank covariance: b′V⁻¹b by the closed-form 2x2 inverse, q degrees of freedom, no note")
    func fullRankUnchanged() {
        let v = matrix([[0.25, 0.05], [0.05, 4]])
        let b = [1.5, -3.0]
        let determinant = 0.25 * 4 - 0.05 * 0.05
        let expected = (b[0] * b[0] * 4 - 2 * b[0] * b[1] * 0.05 + b[1] * b[1] * 0.25) / determinant
        let test = EstimateInference(estimates: b, covariance: v, distribution: .standardNormal).waldTest(indices: [0, 1])
        #expect(test.numeratorDegrees == 2 && test.note == nil && test.undefined == nil)
        #expect(isClose(test.statistic, expected, relative: 1e-12))
        #expect(isClose(test.pValue, exp(-expected / 2), relative: 1e-10))  // χ²(2) survival in closed form
    }

    @Test("an exactly singular covariance (the third estimate is the sum of the first two): rank 2, the statistic of the two, a note")
    func exactlySingular() {
        // b₃ = b₁ + b₂ and V = A Aᵀ with A = [[1, 0], [0, 2], [1, 2]]: rank 2.
        let v = matrix([[1, 0, 1], [0, 4, 4], [1, 4, 5]])
        let b = [0.6, -1.0, -0.4]
        let test = EstimateInference(estimates: b, covariance: v, distribution: .standardNormal).waldTest(indices: [0, 1, 2])
        // On the column space the generalized Wald statistic is that of (b₁, b₂) with diag(1, 4).
        let expected = 0.6 * 0.6 / 1 + 1.0 * 1.0 / 4
        #expect(test.numeratorDegrees == 2)
        #expect(isClose(test.statistic, expected, relative: 1e-9))
        #expect(isClose(test.pValue, exp(-expected / 2), relative: 1e-8))
        #expect(test.note?.contains("rank 2") == true && test.note?.contains("generalized inverse") == true)
        // F form: W / rank against F(rank, df).
        let f = EstimateInference(estimates: b, covariance: v, distribution: .studentT(degreesOfFreedom: 40)).waldTest(indices: [0, 1, 2])
        #expect(f.numeratorDegrees == 2 && isClose(f.statistic, expected / 2, relative: 1e-9))
    }

    @Test("an ill-conditioned covariance (correlation 1 − 1e-13) no longer gives a χ² of 10^5: rank 1, the mean's statistic")
    func illConditioned() throws {
        let rho = 1 - 1e-13
        let v = matrix([[1, rho], [rho, 1]])
        let b = [1.0, 1.001]
        // The ordinary inverse: (b₁² − 2ρb₁b₂ + b₂²) / (1 − ρ²), about 5·10^6 here.
        let ordinary = (b[0] * b[0] - 2 * rho * b[0] * b[1] + b[1] * b[1]) / (1 - rho * rho)
        #expect(ordinary > 1e5)
        let test = EstimateInference(estimates: b, covariance: v, distribution: .standardNormal).waldTest(indices: [0, 1])
        #expect(test.numeratorDegrees == 1)
        // The supported direction is (1, 1)/√2 with eigenvalue 1 + ρ: W = (b₁ + b₂)² / (2(1 + ρ)).
        #expect(isClose(test.statistic, (b[0] + b[1]) * (b[0] + b[1]) / (2 * (1 + rho)), relative: 1e-9))
        #expect(test.note != nil)
        // The rank is judged on the correlation scale: the same covariance in other units, same answer.
        let scaled = matrix([[1e6, rho * 1e3 * 1e-2], [rho * 1e3 * 1e-2, 1e-4]])
        let rescaled = EstimateInference(estimates: [b[0] * 1e3, b[1] * 1e-2], covariance: scaled, distribution: .standardNormal).waldTest(indices: [0, 1])
        #expect(rescaled.numeratorDegrees == 1 && isClose(rescaled.statistic, test.statistic, relative: 1e-8))
    }

    @Test("a zero covariance: no statistic, with the reason")
    func zeroCovariance() {
        let test = EstimateInference(estimates: [1, 2], covariance: matrix([[0, 0], [0, 0]]), distribution: .standardNormal).waldTest(indices: [0, 1])
        #expect(test.statistic.isNaN)
        guard case .singular(let reason)? = test.undefined else { Issue.record("expected .singular, got \(String(describing: test.undefined))"); return }
        #expect(reason.contains("zero"))
    }
}
