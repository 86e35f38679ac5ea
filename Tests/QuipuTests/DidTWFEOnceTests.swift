import Foundation
import Primitives
import Reporting
import Testing

/// Issue 20, "TWFE is reported once": did's JSON states TWFE as one estimator in the shape of
/// every other (its `simple` and `dynamic` aggregates, its entry of `pretrend_tests`), with what
/// only its regressions report (the regression covariance, the 2x2 comparison, Bacon) as fields
/// of its `inference` entry; schema 1.0 also listed the same figures in a second list,
/// `estimates`, with `difference_of_means`, `pretrend_test` and `bacon` at the top.
@Suite struct DidTWFEOnceTests {
    /// 16 units over periods 1–6: units 1–6 treated from period 4 (one cohort), the rest never,
    /// with an effect of 0.5 and noise that is not additive in unit and period.
    static func panel() -> String {
        var lines = ["unit,time,g,y"]
        for unit in 1...16 {
            let cohort = unit <= 6 ? 4 : 0
            for time in 1...6 {
                let treated = cohort > 0 && time >= cohort
                let noise = Double((unit * 7919 + time * time * unit * 131) % 997) / 997 - 0.5
                lines.append("\(unit),\(time),\(cohort),\(Double(unit) * 0.3 + Double(time) * 0.2 + noise + (treated ? 0.5 : 0))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func did(_ path: String, _ extra: [String]) throws -> Invocation {
        let run = try runQuipu(["did", "--data", path, "--unit", "unit", "--time", "time", "--cohort", "g", "--outcome", "y"] + extra)
        #expect(run.status == 0, "\(run.standardError)")
        return run
    }

    /// How often the shortest round-trip text of `value` (as the JSON writer prints it) occurs.
    static func occurrences(of value: Double, in text: String) -> Int {
        text.components(separatedBy: JSONValue.number(value).compact()).count - 1
    }

    @Test("TWFE's coefficient, event study and 2x2 each appear once in did's JSON, in the effect-set shape")
    func twfeIsStatedOnce() throws {
        let path = try temporaryFile(Self.panel())
        let run = try Self.did(path, ["--post", "4", "--event-study", "--format", "json"])
        // Read exactly (JSONReader), so that each number prints back as the writer printed it.
        let json = try #require(try JSONReader.parse(Data(run.standardOutput.utf8)) as? [String: Any])
        for legacy in ["estimates", "difference_of_means", "pretrend_test", "bacon"] {
            #expect(json[legacy] == nil, "the top-level '\(legacy)' of schema 1.0 is gone")
        }
        #expect(json["schema_version"] as? String == OutputContract.schemaVersion && OutputContract.schemaVersion == "2.2")
        let twfe = try #require(TWFEJSON.rows(json, "twfe").first)
        let estimate = try #require(twfe["estimate"] as? Double)
        #expect(Self.occurrences(of: estimate, in: run.standardOutput) == 1, "TWFE's estimate \(estimate) is written once")
        let study = TWFEJSON.rows(json, "event_study")
        // Periods 1–6 with cohort 4: event times −3…2 without the reference −1.
        #expect(study.compactMap { ($0["event_time"] as? Double).map(Int.init) } == [-3, -2, 0, 1, 2])
        for row in study {
            let value = try #require(row["estimate"] as? Double)
            #expect(Self.occurrences(of: value, in: run.standardOutput) == 1, "event time \(row["event_time"] ?? "") is written once")
        }
        // What only the regressions report, in TWFE's entry.
        let entry = try #require(TWFEJSON.entry(json))
        #expect(entry["vcov"] as? String == json["vcov"] as? String)
        let twoByTwo = try #require(TWFEJSON.twoByTwo(json))
        let regression = try #require(twoByTwo["estimate"] as? Double), means = try #require(twoByTwo["difference_of_means"] as? Double)
        #expect(abs(regression - means) <= 1e-12 * max(1, abs(means)))
        #expect(twoByTwo["term"] is String && twoByTwo["percent_change"] == nil)
        // (Its estimate may print as its difference of means does; its standard error is its own.)
        let error = try #require(twoByTwo["std_error"] as? Double)
        #expect(Self.occurrences(of: error, in: run.standardOutput) == 1)
        // The event study's F test is TWFE's entry of pretrend_tests, with the leads it tests.
        let test = try #require(TWFEJSON.pretrendTest(json))
        #expect(test["df1"] as? Double == 2 && (test["terms"] as? [String])?.count == 2, "\(test)")
        #expect((json["pretrend_tests"] as? [[String: Any]])?.filter { $0["estimator"] as? String == "twfe" }.count == 1)
    }

    @Test("Poisson: TWFE's aggregates carry the percentage change 100·(exp(b) − 1) of the estimate and interval")
    func poissonPercentagesOnTheAggregates() throws {
        let path = try temporaryFile(Self.panel())
        let run = try Self.did(path, ["--model", "poisson", "--event-study", "--format", "json"])
        let rows = TWFEJSON.rows(run.json, "twfe") + TWFEJSON.rows(run.json, "event_study")
        #expect(rows.count == 6)
        for row in rows {
            let estimate = try #require(row["estimate"] as? Double), low = try #require(row["conf_low"] as? Double)
            #expect(abs((row["percent_change"] as? Double ?? .nan) - 100 * expm1(estimate)) < 1e-12)
            #expect(abs((row["percent_conf_low"] as? Double ?? .nan) - 100 * expm1(low)) < 1e-12)
        }
    }

    @Test("quipu table reads TWFE from its aggregates and the 2x2 from its entry; the Bacon decomposition is in TWFE's entry")
    func tableAndBaconReadTheNewShape() throws {
        let path = try temporaryFile(Self.panel())
        let run = try Self.did(path, ["--post", "4", "--format", "json"])
        let file = try temporaryOutputPath("did.json")
        try Data(run.standardOutput.utf8).write(to: URL(fileURLWithPath: file))
        let table = try runQuipu(["table", file, "--keep", "^ATT$|^2x2$", "--format", "json"])
        #expect(table.status == 0, "\(table.standardError)")
        let model = try #require((table.json?["models"] as? [[String: Any]])?.first)
        let coefficients = try #require(model["coefficients"] as? [[String: Any]])
        let byTerm = Dictionary(uniqueKeysWithValues: coefficients.compactMap { c in (c["term"] as? String).map { ($0, c) } })
        #expect(byTerm["ATT"]?["estimate"] as? Double == TWFEJSON.rows(run.json, "twfe").first?["estimate"] as? Double)
        #expect(byTerm["2x2"]?["estimate"] as? Double == TWFEJSON.twoByTwo(run.json)?["estimate"] as? Double)
        #expect(byTerm["2x2"]?["std_error"] as? Double == TWFEJSON.twoByTwo(run.json)?["std_error"] as? Double)

        let bacon = try Self.did(path, ["--decompose", "--format", "json"])
        let decomposition = try #require(TWFEJSON.bacon(bacon.json))
        let twfe = try #require(TWFEJSON.rows(bacon.json, "twfe").first?["estimate"] as? Double)
        #expect(abs((decomposition["twfe_estimate"] as? Double ?? .nan) - twfe) <= 1e-10 * max(1, abs(twfe)))
    }
}
