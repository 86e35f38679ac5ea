import Foundation
import Testing
import QuipuTestSupport

/// A fixed sample of the differential test's specifications (Tests/Fixtures/differential): each
/// is run through `quipu` and compared with the dense reference computation (fixest 0.13's rules)
/// that produced the fixture, never with an earlier output of quipu.
@Suite struct DifferentialFixtureTests {
    static let fixturePath = "Tests/Fixtures/differential/differential_reference.json"

    static func document() throws -> [String: Any] {
        return try Fixture.jsonObject(fixturePath)
    }

    static func cases() throws -> [[String: Any]] {
        try #require(try document()["cases"] as? [[String: Any]])
    }

    /// The case identifiers, read when the tests are listed (empty if the fixture is unreadable,
    /// which `fixtureIsComplete` reports).
    static let caseIDs: [String] = fixtureCaseNames { try cases().compactMap { $0["id"] as? String } }

    @Test func fixtureIsComplete() throws {
        let cases = try Self.cases()
        // The fixture's 40 cases, each with an id, all run as parameterised cases.
        #expect(cases.count == 40, "the fixture holds 40 cases, found \(cases.count)")
        #expect(Self.caseIDs.count == cases.count)
        let kinds = Set(cases.compactMap { $0["kind"] as? String })
        #expect(kinds == ["feols", "did"])
        #expect(cases.contains { $0["expect"] as? String == "error" }, "at least one case expects a clear refusal")
        #expect(cases.contains { (($0["coefficients"] as? [[String: Any]]) ?? []).contains { $0["std_error"] is NSNull } },
                "at least one case expects undefined standard errors")
    }

    /// One number of the JSON output: nil for null or absent.
    static func number(_ value: Any?) -> Double? {
        guard let value, !(value is NSNull) else { return nil }
        return (value as? NSNumber)?.doubleValue
    }

    /// quipu's coefficients by term: (estimate, standard error) from feols' `coefficients` or did's TWFE
    /// aggregates, named by the regression terms the fixture uses (`treated`, `event_time::-2`; no
    /// fixture panel has a column of those names, which would make did choose fresh ones).
    static func quipuCoefficients(_ json: [String: Any], kind: String) -> [String: (Double?, Double?)] {
        var out: [String: (Double?, Double?)] = [:]
        if kind == "did" {
            for row in TWFEJSON.rows(json, "twfe") { out["treated"] = (number(row["estimate"]), number(row["std_error"])) }
            for row in TWFEJSON.rows(json, "event_study") {
                if let eventTime = row["event_time"] as? Int { out["event_time::\(eventTime)"] = (number(row["estimate"]), number(row["std_error"])) }
            }
        } else {
            for row in (json["coefficients"] as? [[String: Any]]) ?? [] {
                if let term = row["term"] as? String { out[term] = (number(row["estimate"]), number(row["std_error"])) }
            }
        }
        return out
    }

    @Test(arguments: caseIDs)
    func agreesWithReference(id: String) throws {
        let document = try Self.document()
        let tolerances = try #require(document["tolerances"] as? [String: Any])
        let estimateTolerance = try #require(Self.number(tolerances["estimate_rel"]))
        let standardErrorTolerance = try #require(Self.number(tolerances["std_error_rel"]))
        let fixture = try #require(try Self.cases().first { $0["id"] as? String == id })
        let arguments = try #require(fixture["args"] as? [String])
        let kind = try #require(fixture["kind"] as? String)
        let run = try runQuipu(arguments)
        let label = "\(id): \(fixture["formula"] as? String ?? "")"
        if fixture["expect"] as? String == "error" {
            #expect(run.status != 0, "\(label): expected a refusal (\(fixture["reason"] ?? "")), got an estimate")
            #expect(!run.standardError.isEmpty, "\(label): a refusal must say why")
            return
        }
        #expect(run.status == 0, "\(label): \(run.standardError)")
        let json = try #require(run.json, "\(label): no JSON output")
        #expect(json["nobs"] as? Int == fixture["nobs"] as? Int, "\(label): nobs")
        let ours = Self.quipuCoefficients(json, kind: kind)
        let expected = try #require(fixture["coefficients"] as? [[String: Any]])
        let expectedTerms = Set(expected.compactMap { $0["term"] as? String })
        #expect(Set(ours.keys) == expectedTerms,
                "\(label): terms \(ours.keys.sorted()) instead of \(expectedTerms.sorted())")
        for row in expected {
            let term = try #require(row["term"] as? String)
            guard let (estimate, standardError) = ours[term] else { continue }
            let reference = try #require(Self.number(row["estimate"]))
            let referenceSE = Self.number(row["std_error"])
            let scale = abs(reference) + (referenceSE ?? 0) + 1e-12
            let estimateError = estimate.map { abs($0 - reference) / scale } ?? .infinity
            #expect(estimateError <= estimateTolerance, "\(label) \(term): estimate \(String(describing: estimate)) vs \(reference)")
            if let referenceSE {
                let error = standardError.map { abs($0 - referenceSE) / max(abs(referenceSE), 1e-300) } ?? .infinity
                #expect(error <= standardErrorTolerance,
                        "\(label) \(term): std_error \(String(describing: standardError)) vs \(referenceSE)")
            } else {
                #expect(standardError == nil, "\(label) \(term): standard error should be undefined (null), got \(standardError ?? 0)")
            }
        }
    }
}
