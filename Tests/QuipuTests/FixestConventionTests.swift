import Foundation
import Testing
import QuipuTestSupport

/// Where a user moving from fixest must get fixest's number (issue 11): `i()` references, the
/// two-way covariance repair, the collinearity rule and accurate sandwiches for nearly collinear
/// columns, duplicate indicator columns. Reference values: `Tests/Fixtures/conventions/`.
@Suite struct FixestConventionTests {
    static let fixtures = "Tests/Fixtures/conventions/"

    static func reference(_ key: String) throws -> [String: Any] {
        let data = try Fixture.data(fixtures + "reference.json")
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(root[key] as? [String: Any])
    }

    /// Runs `feols --format json` and returns term → (estimate, standard error), and the notes.
    static func fit(_ arguments: [String]) throws -> (coefficients: [String: (Double, Double)], notes: [String], json: [String: Any]) {
        let run = try runQuipu(["feols"] + arguments + ["--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(run.json)
        var coefficients = [String: (Double, Double)]()
        for row in json["coefficients"] as? [[String: Any]] ?? [] {
            guard let term = row["term"] as? String else { continue }
            coefficients[term] = ((row["estimate"] as? Double) ?? .nan, (row["std_error"] as? Double) ?? .nan)
        }
        return (coefficients, json["notes"] as? [String] ?? [], json)
    }

    static func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-300) }

