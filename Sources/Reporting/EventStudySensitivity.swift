// Rambachan–Roth sensitivity for the event studies `quipu did` produces: the bridge from an
// estimator's effect set (its `dynamic` estimates by event time and their joint covariance from
// the one inference core) to the Sensitivity module's problem, and the curves it returns.
//
// Conventions follow HonestDiD (and moderndid's `honest_did` for `aggte` results): pre-periods
// are event times below 0, post-periods 0 and above, the reference period (whose estimate is a
// normalised zero without a standard error) is omitted, the analytic covariance is used.

import DiD
import Inference
import LinearAlgebra
import Primitives
import Sensitivity

/// What `--sensitivity` asks for.
public struct SensitivityRequest: Sendable {
    public var restrictions: [SensitivityRestriction]
    /// M̄ grid (relative magnitudes); nil: RelativeMagnitudesSensitivity.defaultGrid.
    public var relativeMagnitudeGrid: [Double]?
    /// M grid (smoothness); nil: SmoothnessSensitivity.defaultGrid(for:) of each event study.
    public var smoothnessGrid: [Double]?
    public var target: SensitivityTarget
    public var level: Double
    /// The relative-magnitudes method (C-LF, HonestDiD's default, or Conditional).
    public var relativeMagnitudeMethod: SensitivityIntervalMethod
    /// Whether Callaway–Sant'Anna ran with a varying base period (HonestDiD warns against it).
    public var varyingBasePeriod: Bool

    public init(restrictions: [SensitivityRestriction], relativeMagnitudeGrid: [Double]?, smoothnessGrid: [Double]?,
                target: SensitivityTarget, level: Double, relativeMagnitudeMethod: SensitivityIntervalMethod = .conditionalLeastFavorable,
                varyingBasePeriod: Bool) {
        self.restrictions = restrictions
        self.relativeMagnitudeGrid = relativeMagnitudeGrid
        self.smoothnessGrid = smoothnessGrid
        self.target = target
        self.level = level
        self.relativeMagnitudeMethod = relativeMagnitudeMethod
        self.varyingBasePeriod = varyingBasePeriod
    }
}

/// One restriction's curve, or why it could not be computed.
public struct SensitivityCurveOutcome: Sendable {
    public let restriction: SensitivityRestriction
    public let curve: SensitivityCurve?
    public let failure: String?

    public init(restriction: SensitivityRestriction, curve: SensitivityCurve?, failure: String?) {
        self.restriction = restriction
        self.curve = curve
        self.failure = failure
    }
}

/// One estimator's sensitivity analysis: its event study as the Sensitivity module reads it, and a
/// curve (or the reason there is none) per restriction.
public struct EventStudySensitivity: Sendable {
    public let estimator: StaggeredEstimator
    public let problem: SensitivityProblem
    public let curves: [SensitivityCurveOutcome]
    /// Warnings to show beside the curves (a varying base period).
    public let warnings: [String]
    /// The intervals' confidence level.
    public let level: Double

    /// Event times of the pre- and post-periods used.
    public var preEventTimes: [Int] { Array(problem.eventTimes[..<problem.preCount]) }
    public var postEventTimes: [Int] { Array(problem.eventTimes[problem.preCount...]) }
}

