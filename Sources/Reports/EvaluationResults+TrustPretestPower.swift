import DiD
import Primitives

/// The pre-test's power in the report's "How far to trust this" (issue 23, point 6): per headline,
/// the linear trend its pre-trend test detects with 50% and 80% power (Roth 2022;
/// DiDAnalysis.pretrendPower) and the bias such a trend would put in the average post-period
/// effect, each in one plain sentence.
extension EvaluationResults {
    /// A headline estimator's pre-test power on one programme and outcome.
    public struct PretestPower: Sendable {
        public var programme: String
        public var outcome: String
        public var power: EventStudyPretrendPower
    }

    /// The sentences, or a paragraph saying why there are none.
    var trustPretestPowerBlocks: [ReportDocument.Block] {
        let intro = ReportDocument.Block.paragraph("**Pre-test power.** A pre-trend test that passes rules out only the trends it can see. For each headline, the slope of a linear trend (per \(spec.periodNoun), on the outcome's scale) that its pre-trend test detects half the time and 80% of the time, and how far such a trend, continued after support started, would move the average post-period effect (Roth 2022, \"Pretest with Caution\"; the Wald χ² form of the test). A trend below the 50% slope usually passes the test unseen.")
        let headlines = effects.filter { $0.headline && $0.failure == nil }
        guard !headlines.isEmpty else { return [intro, .paragraph("No headline was estimated, so the pre-test's power is not reported.")] }
        return [intro, .bullets(headlines.map { effect in
            pretestPowers.first { $0.programme == effect.programme && $0.outcome == effect.outcome }.map(sentence)
                ?? "\(effect.programme) × \(effect.outcome), \(effect.estimator.displayName): no pre-test power: the estimator has no event-study effects before support on the headline's scale relative to one reference period (the imputation leads are not)."
        })]
    }

    /// One headline's sentence.
    func sentence(_ entry: PretestPower) -> String {
        let power = entry.power.power
        func slope(_ target: Double) -> String {
            power.detected.first { $0.power == target }.map { NumberFormat.significant($0.slope, digits: 3) } ?? "—"
        }
        func bias(_ target: Double) -> String {
            power.detected.first { $0.power == target }.map { NumberFormat.significant($0.bias, digits: 3) } ?? "—"
        }
        let effect = effects.first { $0.programme == entry.programme && $0.outcome == entry.outcome && $0.headline }
        let headline = effect.map { " (the headline estimate is \(NumberFormat.significant($0.estimate, digits: 3)))" } ?? ""
        let note = power.note.map { " The test's covariance is rank-deficient: \($0)." } ?? ""
        return "\(entry.programme) × \(entry.outcome), \(entry.power.estimator.displayName): its pre-trend test detects a trend of "
            + "\(slope(0.5)) per \(spec.periodNoun) half the time and \(slope(0.8)) with 80% power; trends that large would move "
            + "\(entry.power.targetDescription) by \(bias(0.5)) and \(bias(0.8))\(headline).\(note)"
    }
}
