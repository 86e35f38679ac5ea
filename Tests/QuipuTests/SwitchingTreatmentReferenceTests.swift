import Foundation
import QuipuTestSupport
import Testing

/// `quipu did --estimator dcdh` against diff-diff 3.13 and moderndid 0.2.0 (Tests/Fixtures/dcdh:
/// script, pinned versions, and a README on where the two peers disagree and which follows R's
/// did_multiplegt_dyn). Every run writes JSON, which runQuipu also checks against the did schema.
@Suite struct SwitchingTreatmentReferenceTests {
    static let caseNames = ["reversible", "discrete", "favara_imbs", "peru_pum", "single_switch"]

    static func reference(_ name: String) throws -> [String: Any] {
        let all = try Fixture.jsonObject("Tests/Fixtures/dcdh/dcdh_reference.json")
        return try #require((all["cases"] as? [String: Any])?[name] as? [String: Any])
    }

    /// quipu's JSON for a fixture case, with extra options.
    static func run(_ fixture: [String: Any], _ extra: [String] = []) throws -> [String: Any] {
        let arguments = ["did", "--data", try #require(fixture["file"] as? String), "--outcome", try #require(fixture["outcome"] as? String),
                         "--unit", try #require(fixture["unit"] as? String), "--time", try #require(fixture["time"] as? String),
                         "--estimator", "dcdh", "--treatment", try #require(fixture["treatment"] as? String),
                         "--effects", "\(try #require(fixture["effects"] as? Int))", "--placebo", "\(try #require(fixture["placebo"] as? Int))",
                         "--format", "json"] + extra
        let run = try runQuipu(arguments)
        #expect(run.status == 0, "\(run.standardError)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
    }

    /// The aggregate row at `eventTime` (nil: the `simple` row, the average total effect).
    static func row(_ json: [String: Any], eventTime: Int?) -> [String: Any]? {
        ((json["aggregates"] as? [[String: Any]]) ?? []).first { row in
            guard let eventTime else { return row["type"] as? String == "simple" }
            return row["type"] as? String == "dynamic" && ((row["by"] as? [[String: Any]])?.first?["event_time"] as? Int) == eventTime
        }
    }

    /// Effects ℓ at event time ℓ − 1, placebos ℓ at −1 − ℓ: estimates, SEs and numbers of
    /// switchers equal diff-diff's (drop_larger_lower=False, R's rule for units that switch back).
    @Test(arguments: caseNames) func effectsAndPlacebosEqualDiffDiff(name: String) throws {
        let fixture = try Self.reference(name)
        let json = try Self.run(fixture)
        let theirs = try #require(fixture["diff_diff"] as? [String: Any])
        let requestedPlacebos = try #require(fixture["placebo"] as? Int)
        for (part, eventTime) in [("effects", { (l: Int) in l - 1 }), ("placebos", { (l: Int) in -1 - l })] {
            let block = try #require(theirs[part] as? [String: [String: Any]])
            #expect(!block.isEmpty)
            for (lag, expected) in block {
                let l = try #require(Int(lag))
                if part == "placebos" && l > requestedPlacebos { continue }
                let mine = Self.row(json, eventTime: eventTime(l))
                expectClose(jsonNumber(mine?["estimate"]), jsonNumber(expected["estimate"]), absolute: 1e-8, "\(name) \(part) \(l)")
                expectClose(jsonNumber(mine?["std_error"]), jsonNumber(expected["std_error"]), relative: 1e-6, "\(name) \(part) \(l) SE")
                #expect(mine?["n_treated"] as? Int == expected["n"] as? Int, "\(name) \(part) \(l) switchers")
            }
        }
    }

