import Foundation
import Testing
import QuipuTestSupport

/// `quipu feols --bootstrap wild` against pyfixest 0.60.0 / wildboottest (Tests/Fixtures/wildboot,
/// with script and versions). Random-weight cases agree within three Monte Carlo standard errors
/// (the streams differ: numpy's generator there, ours here). Under full enumeration there is no
/// randomness and the p-values agree exactly, with one documented difference: the sign vectors
/// ±(1, …, 1) reproduce |t| exactly under WCR, and Quipu counts these ties as "at least as
/// extreme" (P(|t*| ≥ |t|)), while wildboottest's strict comparison counts them or not depending
/// on rounding; the fixture records both counts.
@Suite(.tags(.slow)) struct WildBootstrapReferenceTests {
    static func cases() throws -> [[String: Any]] {
        let json = try Fixture.jsonObject("Tests/Fixtures/wildboot/wildboot_reference.json")
        return try #require(json["cases"] as? [[String: Any]])
    }

    static var names: [String] { fixtureCaseNames { try cases().compactMap { $0["name"] as? String } } }

    /// All 15 of the fixture's cases run: a missing or truncated fixture fails here.
    @Test func everyFixtureCaseRuns() throws {
        #expect(try Self.cases().count == 15)
        #expect(Self.names.count == 15)
    }

    @Test(arguments: names)
    func agreesWithWildboottest(name: String) throws {
        let reference = try #require(Self.cases().first { $0["name"] as? String == name })
        let formula = (reference["formula"] as? String ?? "").replacingOccurrences(of: "ref=1987", with: "ref = 1987")
        let reps = try #require(reference["reps"] as? Int)
        let run = try runQuipu(["feols", "--data", reference["data"] as? String ?? "", "--formula", formula,
                                "--vcov", "cluster:\(reference["cluster"] as? String ?? "")", "--bootstrap", "wild",
                                "--reps", String(reps), "--seed", "1", "--param", reference["param"] as? String ?? "",
                                "--boot-weights", reference["weights"] as? String ?? "rademacher",
                                "--impose-null", (reference["impose_null"] as? Bool ?? true) ? "true" : "false", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let coefficient = try #require((run.json?["coefficients"] as? [[String: Any]])?.first { $0["term"] as? String == reference["param"] as? String })
        let bootstrap = try #require(coefficient["bootstrap"] as? [String: Any])
        let ours = try #require(bootstrap["p_value"] as? Double)
        if reference["full_enumeration"] as? Bool == true {
            #expect(bootstrap["full_enumeration"] as? Bool == true)
            let enumeration = try #require(reference["enumeration"] as? [String: Any])
            let exact = try #require(enumeration["p_value_ties_counted"] as? Double)
            #expect(ours == exact, "\(name): \(ours) vs \(exact) (wildboottest reported \(reference["p_value_mean"] ?? ""))")
        } else {
            let theirs = try #require(reference["p_value_mean"] as? Double)
            let theirError = reference["mc_se_mean"] as? Double ?? 0
            let ourError = (ours * (1 - ours) / Double(reps)).squareRoot()
            let allowed = 3 * (ourError * ourError + theirError * theirError).squareRoot()
            #expect(abs(ours - theirs) <= allowed, "\(name): \(ours) vs wildboottest \(theirs) (3 MC SE = \(allowed))")
        }
    }
}
