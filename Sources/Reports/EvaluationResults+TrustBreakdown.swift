// The breakdown values of "How far to trust this" (issue 23, point 6): for each headline with an
// event study, how large a violation of parallel trends its average effect after support
// survives, by relative magnitudes (M̄) and smoothness (M), from the same Sensitivity module as
// `quipu did --sensitivity` (Rambachan & Roth 2023; HonestDiD's default grids and methods).

import DiD
import Primitives
import Reporting
import Sensitivity

extension EvaluationResults {
    /// The breakdown values of one headline estimate.
    public struct Breakdown: Sendable {
        public var programme: String
        public var outcome: String
        public var estimator: StaggeredEstimator
        /// What the curves bound (the average of the post periods).
        public var target: String
        /// The relative-magnitudes and smoothness curves, or why each is missing.
        public var curves: [SensitivityCurveOutcome]
        /// Why there is no analysis at all (no pre-periods), when so.
        public var failure: String?
        /// Whether the estimator's pre-periods use a varying base period (Callaway–Sant'Anna).
        public var varyingBasePeriod: Bool
    }

    /// The report's breakdown table: one row per headline with an event study.
    var breakdownTable: ReportTable {
        ReportTable(name: "breakdown", title: "Breakdown values (Rambachan–Roth sensitivity of the average effect after support)",
                    header: ["Programme", "Outcome", "Estimator", "Original interval", "Breakdown M̄ (relative magnitudes)", "Breakdown M (smoothness)"],
                    rows: breakdowns.map { entry in
                        let original = entry.curves.compactMap(\.curve).first?.original
                        let interval = original.map { "[\(NumberFormat.short4g($0.lower)), \(NumberFormat.short4g($0.upper))]" } ?? "—"
                        return [.text(entry.programme), .text(entry.outcome), .text(entry.estimator.displayName), .text(interval),
                                .text(Self.breakdownCell(entry, .relativeMagnitudes)), .text(Self.breakdownCell(entry, .smoothness))]
                    },
                    note: "The largest M̄ (or M) of HonestDiD's default grid whose robust interval excludes zero; 'none' when no interval of the grid does; '—' when not computed.")
    }

    static func breakdownCell(_ entry: Breakdown, _ restriction: SensitivityRestriction) -> String {
        guard let outcome = entry.curves.first(where: { $0.restriction == restriction }), let curve = outcome.curve else { return "—" }
        return curve.breakdown.map { NumberFormat.short4g($0) } ?? "none"
    }

    /// The blocks of the breakdown part of "How far to trust this".
    var breakdownBlocks: [ReportDocument.Block] {
        guard !breakdowns.isEmpty else { return [] }
        var blocks: [ReportDocument.Block] = [
            .paragraph("**Parallel-trends sensitivity.** How much could the parallel-trends assumption bend before a headline stops being distinguishable from zero? The analysis bounds the average of the headline estimator's event-study effects after support, over the programme's event window (which can differ from its pooled estimate). Relative magnitudes (M̄) let the violations after support be up to M̄ times the largest one seen before support; smoothness (M) lets the differential trend's slope change by up to M per \(spec.periodNoun) (Rambachan & Roth 2023, as R HonestDiD computes them). A breakdown value near zero says the headline rests on parallel trends holding almost exactly."),
            .table(breakdownTable),
        ]
        var sentences = [String]()
        for entry in breakdowns {
            let name = "\(entry.programme) × \(entry.outcome) (\(entry.estimator.displayName))"
            if let failure = entry.failure { sentences.append("\(name): no sensitivity analysis: \(failure).") ; continue }
            for outcome in entry.curves {
                if let curve = outcome.curve {
                    sentences.append("\(name): " + EventStudySensitivity.breakdownSentence(curve))
                } else if let failure = outcome.failure {
                    sentences.append("\(name): \(outcome.restriction == .relativeMagnitudes ? "relative magnitudes" : "smoothness") not computed: \(failure).")
                }
            }
            if entry.varyingBasePeriod {
                sentences.append("\(name): Callaway–Sant'Anna's pre-periods here use a varying base period (changes between consecutive \(spec.periodNoun)s); HonestDiD advises a universal base period, so read its breakdown values as indicative.")
            }
        }
        blocks.append(.bullets(sentences))
        return blocks
    }
}

extension EvaluationRunner {
    /// The breakdown values of a headline estimator's event study (nil without one).
    func breakdown(_ programme: EvaluationSpec.Programme, _ outcome: EvaluationSpec.Outcome, estimator: StaggeredEstimator,
                   result: StaggeredResult, level: Double) -> EvaluationResults.Breakdown? {
        let target = SensitivityTarget.average
        var entry = EvaluationResults.Breakdown(programme: programme.name, outcome: outcome.title, estimator: estimator, target: target.label,
                                                curves: [], failure: nil, varyingBasePeriod: estimator == .callawaySantAnna)
        let problem: SensitivityProblem
        do {
            guard let found = try result.sensitivityProblem(target: target, window: programme.window) else { return nil }
            problem = found
        } catch {
            entry.failure = String(describing: error)
            return entry
        }
        entry.curves = [SensitivityRestriction.relativeMagnitudes, .smoothness].map { restriction in
            do {
                let curve = restriction == .relativeMagnitudes
                    ? try RelativeMagnitudesSensitivity.curve(problem: problem, grid: RelativeMagnitudesSensitivity.defaultGrid, level: level)
                    : try SmoothnessSensitivity.curve(problem: problem, grid: SmoothnessSensitivity.defaultGrid(for: problem), level: level)
                return SensitivityCurveOutcome(restriction: restriction, curve: curve, failure: nil)
            } catch {
                return SensitivityCurveOutcome(restriction: restriction, curve: nil, failure: String(describing: error))
            }
        }
        return entry
    }
}
