import DiD
import Formula
import Foundation
import PanelData
import Reporting

extension EvaluationRunner {
    /// Every estimator of one programme on one outcome: effects, profiles, pre-trend tests, the
    /// bootstrap beside the analytic standard error, and each run's JSON.
    mutating func estimate(_ programme: EvaluationSpec.Programme, _ outcome: EvaluationSpec.Outcome, table: DataTable,
                           into results: inout EvaluationResults) throws
    {
        let truthValue = truth?.value(programme: programme.truthName, outcome: outcome)
        let bootstrapping = spec.inference.bootstrapReplicates > 0
        for (index, estimator) in estimators(programme, outcome).enumerated() {
            let withBootstrap = bootstrapping && estimator == .callawaySantAnna
            announce("\(programme.name) × \(outcome.title): \(estimator.displayName)" + (withBootstrap ? " with the multiplier bootstrap (\(spec.inference.bootstrapReplicates) replicates)" : ""))
            let result = runEstimator(programme, outcome, estimator, table: table, bootstrap: withBootstrap)
            results.effects.append(effect(programme, outcome, estimator, result: result, headline: index == 0, truthValue: truthValue))
            if index == 0, let input = jointInput(result, estimator: estimator, table: table) { results.jointInputs[results.effects.count - 1] = input }
            guard case .success(let (did, own)) = result else {
                if case .failure(let failure) = result { results.notes.append("\(programme.name) × \(outcome.title) (\(estimator.displayName)): not estimated: \(failure.message)") }
                continue
            }
            results.runs.append(EvaluationResults.Run(programme: programme.name, outcome: outcome.title, estimator: estimator, json: did.json))
            let points = own.rows(level: spec.inference.level)
                .filter { $0.estimate.kind == .dynamic && !$0.estimate.isOverall && $0.estimate.estimate.isFinite && $0.estimate.scale == own.headlineScale }
                .compactMap { row in row.estimate.eventTime.map { (eventTime: $0, estimate: row.estimate.estimate, low: row.low, high: row.high) } }
                .filter { programme.window.contains($0.eventTime) }
                .sorted { $0.eventTime < $1.eventTime }
            if index == 0, let breakdown = breakdown(programme, outcome, estimator: estimator, result: own, level: spec.inference.level) {
                results.breakdowns.append(breakdown)
            }
            if !points.isEmpty {
                results.profiles.append(EvaluationResults.Profile(programme: programme.name, outcome: outcome.title, estimator: estimator, points: points))
            }
            if estimator == .twfe, let test = did.pretrendTest {
                results.pretrends.append(EvaluationResults.Pretrend(
                    programme: programme.name, outcome: outcome.title, estimator: estimator,
                    description: "event-study leads \(did.pretrendTerms.count == 1 ? did.pretrendTerms[0] : "(\(did.pretrendTerms.count) coefficients)") are zero (Wald F, reference period −1)",
                    statistic: test.statistic, numeratorDegrees: test.numeratorDegrees, denominatorDegrees: test.denominatorDegrees, pValue: test.pValue))
            } else if let test = own.pretrend {
                results.pretrends.append(EvaluationResults.Pretrend(
                    programme: programme.name, outcome: outcome.title, estimator: estimator, description: test.description,
                    statistic: test.statistic, numeratorDegrees: test.numeratorDegrees, denominatorDegrees: test.denominatorDegrees, pValue: test.pValue))
            }
            if index == 0, let power = did.pretrendPowers.first(where: { $0.estimator == estimator }) {
                results.pretestPowers.append(EvaluationResults.PretestPower(programme: programme.name, outcome: outcome.title, power: power))
            }
            if withBootstrap, let simple = own.rows(level: spec.inference.level).first(where: { $0.estimate.kind == .simple }) {
                announce("\(programme.name) × \(outcome.title): Callaway–Sant'Anna, analytic standard errors beside the bootstrap")
                if case .success(let (_, analytic)) = runEstimator(programme, outcome, .callawaySantAnna, table: table, bootstrap: false),
                   let analyticSimple = analytic.rows(level: spec.inference.level).first(where: { $0.estimate.kind == .simple })
                {
                    results.bootstrap.append(EvaluationResults.Bootstrap(
                        programme: programme.name, outcome: outcome.title, estimate: simple.estimate.estimate,
                        analyticStandardError: analyticSimple.standardError, bootstrapStandardError: simple.standardError,
                        low: simple.low, high: simple.high, dynamicCriticalValue: own.uniformCriticalValues[.dynamic],
                        replicates: spec.inference.bootstrapReplicates, seed: spec.inference.seed))
                }
            }
        }
    }

    /// The Goodman-Bacon decomposition of TWFE on the balanced panel, for staggered programmes.
    func bacon(_ programme: EvaluationSpec.Programme, _ outcome: EvaluationSpec.Outcome, table: DataTable, cohortCount: Int) -> EvaluationResults.Bacon {
        var entry = EvaluationResults.Bacon(programme: programme.name, outcome: outcome.title, decomposition: nil, failure: nil)
        guard cohortCount > 1 else {
            entry.failure = "one cohort: every comparison is supported against never-supported firms, so TWFE has no forbidden comparisons to decompose"
            return entry
        }
        do {
            var options = try options(programme, outcome, .twfe, bootstrap: false)
            options.eventStudy = false
            options.balance = true
            options.decompose = true
            let did = try DiDAnalysis.run(table: table, unit: spec.unit, time: spec.time, treatment: programme.treatment, options: options)
            entry.decomposition = did.bacon
        } catch {
            entry.failure = describe(error)
        }
        return entry
    }

    /// The levels a subgroup is estimated in.
    func levels(_ subgroup: EvaluationSpec.Subgroup) throws -> [String] {
        if let levels = subgroup.levels { return levels }
        guard let column = table.column(named: subgroup.column) else { return [] }
        return EvaluationSpec.levels(of: column)
    }

    /// The programme's headline estimator within one level of a subgroup column (analytic
    /// inference: the bootstrap is for the headline).
    func subgroupEffect(_ programme: EvaluationSpec.Programme, _ outcome: EvaluationSpec.Outcome, subgroup: EvaluationSpec.Subgroup,
                        level: String, table: DataTable) -> EvaluationResults.SubgroupEffect
    {
        let estimator = estimators(programme, outcome)[0]
        let truthValue = subgroup.column == "size_class" ? truth?.value(programme: programme.truthName, outcome: outcome, sizeClass: level) : nil
        let result: Result<(DiDResults, StaggeredResult), EstimationFailure>
        do {
            let quoted: String
            if case .text? = table.column(named: subgroup.column) {
                quoted = "'\(level.replacingOccurrences(of: "'", with: "\\'"))'"
            } else {
                quoted = level
            }
            let subset = try apply(["\(subgroup.column) == \(quoted)"], to: table).table
            result = runEstimator(programme, outcome, estimator, table: subset, bootstrap: false)
        } catch {
            result = .failure(EstimationFailure(message: describe(error)))
        }
        return EvaluationResults.SubgroupEffect(column: subgroup.column, level: level,
                                                effect: effect(programme, outcome, estimator, result: result, headline: true, truthValue: truthValue))
    }
}
