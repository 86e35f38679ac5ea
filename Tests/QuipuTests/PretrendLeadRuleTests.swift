import DiD
import Foundation
import Inference
import LinearAlgebra
import PanelData
import Primitives
import QuipuTestSupport
import Testing

/// Issue 23, "pre-tests that never mislead": the thin-lead rule (PretrendLeads) and
/// Callaway–Sant'Anna's test of its event-time leads against Hotelling's reference
/// (CallawaySantAnna+Pretrend). On the Peru panel the old test of every pre-period ATT(g,t) gave
/// F(63, 541) = 15,770 for PUM, whose simulated trends are parallel.
@Suite("Pre-trend tests: thin leads out, Callaway–Sant'Anna's event-time leads")
struct PretrendLeadRuleTests {
    /// 2001–2008; cohort 2005 of `large` units, cohort 2006 of `small` units, 47 never supported.
    /// Parallel trends: a unit level, a common year effect, and hashed noise (uniform, sd about
    /// 0.17; a plain sine of unit and year would put every unit's changes in two dimensions).
    static func panel(large: Int = 12, small: Int = 1) throws -> String {
        var lines = ["id,year,cohort,y"]
        for unit in 0..<(large + small + 47) {
            let cohort = unit < large ? 2005 : (unit < large + small ? 2006 : 0)
            for year in 2001...2008 {
                let hash = sin(Double(unit) * 12.9898 + Double(year) * 78.233) * 43758.5453
                let noise = (hash - hash.rounded(.down) - 0.5) * 0.6
                let effect = cohort > 0 && year >= cohort ? 0.5 : 0
                lines.append("\(unit),\(year),\(cohort),\(Double(unit % 7) + 0.1 * Double(year - 2001) + effect + noise)")
            }
        }
        return try temporaryFile(lines.joined(separator: "\n") + "\n")
    }

    static func run(_ data: String, estimator: EstimatorChoice) throws -> DiDResults {
        var options = DiDOptions(outcome: "y", covariance: .cluster(["id"]))
        options.estimator = estimator
        let table = try DataReader.read(path: data, format: nil, options: CSVReadOptions())
        return try DiDAnalysis.run(table: table, unit: "id", time: "year", treatment: .cohort("cohort", neverTreated: nil), options: options)
    }

    @Test("a one-firm cohort: every-cell test absurd (its cells have no treated variance); the lead test leaves its lead out and reads Hotelling's F")
    func oneFirmCohort() throws {
        let results = try Self.run(try Self.panel(), estimator: .cs)
        let cs = try #require(results.staggered.first { $0.estimator == .callawaySantAnna })
        // The problem, reproduced: the one-firm cohort's pre-period cells have standard errors from
        // the comparison units alone, and the old test of every pre-period ATT(g,t) explodes.
        let cells = cs.estimates.indices.filter { cs.estimates[$0].kind == .attGT && (cs.estimates[$0].eventTime ?? 0) < 0 && cs.standardErrors[$0].isFinite }
        let oneFirm = cells.filter { cs.estimates[$0].group == 2006 }
        let largestZ = oneFirm.map { abs(cs.estimates[$0].estimate / cs.standardErrors[$0]) }.max() ?? 0
        #expect(largestZ > 5, "one-firm cells' largest |z| = \(largestZ)")
        let old = try #require(cs.waldTest(indices: cells, description: "every pre-period ATT(g,t)"))
        #expect(old.statistic > 10, "old statistic \(old.statistic)")

        // The rule (varying base period: cohort 2006's leads are −4…−1, cohort 2005's −3…−1): lead
        // −4 rests on the one firm alone and is left out; −3…−1 rest on 13 units in 2 cohorts,
        // tested against F(3, ν − 3 + 1) with ν = 13 − 2.
        let test = try #require(cs.pretrend)
        #expect(test.excluded == ["e-4"])
        #expect(test.note?.contains("lead -4 (1 treated units, 1 cohort) left out of the test: fewer than 10 treated units") == true, "\(test.note ?? "")")
        #expect(test.description.contains("leads -3…-1") && test.description.contains("Hotelling F on 13 treated units in 2 cohorts"), "\(test.description)")
        #expect(test.numeratorDegrees == 3 && test.denominatorDegrees == 9)
        let leads = (-3 ... -1).compactMap { cs.index(ofLabel: "e\($0)") }
        #expect(leads.count == 3)
        let b = leads.map { cs.estimates[$0].estimate }
        let inverse = try cs.covariance.selecting(rows: leads, columns: leads).symmetricPositiveDefiniteInverse()
        var quadratic = 0.0
        for i in 0..<3 { for j in 0..<3 { quadratic += b[i] * inverse[i, j] * b[j] } }
        let hotelling = quadratic * 9 / (11 * 3)
        expectClose(test.statistic, hotelling, relative: 1e-10, "Hotelling F")
        expectClose(test.pValue, FDistribution(numerator: 3, denominator: 9).survival(hotelling), relative: 1e-12, "p-value")
        #expect(test.statistic < old.statistic / 10)

        // The JSON names the lead left out, with its counts.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(results.json.serialized().utf8)) as? [String: Any])
        let record = try #require((json["pretrend_tests"] as? [[String: Any]])?.first { $0["estimator"] as? String == "cs" })
        let excluded = try #require(record["excluded"] as? [[String: Any]])
        #expect(excluded.count == 1)
        #expect(excluded.first?["label"] as? String == "e-4" && excluded.first?["event_time"] as? Int == -4)
        #expect(excluded.first?["n_treated"] as? Int == 1 && excluded.first?["n_cohorts"] as? Int == 1)
    }

    @Test("Sun–Abraham and the extended TWFE: where no lead is thin the test is the plain Wald test, to the last digit; a thin lead is left out")
    func sharedRule() throws {
        for estimator in [EstimatorChoice.sunab, .etwfe] {
            let thick = try Self.run(try Self.panel(large: 12, small: 12), estimator: estimator)
            let result = try #require(thick.staggered.first)
            let leads = result.estimates.indices.filter { result.estimates[$0].kind == .dynamic && (result.estimates[$0].eventTime ?? 0) < -1 }
            let plain = try #require(result.waldTest(indices: leads, description: "event-time effects before −1 are zero"))
            let test = try #require(result.pretrend)
            #expect(test.excluded.isEmpty && test.note == plain.note)
            #expect(test.statistic == plain.statistic && test.pValue == plain.pValue && test.numeratorDegrees == plain.numeratorDegrees)

            let thin = try Self.run(try Self.panel(large: 12, small: 3), estimator: estimator)
            let thinTest = try #require(thin.staggered.first?.pretrend)
            #expect(thinTest.excluded == ["e-5"], "\(estimator): \(thinTest.excluded)")
            #expect(thinTest.statistic.isFinite && thinTest.note?.contains("lead -5 (3 treated units, 1 cohort) left out") == true, "\(thinTest.note ?? "")")
        }
    }

    @Test("every lead thin: no statistic, and the note says why (never a silent drop)")
    func everyLeadThin() throws {
        let results = try Self.run(try Self.panel(large: 4, small: 3), estimator: .cs)
        let test = try #require(results.staggered.first?.pretrend)
        #expect(test.statistic.isNaN)
        #expect(test.note?.hasPrefix("no statistic: leads -4 (3 treated units, 1 cohort), -3 (7 treated units, 2 cohorts)") == true, "\(test.note ?? "")")
        #expect(test.excluded == ["e-4", "e-3", "e-2", "e-1"])
    }
}
