import Foundation
import Inference
import LinearAlgebra
import QuipuTestSupport
import Testing

/// The pre-test's power against a linear trend (Roth 2022) equals diff-diff 3.13.0's
/// `PreTrendsPower(violation_type="linear", pretest_form="wald")` on the same event studies
/// (Tests/Fixtures/pretrends, written by make_pretrends_reference.py), and the noncentral χ² equals
/// scipy's `ncx2.sf`.
@Suite struct PretrendPowerTests {
    static let fixture = "Tests/Fixtures/pretrends/pretrends_reference.json"

    @Test("the slopes detected with 50% and 80% power, the critical value and the power at fixed slopes equal diff-diff's")
    func matchesDiffDiff() throws {
        let document = try Fixture.jsonObject(Self.fixture)
        let studies = try #require(document["event_studies"] as? [[String: Any]])
        #expect(studies.count == 2)
        for study in studies {
            let name = study["name"] as? String ?? "?"
            let rows = try #require(study["covariance"] as? [[Double]])
            var covariance = Matrix(rows: rows.count, columns: rows.count)
            for i in rows.indices { for j in rows.indices { covariance[i, j] = rows[i][j] } }
            let times = try #require(study["event_times"] as? [Int])
            let reference = try #require(study["reference_period"] as? Int)
            let weights = PretrendPower.linearWeights(eventTimes: times, referencePeriod: reference, yearOnYear: false)
            let relative = try #require(study["relative_times"] as? [Double])
            #expect(weights == relative.map(abs), "\(name)")
            let power = try PretrendPower(weights: weights, covariance: covariance, alpha: 0.05, targetFactor: 2.5)
            #expect(power.degreesOfFreedom == times.count && power.note == nil)
            expectClose(power.criticalValue, try #require(study["critical_value"] as? Double), relative: 1e-12, "\(name) critical value")
            let mdv = try #require(study["mdv"] as? [String: Double])
            for detected in power.detected {
                let reference = try #require(mdv[String(detected.power)])
                expectClose(detected.slope, reference, relative: 1e-9, "\(name) slope at \(detected.power)")
                expectClose(detected.bias, 2.5 * reference, relative: 1e-9, "\(name) bias at \(detected.power)")
                // By construction the detected slope has that power.
                expectClose(power.power(atSlope: detected.slope), detected.power, relative: 1e-9, "\(name) power at its own slope")
            }
            for (slope, expected) in try #require(study["power_at_slope"] as? [String: Double]) {
                expectClose(power.power(atSlope: try #require(Double(slope))), expected, relative: 1e-10, "\(name) power at \(slope)")
            }
        }
    }

    @Test("the noncentral χ² survival function equals scipy's ncx2.sf")
    func noncentralChiSquared() throws {
        let points = try #require(try Fixture.jsonObject(Self.fixture)["noncentral_chi2_sf"] as? [[String: Double]])
        #expect(points.count == 5)
        for point in points {
            let k = try #require(point["df"]), x = try #require(point["x"]), nc = try #require(point["noncentrality"])
            let expected = try #require(point["sf"])
            expectClose(NoncentralChiSquared(degreesOfFreedom: k, noncentrality: nc).survival(x), expected, relative: 1e-11, "ncx2.sf(\(x), \(k), \(nc))")
        }
        // λ = 0 is the central χ²: P(χ²(2) > x) = exp(−x/2).
        expectClose(NoncentralChiSquared(degreesOfFreedom: 2, noncentrality: 0).survival(3), exp(-1.5), relative: 1e-14)
        expectClose(ChiSquared(degreesOfFreedom: 2).quantile(upperTail: 0.05), -2 * log(0.05), relative: 1e-13)
    }

    @Test("year-on-year coefficients see a linear trend as a constant; the bias factor is the mean of e − reference")
    func weightsAndTarget() {
        #expect(PretrendPower.linearWeights(eventTimes: [-4, -3, -2], referencePeriod: -1, yearOnYear: true) == [1, 1, 1])
        #expect(PretrendPower.linearWeights(eventTimes: [-4, -3, -2], referencePeriod: -1, yearOnYear: false) == [3, 2, 1])
        #expect(PretrendPower.averageTrendFactor(eventTimes: [0, 1, 2, 3], referencePeriod: -1) == 2.5)
        #expect(PretrendPower.averageTrendFactor(eventTimes: [], referencePeriod: -1) == nil)
    }
}
