import Foundation
import Inference
import Testing
import QuipuTestSupport

/// The t, F and normal distributions against scipy (Tests/Fixtures/scipy, script beside the data).
@Suite struct DistributionTests {
    struct Reference: Decodable {
        struct TwoSided: Decodable { let df: Double; let t: Double; let p: Double }
        struct TQuantile: Decodable { let df: Double; let p: Double; let q: Double }
        struct FSurvival: Decodable { let df1: Double; let df2: Double; let f: Double; let p: Double }
        struct NormalQuantile: Decodable { let p: Double; let q: Double }
        let t_two_sided: [TwoSided]
        let t_quantile: [TQuantile]
        let f_survival: [FSurvival]
        let normal_quantile: [NormalQuantile]
        let tolerances: [String: Double]
    }

    static func reference() throws -> Reference {
        return try Fixture.decode(Reference.self, from: "Tests/Fixtures/scipy/distributions.json")
    }

    @Test func twoSidedPValues() throws {
        let reference = try Self.reference()
        let tolerance = reference.tolerances["p_rel"] ?? 1e-10
        for item in reference.t_two_sided {
            let p = StudentT(degreesOfFreedom: item.df).twoSidedPValue(item.t)
            // Far tails of huge df lose relative digits in lgamma differences; 1e-8 is ample there.
            // With millions of degrees of freedom the far tail (p < 1e-6) comes from a continued
            // fraction that keeps about nine digits there; elsewhere ten or more.
            let allowed = item.df > 1e5 && item.p < 1e-6 ? 1e-8 : tolerance
            #expect(isClose(p, item.p, relative: allowed), "df \(item.df), t \(item.t): \(p) vs \(item.p)")
        }
    }

    @Test func tQuantiles() throws {
        let reference = try Self.reference()
        for item in reference.t_quantile {
            let q = StudentT(degreesOfFreedom: item.df).quantile(item.p)
            #expect(isClose(q, item.q, relative: 1e-10) || abs(q - item.q) < 1e-12, "df \(item.df), p \(item.p): \(q) vs \(item.q)")
        }
    }

    @Test func fSurvival() throws {
        for item in try Self.reference().f_survival {
            let p = FDistribution(numerator: item.df1, denominator: item.df2).survival(item.f)
            #expect(isClose(p, item.p, relative: 1e-10), "F(\(item.df1), \(item.df2)) at \(item.f): \(p) vs \(item.p)")
        }
    }

    @Test func normalQuantiles() throws {
        for item in try Self.reference().normal_quantile {
            let q = StandardNormal.quantile(item.p)
            #expect(isClose(q, item.q, relative: 1e-10) || abs(q - item.q) < 1e-14, "p \(item.p): \(q) vs \(item.q)")
        }
    }
}