extension StaggeredResult {
    /// The event study of this effect set as a sensitivity problem for `target`: its dynamic
    /// estimates by event time on the headline scale, without the reference period's normalised
    /// zero. Nil when it has no event study; throws when the target names an event time it lacks,
    /// or when the event study cannot be analysed (no pre-period, covariance not finite). `window`
    /// keeps the event times inside it: the report analyses the span it shows, as HonestDiD users
    /// pass a chosen span, and far event times resting on one or two cohorts would cost each
    /// relative-magnitudes polyhedron and least-favourable draw for nothing.
    public func sensitivityProblem(target: SensitivityTarget, window: ClosedRange<Int>? = nil) throws -> SensitivityProblem? {
        let scale = headlineScale
        let errors = standardErrors
        let rows = estimates.indices.filter { index in
            let estimate = estimates[index]
            return estimate.kind == .dynamic && estimate.eventTime != nil && estimate.scale == scale
        }
        guard !rows.isEmpty else { return nil }
        // Callaway–Sant'Anna's e = −1 is left out as HonestDiD's `honest_did` for `aggte` results
        // does (moderndid's `_honest_did_aggte`: reference_period = −1), with either base period.
        let used: [Int] = rows.filter { estimates[$0].estimate.isFinite && errors[$0].isFinite && errors[$0] > 0 }
            .filter { estimator != .callawaySantAnna || estimates[$0].eventTime != -1 }
            .filter { (index: Int) -> Bool in
                guard let window else { return true }
                return window.contains(estimates[index].eventTime ?? 0)
            }
            .sorted { (estimates[$0].eventTime ?? 0) < (estimates[$1].eventTime ?? 0) }
        let times = used.map { estimates[$0].eventTime ?? 0 }
        let preCount = times.filter { $0 < 0 }.count
        let pres = Array(times[..<preCount]), posts = Array(times[preCount...])
        guard !posts.isEmpty else { throw SensitivityError.noPostPeriods }
        guard !pres.isEmpty else { throw SensitivityError.noPrePeriods }
        // The restrictions compare consecutive periods (HonestDiD refuses gaps too).
        for block in [pres, posts] where zip(block, block.dropFirst()).contains(where: { $1 - $0 != 1 }) {
            throw SensitivityUnavailable(reason: "the event times \(block.map(String.init).joined(separator: ", ")) are not consecutive (an estimate without a standard error leaves a gap); HonestDiD's restrictions compare consecutive periods")
        }
        let weights = try target.weights(postEventTimes: posts, estimator: estimator)
        let sigma = covariance.selecting(rows: used, columns: used)
        guard sigma.values.allSatisfy(\.isFinite) else {
            throw SensitivityUnavailable(reason: "the pre-period estimates and the effects have no joint covariance (they come from separate regressions, as the imputation estimator's leads test and its effects), and HonestDiD's intervals need it")
        }
        return try SensitivityProblem(eventTimes: times, estimates: used.map { estimates[$0].estimate }, covariance: sigma,
                                      preCount: preCount, targetWeights: weights, targetLabel: target.label)
    }
}

extension DiDResults {
    /// The sensitivity analysis of every estimator's event study. Throws only for a request the
    /// data cannot answer (a target's event time missing); an event study that cannot be analysed
    /// (no pre-period) or a curve that fails keeps its reason in the result.
    public func sensitivity(_ request: SensitivityRequest) throws -> (analyses: [EventStudySensitivity], skipped: [String]) {
        var analyses = [EventStudySensitivity]()
        var skipped = [String]()
        for result in staggered {
            let problem: SensitivityProblem
            do {
                guard let found = try result.sensitivityProblem(target: request.target) else { continue }
                problem = found
            } catch let error as SensitivityError {
                skipped.append("\(result.estimator.displayName): \(error.description)")
                continue
            } catch let error as SensitivityUnavailable {
                skipped.append("\(result.estimator.displayName): \(error.description)")
                continue
            }
            var warnings = [String]()
            if result.estimator == .callawaySantAnna && request.varyingBasePeriod {
                warnings.append("Callaway–Sant'Anna ran with a varying base period: its pre-period estimates are changes between consecutive periods, not deviations from one reference period, so the pre-trends they describe are not what HonestDiD bounds; use --base-period universal (as HonestDiD's documentation advises)")
            }
            let curves = request.restrictions.map { restriction -> SensitivityCurveOutcome in
                do {
                    let curve: SensitivityCurve
                    switch restriction {
                    case .relativeMagnitudes:
                        let grid = request.relativeMagnitudeGrid ?? RelativeMagnitudesSensitivity.defaultGrid
                        curve = try RelativeMagnitudesSensitivity.curve(problem: problem, grid: grid, method: request.relativeMagnitudeMethod, level: request.level)
                    case .smoothness:
                        let grid = request.smoothnessGrid ?? SmoothnessSensitivity.defaultGrid(for: problem)
                        curve = try SmoothnessSensitivity.curve(problem: problem, grid: grid, level: request.level)
                    }
                    return SensitivityCurveOutcome(restriction: restriction, curve: curve, failure: nil)
                } catch {
                    return SensitivityCurveOutcome(restriction: restriction, curve: nil, failure: String(describing: error))
                }
            }
            analyses.append(EventStudySensitivity(estimator: result.estimator, problem: problem, curves: curves, warnings: warnings,
                                                  level: request.level))
        }
        return (analyses, skipped)
    }
}

/// Why an event study cannot be analysed (kept beside the results, not an error of the run).
struct SensitivityUnavailable: Error, CustomStringConvertible {
    let reason: String
    var description: String { "sensitivity: \(reason)" }
}