    /// `--normalized`: each effect divided by δ^D_ℓ, as diff-diff's normalized effects.
    @Test(arguments: caseNames) func normalizedEffectsEqualDiffDiff(name: String) throws {
        let fixture = try Self.reference(name)
        let json = try Self.run(fixture, ["--normalized"])
        let block = try #require((fixture["diff_diff"] as? [String: Any])?["normalized"] as? [String: [String: Any]])
        #expect(!block.isEmpty)
        for (lag, expected) in block {
            let mine = Self.row(json, eventTime: try #require(Int(lag)) - 1)
            expectClose(jsonNumber(mine?["estimate"]), jsonNumber(expected["estimate"]), absolute: 1e-8, "\(name) normalized \(lag)")
            expectClose(jsonNumber(mine?["std_error"]), jsonNumber(expected["std_error"]), relative: 1e-6, "\(name) normalized \(lag) SE")
        }
    }

    /// `--switchers in|out` equal moderndid's runs, its switchers-out estimates with R's sign
    /// (moderndid prints them unsigned; README). favara_imbs: moderndid keeps one more county.
    @Test(arguments: ["reversible", "discrete"]) func switchersInAndOutEqualModerndid(name: String) throws {
        let fixture = try Self.reference(name)
        let runs = try #require(fixture["moderndid"] as? [String: Any])
        for side in ["in", "out"] {
            let theirs = try #require(runs[side] as? [String: Any])
            let sign = side == "out" ? -1.0 : 1.0
            let json = try Self.run(fixture, ["--switchers", side])
            for (part, eventTime) in [("effects", { (l: Int) in l - 1 }), ("placebos", { (l: Int) in -1 - l })] {
                let block = try #require(theirs[part] as? [String: [String: Any]])
                #expect(!block.isEmpty)
                for (lag, expected) in block {
                    let mine = Self.row(json, eventTime: eventTime(try #require(Int(lag))))
                    expectClose(jsonNumber(mine?["estimate"]), jsonNumber(expected["estimate"]).map { sign * $0 }, absolute: 1e-8, "\(name) \(side) \(part) \(lag)")
                    #expect(mine?["n_treated"] as? Int == expected["n"] as? Int, "\(name) \(side) \(part) \(lag) switchers")
                }
            }
            if side == "out" {
                // The average total effect equals moderndid's on the switchers-out side (README, point 3).
                expectClose(jsonNumber(Self.row(json, eventTime: nil)?["estimate"]), jsonNumber(theirs["average_total_effect"]).map { sign * $0 },
                            absolute: 1e-8, "\(name) out average total effect")
            }
        }
    }

    /// Where every switcher keeps its new treatment, the average total effect equals diff-diff's
    /// cost-benefit δ (elsewhere diff-diff weights horizons by dose, not by N_ℓ; README).
    @Test func averageTotalEffectEqualsDiffDiffWithoutSwitchingBack() throws {
        let fixture = try Self.reference("single_switch")
        let json = try Self.run(fixture)
        let delta = jsonNumber((fixture["diff_diff"] as? [String: Any])?["cost_benefit_delta"])
        expectClose(jsonNumber(Self.row(json, eventTime: nil)?["estimate"]), delta, absolute: 1e-8, "average total effect")
    }

    /// The pooled effect is the N-weighted average of the switchers-in and switchers-out effects
    /// (leavers with the sign of their change), as R pools them.
    @Test func pooledEffectsAverageInAndOut() throws {
        let fixture = try Self.reference("reversible")
        let both = try Self.run(fixture), ins = try Self.run(fixture, ["--switchers", "in"]), outs = try Self.run(fixture, ["--switchers", "out"])
        for eventTime in [-4, -3, -2, 0, 1, 2] {
            let a = try #require(Self.row(ins, eventTime: eventTime)), b = try #require(Self.row(outs, eventTime: eventTime))
            let pooled = try #require(Self.row(both, eventTime: eventTime))
            let na = Double(try #require(a["n_treated"] as? Int)), nb = Double(try #require(b["n_treated"] as? Int))
            #expect(pooled["n_treated"] as? Int == Int(na + nb))
            let average = (na * (jsonNumber(a["estimate"]) ?? .nan) + nb * (jsonNumber(b["estimate"]) ?? .nan)) / (na + nb)
            expectClose(jsonNumber(pooled["estimate"]), average, absolute: 1e-10, "event time \(eventTime)")
        }
    }

    /// `switching_treatment` (SwitchingTreatmentRecord): joiners and leavers as moderndid's
    /// switchers-in and -out runs count them at ℓ = 1 (every switcher there has a control), and
    /// the average total effect is the weighted sum of the effects with the weights it states.
    @Test func switchingTreatmentRecord() throws {
        let fixture = try Self.reference("reversible")
        let json = try Self.run(fixture)
        let record = try #require(json["switching_treatment"] as? [String: Any])
        let runs = try #require(fixture["moderndid"] as? [String: Any])
        func firstEffectCount(_ side: String) -> Int? { (((runs[side] as? [String: Any])?["effects"] as? [String: Any])?["1"] as? [String: Any])?["n"] as? Int }
        #expect(record["joiners"] as? Int == firstEffectCount("in"))
        #expect(record["leavers"] as? Int == firstEffectCount("out"))
        #expect(record["never_switching"] as? Int == 120 - (firstEffectCount("in") ?? 0) - (firstEffectCount("out") ?? 0))
        let horizons = try #require(record["horizons"] as? [[String: Any]])
        var weighted = 0.0
        for horizon in horizons where horizon["kind"] as? String == "effect" {
            let label = try #require(horizon["label"] as? String)
            let row = ((json["aggregates"] as? [[String: Any]]) ?? []).first { $0["label"] as? String == label }
            weighted += (jsonNumber(horizon["average_weight"]) ?? .nan) * (jsonNumber(row?["estimate"]) ?? .nan)
            #expect(horizon["switchers"] as? Int == row?["n_treated"] as? Int)
        }
        expectClose(jsonNumber(Self.row(json, eventTime: nil)?["estimate"]), weighted, relative: 1e-12, "average total effect = Σ weight × effect")
    }

    /// The JSON covariances hold the effects' joint covariance: its diagonal is the squared SEs,
    /// and the average total effect's variance is that of its linear combination of the effects.
    @Test func covarianceOfTheEffects() throws {
        let json = try Self.run(try Self.reference("reversible"))
        let blocks = (json["covariances"] as? [[String: Any]]) ?? []
        let dynamic = try #require(blocks.first { $0["estimator"] as? String == "dcdh" && $0["aggregate"] as? String == "dynamic" })
        let labels = try #require(dynamic["labels"] as? [String])
        let matrix = try #require(dynamic["matrix"] as? [[Any]])
        #expect(labels == ["e-4", "e-3", "e-2", "e0", "e1", "e2"])
        for (i, label) in labels.enumerated() {
            let row = ((json["aggregates"] as? [[String: Any]]) ?? []).first { $0["estimator"] as? String == "dcdh" && $0["label"] as? String == label }
            let se = try #require(jsonNumber(row?["std_error"]))
            expectClose(jsonNumber(matrix[i][i]), se * se, relative: 1e-12, "\(label) variance")
        }
        // Off-diagonal terms are defined and the matrix symmetric.
        for i in labels.indices { for j in labels.indices { expectClose(jsonNumber(matrix[i][j]), jsonNumber(matrix[j][i]), absolute: 0, "symmetry") } }
        #expect(jsonNumber(matrix[3][4]).map { $0 != 0 && $0.isFinite } == true)
        // δ = c Σ_ℓ N_ℓ DID_ℓ, so Var(δ) = c² NᵀVN over the effects (e0..e2).
        let effects = [3, 4, 5]
        let rows = effects.map { i in ((json["aggregates"] as? [[String: Any]]) ?? []).first { $0["label"] as? String == labels[i] } }
        let counts = rows.map { Double(($0?["n_treated"] as? Int) ?? 0) }
        let estimates = rows.map { jsonNumber($0?["estimate"]) ?? .nan }
        let average = try #require(Self.row(json, eventTime: nil))
        let scale = (jsonNumber(average["estimate"]) ?? .nan) / zip(counts, estimates).reduce(0) { $0 + $1.0 * $1.1 }
        var variance = 0.0
        for (a, i) in effects.enumerated() { for (b, j) in effects.enumerated() { variance += counts[a] * counts[b] * (jsonNumber(matrix[i][j]) ?? .nan) } }
        let se = try #require(jsonNumber(average["std_error"]))
        expectClose(se * se, scale * scale * variance, relative: 1e-10, "average total effect variance")
    }
}