    static func expectMatches(_ key: String, data: String) throws {
        let reference = try Self.reference(key)
        let terms = try #require(reference["terms"] as? [String])
        let estimates = try #require(reference["estimate"] as? [Double])
        let errors = reference["std_error"] as? [Double]
        let fit = try Self.fit(["--data", fixtures + data, "--formula", try #require(reference["formula"] as? String),
                                "--vcov", try #require(reference["vcov"] as? String)])
        #expect(Set(fit.coefficients.keys) == Set(terms))
        for (index, term) in terms.enumerated() {
            let (estimate, error) = try #require(fit.coefficients[term])
            #expect(relative(estimate, estimates[index]) < 1e-9, "\(key) \(term): \(estimate) vs \(estimates[index])")
            if let errors {
                #expect(relative(error, errors[index]) < 1e-8, "\(key) \(term) SE: \(error) vs \(errors[index])")
            }
        }
    }

    @Test("i(f) without ref leaves out the first level, says so, and equals ref = first level")
    func automaticReferenceIsTheFirstLevel() throws {
        var rows = ["y,x,f,g"]
        var state: UInt64 = 7
        for index in 0..<120 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let noise = Double(state >> 40) / Double(1 << 24) - 0.5
            let level = ["b", "c", "a", "d"][index % 4]
            rows.append("\(Double(index % 7) + noise),\(Double(index % 5) * 0.3 - noise),\(level),\(index % 7)")
        }
        let data = try temporaryFile(rows.joined(separator: "\n"))
        for formula in ["y ~ x + i(f)", "y ~ x + i(f) | g"] {
            let automatic = try Self.fit(["--data", data, "--formula", formula])
            let explicit = try Self.fit(["--data", data, "--formula", formula.replacingOccurrences(of: "i(f)", with: "i(f, ref = 'a')")])
            #expect(automatic.coefficients["f::a"] == nil)
            #expect(Set(automatic.coefficients.keys) == Set(explicit.coefficients.keys))
            for (term, value) in explicit.coefficients {
                let other = try #require(automatic.coefficients[term])
                #expect(Self.relative(other.0, value.0) < 1e-12 && Self.relative(other.1, value.1) < 1e-10, "\(formula) \(term)")
            }
            #expect(automatic.notes.contains { $0.contains("i(f): reference level a") }, "\(automatic.notes)")
            let dropped = (automatic.json["dropped"] as? [String: Any])?["collinear"] as? [String]
            #expect(dropped?.isEmpty ?? true, "no level is left to the collinearity check: \(dropped ?? [])")
        }
        // Without an intercept and fixed effects every level is estimated.
        let full = try Self.fit(["--data", data, "--formula", "y ~ 0 + x + i(f)"])
        #expect(["f::a", "f::b", "f::c", "f::d"].allSatisfy { full.coefficients[$0] != nil })
    }

    @Test("an indefinite two-way covariance without a negative variance is reported as it is")
    func twoWayIndefiniteIsNotRepaired() throws {
        #expect(try Self.reference("twoway_indefinite")["repaired"] as? Bool == false)
        try Self.expectMatches("twoway_indefinite", data: "twoway_indefinite.csv")
        let fit = try Self.fit(["--data", Self.fixtures + "twoway_indefinite.csv", "--formula", "y ~ x1 + x2", "--vcov", "cluster:a+b"])
        #expect(!fit.notes.contains { $0.contains("repaired") })
    }

    @Test("a two-way covariance with a negative variance is repaired as fixest does, with a note")
    func twoWayNegativeVarianceIsRepaired() throws {
        #expect(try Self.reference("twoway_negative_variance")["repaired"] as? Bool == true)
        try Self.expectMatches("twoway_negative_variance", data: "twoway_negative_variance.csv")
        let fit = try Self.fit(["--data", Self.fixtures + "twoway_negative_variance.csv", "--formula", "y ~ x1 + x2", "--vcov", "cluster:a+b"])
        #expect(fit.notes.contains { $0.contains("negative variance") && $0.contains("repaired") }, "\(fit.notes)")
    }

    @Test("a nearly collinear column that fixest keeps is kept, and its robust SEs are accurate")
    func nearlyCollinearColumnKeptAccurately() throws {
        try Self.expectMatches("near_collinear", data: "near_collinear.csv")
    }

    @Test("a column whose squared Cholesky pivot is below collin.tol is dropped, as fixest drops it")
    func collinearityFollowsFixestsPivotRule() throws {
        let reference = try Self.reference("tiny_scale")
        let pivot = try #require(reference["squared_pivot"] as? Double)
        #expect(pivot < 1e-9 && pivot > 1e-11)
        try Self.expectMatches("tiny_scale", data: "tiny_scale.csv")
        let fit = try Self.fit(["--data", Self.fixtures + "tiny_scale.csv", "--formula", "y ~ x1 + tiny"])
        #expect(fit.notes.contains { $0.contains("dropped as collinear: tiny") })
        // A looser tolerance than the pivot keeps it (fixest's collin.tol does the same).
        let kept = try Self.fit(["--data", Self.fixtures + "tiny_scale.csv", "--formula", "y ~ x1 + tiny", "--collin-tol", "1e-11"])
        #expect(kept.coefficients["tiny"] != nil)
    }

    @Test("the same indicator column from two i() terms is estimated once and not called collinear")
    func duplicateIndicatorColumnsAppearOnce() throws {
        let rows = ["y,X1,x"] + (0..<60).map { "\(Double($0 % 11) * 0.7 + Double($0 % 3)),\($0 % 3),\(Double($0 % 7) * 0.2)" }
        let data = try temporaryFile(rows.joined(separator: "\n"))
        let fit = try Self.fit(["--data", data, "--formula", "y ~ x + i(X1, ref = 2) + i(X1, ref = 1)"])
        #expect(fit.coefficients["X1::0"] != nil)
        let dropped = (fit.json["dropped"] as? [String: Any])?["collinear"] as? [String] ?? []
        #expect(!dropped.contains("X1::0"), "\(dropped)")
    }

    @Test("i(g, ref = 3) + i(g): the repeated columns are named in a note, level 3 is not called i(g)'s first level, and the fit is i(g, ref = 3)'s")
    func repeatedIndicatorTermIsNamedAndItsReferenceIsTruthful() throws {
        var rows = ["y,x1,g,h"]
        var state: UInt64 = 15
        for index in 0..<150 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let noise = Double(state >> 40) / Double(1 << 24) - 0.5
            let level = [4, 1, 3, 5, 2, 3, 1][index % 7]
            rows.append("\(0.4 * Double(level) + noise + Double(index % 5) * 0.1),\(Double(index % 9) * 0.3 - noise),\(level),\(index % 6)")
        }
        let data = try temporaryFile(rows.joined(separator: "\n"))
        for fixedEffect in ["", " | h"] {
            let repeated = try Self.fit(["--data", data, "--formula", "y ~ x1 + i(g, ref = 3) + i(g)" + fixedEffect])
            let single = try Self.fit(["--data", data, "--formula", "y ~ x1 + i(g, ref = 3)" + fixedEffect])
            #expect(Set(repeated.coefficients.keys) == Set(single.coefficients.keys))
            for (term, value) in single.coefficients {
                let other = try #require(repeated.coefficients[term])
                #expect(Self.relative(other.0, value.0) < 1e-10 && Self.relative(other.1, value.1) < 1e-8, "\(fixedEffect) \(term)")
            }
            #expect(repeated.notes.contains("i(g): g::1, g::2, g::4, g::5 repeat columns of an earlier term, estimated once"), "\(repeated.notes)")
            #expect(!repeated.notes.contains { $0.contains("reference level 3") }, "\(repeated.notes)")
            #expect(repeated.notes.contains { $0.hasPrefix("i(g): no reference level left out, since its first level, 1, is estimated by an earlier term") })
        }
        // Two levels left out before: fixest keeps the earlier of them (g::2) and drops the one
        // collinear with the constant in formula order (g::3), which the collinearity note names.
        let twice = try Self.fit(["--data", data, "--formula", "y ~ x1 + i(g, ref = c(2, 3)) + i(g) | h"])
        #expect(twice.coefficients["g::2"] != nil && twice.coefficients["g::3"] == nil)
        let dropped = (twice.json["dropped"] as? [String: Any])?["collinear"] as? [String] ?? []
        #expect(dropped == ["g::3"], "\(dropped)")
        let reference = try Self.fit(["--data", data, "--formula", "y ~ x1 + i(g, ref = 3) | h"])
        let (estimate, error) = try #require(twice.coefficients["x1"])
        let (expectedEstimate, expectedError) = try #require(reference.coefficients["x1"])
        #expect(Self.relative(estimate, expectedEstimate) < 1e-10 && Self.relative(error, expectedError) < 1e-8)
    }
}
