import DiD
import Inference
import LinearAlgebra
import Testing

/// An estimator's pre-trend test is never dropped silently (issue 23, point 3): a covariance block
/// of rank zero gives a test without statistic and a note saying why (main returned nil, and the
/// test vanished from every output); a rank-deficient one its generalized-inverse test with a note.
@Suite struct StaggeredPretestNoteTests {
    static func result(covariance rows: [[Double]], estimates values: [Double]) -> StaggeredResult {
        var covariance = Matrix(rows: rows.count, columns: rows.count)
        for i in rows.indices { for j in rows.indices { covariance[i, j] = rows[i][j] } }
        let estimates = values.enumerated().map { StaggeredEstimate(kind: .dynamic, eventTime: -2 - $0.offset, estimate: $0.element, treatedUnits: 5, cohortCount: 2) }
        return StaggeredResult(estimator: .sunAbraham, estimates: estimates, covariance: covariance, degreesOfFreedom: nil,
                               inference: InferenceDescription(method: "test"), observationCount: 100, clusterCount: nil)
    }

    @Test("a zero covariance: the test is kept, without statistic, with a note")
    func rankZero() throws {
        let test = try #require(Self.result(covariance: [[0, 0], [0, 0]], estimates: [0.1, 0.2]).waldTest(indices: [0, 1], description: "leads are zero"))
        #expect(test.statistic.isNaN)
        #expect(test.note?.hasPrefix("no statistic: the covariance of the 2 tested estimates cannot be inverted") == true, "\(test.note ?? "nil")")
    }

    @Test("a singular covariance: χ² on its rank, with the note")
    func singular() throws {
        let test = try #require(Self.result(covariance: [[1, 1], [1, 1]], estimates: [0.5, 0.5]).waldTest(indices: [0, 1], description: "leads are zero"))
        #expect(test.numeratorDegrees == 1 && test.denominatorDegrees == nil)
        // The supported direction u = (1, 1)/√2 has eigenvalue 2: W = (u′b)² / 2 = 0.5 / 2 = 0.25.
        #expect(abs(test.statistic - 0.25) < 1e-12)
        #expect(test.description == "leads are zero (Wald χ²)" && test.note?.contains("rank 1") == true)
    }
}
