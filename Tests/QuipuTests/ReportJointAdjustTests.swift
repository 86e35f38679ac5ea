import Foundation
import QuipuTestSupport
import Testing

/// The report's Romano–Wolf and Westfall–Young p-values across its headlines (issue 23 point 4):
/// one multiplier bootstrap with a weight per unit shared by every headline, the family named, the
/// headlines whose estimator hands over no per-unit influence left out by name, the same figures
/// for any thread count.
@Suite struct ReportJointAdjustTests {
    /// CS heads the level outcomes, the extended TWFE the Poisson one (no influence: left out).
    static func spec(threads: Int) throws -> String {
        try ReportPanelFixture.write(
            programme: "  - { name: Grant, cohort: cohort, estimators: [cs, etwfe, twfe], window: [-3, 2] }",
            outcomes: """
              - { column: jobs, scale: level }
              - { column: trending, scale: level }
              - { column: sales, scale: log }
              - { column: exports, scale: poisson }
            """,
            extra: "inference:\n  adjust: [holm, romano-wolf, westfall-young]\n  adjust_reps: 999\n  seed: 5\n  threads: \(threads)")
    }

    @Test("Romano–Wolf and Westfall–Young beside Holm over the headlines, from one joint bootstrap, in the report and results.json; the same with 1 or 2 threads")
    func jointAdjustment() throws {
        let (run, out) = try ReportReaderTests.run(try Self.spec(threads: 2))
        #expect(run.status == 0, "\(run.standardError)")
        let adjusted = try #require(try ReportReaderTests.results(out)["headline_adjusted"] as? [String: Any])
        #expect(adjusted["methods"] as? [String] == ["holm", "romano-wolf", "westfall-young"])
        let joint = try #require(adjusted["joint_bootstrap"] as? [String: Any])
        #expect(joint["replicates"] as? Int == 999 && joint["seed"] as? String == "5" && joint["cluster"] as? String == "id")
        #expect(joint["clusters"] as? Int == ReportPanelFixture.units)
        let members = try #require(joint["members"] as? [[String: Any]])
        let excluded = try #require(joint["excluded"] as? [[String: Any]])
        #expect(members.map { $0["estimator"] as? String } == ["cs", "cs", "cs"])
        #expect(excluded.count == 1 && excluded.first?["estimator"] as? String == "etwfe")
        #expect((excluded.first?["reason"] as? String)?.contains("hands over no per-unit influence") == true)
        let family = try #require(adjusted["members"] as? [[String: Any]])
        #expect(family.count == 4)
        var withJoint = 0
        for member in family {
            let values = try #require(member["adjusted"] as? [String: Any])
            guard member["estimator"] as? String == "cs" else {
                #expect(values["romano-wolf"] is NSNull && values["westfall-young"] is NSNull)
                continue
            }
            withJoint += 1
            let romanoWolf = try #require(values["romano-wolf"] as? Double)
            let westfallYoung = try #require(values["westfall-young"] as? Double)
            let record = try #require(members.first { $0["outcome"] as? String == member["outcome"] as? String })
            let own = try #require(record["bootstrap_p_value"] as? Double)
            // A step-down p is never below the member's own bootstrap p, nor above 1.
            #expect(romanoWolf >= own && romanoWolf <= 1)
            #expect(westfallYoung >= 0 && westfallYoung <= 1)
        }
        #expect(withJoint == 3)
        let markdown = try ReportCommandTests.read("\(out)/report.md")
        let table = ReportPanelFixture.markdownTable(markdown, title: "Headline p-values adjusted")
        #expect(table.header.prefix(8) == ["Programme", "Outcome", "Estimator", "Estimate", "p-value", "Holm", "Romano–Wolf", "Westfall–Young"])
        #expect(markdown.contains("999 replicates") && markdown.contains("60 units the same weight") && markdown.contains("Left out of that family"))
        // The joint draws come from (seed, replicate) alone.
        let (single, singleOut) = try ReportReaderTests.run(try Self.spec(threads: 1))
        #expect(single.status == 0, "\(single.standardError)")
        let again = try #require(try ReportReaderTests.results(singleOut)["headline_adjusted"] as? [String: Any])
        #expect(NSDictionary(dictionary: again) == NSDictionary(dictionary: adjusted))
    }
}
