import DiD
import Estimation
import Formula
import Foundation
import Inference
import PanelData
import Reporting

/// Runs every estimate a spec asks for, through the same library calls as `quipu did`.
public struct EvaluationRunner {
    public let spec: EvaluationSpec
    public let table: DataTable
    public let threads: Int
    /// Called before each long step with (step, steps, what); the command shows it on a terminal.
    public var progress: (Int, Int, String) -> Void = { _, _, _ in }
    var step = 0
    let truth: TruthFile?

    public init(spec: EvaluationSpec, table: DataTable, threads: Int) throws {
        self.spec = spec
        self.table = table
        self.threads = threads
        truth = try spec.truthPath.map { try TruthFile(path: $0, spec: spec) }
    }

    /// The estimators a programme runs on an outcome. Poisson outcomes run the programme's
    /// estimators that have a Poisson model, in the spec's order: the extended TWFE (its log ratio
    /// of means, robust to staggered support) when listed, and TWFE always, as the benchmark.
    func estimators(_ programme: EvaluationSpec.Programme, _ outcome: EvaluationSpec.Outcome) -> [StaggeredEstimator] {
        guard outcome.scale == .poisson else { return programme.estimators }
        let poisson = programme.estimators.filter { $0 == .etwfe || $0 == .twfe }
        return poisson.contains(.twfe) ? poisson : poisson + [.twfe]
    }

    /// How many progress steps the run takes.
    var stepCount: Int {
        var count = wantsJointAdjustment ? 2 : 1
        for programme in spec.programmes {
            for outcome in spec.outcomes {
                let list = estimators(programme, outcome)
                count += list.count + (list.contains(.callawaySantAnna) && spec.inference.bootstrapReplicates > 0 ? 1 : 0)
                count += outcome.scale == .poisson ? 0 : 1
                count += spec.subgroups.reduce(0) { $0 + ((try? levels($1))?.count ?? 0) }
            }
        }
        return count
    }

    mutating func announce(_ what: String) {
        step += 1
        progress(step, stepCount, what)
    }

    /// Runs the whole evaluation.
    public mutating func run() throws -> EvaluationResults {
        announce("sample, overlap and raw trends")
        let filtered = try apply([spec.filter], to: table)
        var results = EvaluationResults(spec: spec, sample: try sampleSummary(filtered.table, filter: filtered.summary), threads: threads)
        results.overlaps = try overlaps(filtered.table)
        for programme in spec.programmes {
            let programmeTable = try apply([programme.filter], to: filtered.table).table
            results.trends += try trends(programme, table: programmeTable)
            let cohorts = try PanelStructure(table: programmeTable, unit: spec.unit, time: spec.time, treatment: programme.treatment)
            let cohortCount = Set(cohorts.cohorts.compactMap { $0 }).count
            for outcome in spec.outcomes {
                try estimate(programme, outcome, table: programmeTable, into: &results)
                if outcome.scale != .poisson {
                    announce("\(programme.name) × \(outcome.title): Goodman-Bacon decomposition")
                    results.bacon.append(bacon(programme, outcome, table: programmeTable, cohortCount: cohortCount))
                }
                for subgroup in spec.subgroups {
                    for level in try levels(subgroup) {
                        announce("\(programme.name) × \(outcome.title): \(subgroup.column) = \(level)")
                        results.subgroups.append(subgroupEffect(programme, outcome, subgroup: subgroup, level: level, table: programmeTable))
                    }
                }
            }
            results.designPower += designPower(programme, table: programmeTable, effects: results.effects)
            if spec.outcomes.contains(where: { $0.scale == .poisson }) && programme.estimators != [.twfe] && !programme.estimators.contains(.etwfe) {
                results.notes.append("\(programme.name): Poisson outcomes are estimated by TWFE only (add etwfe to the programme's estimators for the extended TWFE's proportional effect, robust to staggered support); with staggered support and effects that grow, read them with the TWFE caveat.")
            }
        }
        if wantsJointAdjustment {
            announce("Romano–Wolf and Westfall–Young across the headlines (\(spec.inference.adjustReplicates) joint bootstrap replicates)")
            results.jointAdjustment = jointAdjustment(results)
        }
        return results
    }

    /// `table` with every given filter applied (all must hold).
    func apply(_ filters: [String?], to table: DataTable) throws -> (table: DataTable, summary: SubsetSummary?) {
        let present = filters.compactMap { $0 }
        guard !present.isEmpty else { return (table, nil) }
        let filter = try RowFilter.parse(present.count == 1 ? present[0] : present.map { "(\($0))" }.joined(separator: " & "))
        let (kept, summary) = try table.filtered(by: filter)
        return (kept, summary)
    }

    /// The options of one estimator run, as `quipu did` would set them.
    func options(_ programme: EvaluationSpec.Programme, _ outcome: EvaluationSpec.Outcome, _ estimator: StaggeredEstimator,
                 bootstrap: Bool) throws -> DiDOptions
    {
        var options = DiDOptions(outcome: outcome.expression, covariance: try CovarianceType(parsing: spec.inference.vcov ?? "cluster:\(spec.unit)"))
        options.covariates = spec.covariates
        options.confidenceLevel = spec.inference.level
        options.threads = threads
        options.model = outcome.scale == .poisson ? .poisson : .linear
        options.window = programme.window
        options.callawaySantAnna.control = programme.control
        options.extraFixedEffects = programme.fixedEffects
        options.aggregations = [.simple, .dynamic, .group]
        switch estimator {
        case .twfe:
            options.estimator = .twfe
            options.eventStudy = true
        case .callawaySantAnna: options.estimator = .cs
        case .sunAbraham: options.estimator = .sunab
        case .imputation: options.estimator = .imputation
        case .etwfe: options.estimator = .etwfe
        case .twoStage: options.estimator = .twostage
        case .changesInChanges: options.estimator = .cic
        case .quantileDiD: options.estimator = .qdid
        case .panelQTT: options.estimator = .qtt
        case .tripleDifferences: options.estimator = .ddd  // refused by the spec's parser (no partition key)
        case .dcdh: options.estimator = .dcdh
        }
        if bootstrap {
            options.bootstrap = MultiplierBootstrap(replicates: spec.inference.bootstrapReplicates, seed: spec.inference.seed,
                                                    threads: threads, confidenceLevel: spec.inference.level)
        }
        return options
    }

    /// Runs one estimator; the DiD results and the estimator's own result, or the reason it failed.
    func runEstimator(_ programme: EvaluationSpec.Programme, _ outcome: EvaluationSpec.Outcome, _ estimator: StaggeredEstimator,
                      table: DataTable, bootstrap: Bool) -> Result<(DiDResults, StaggeredResult), EstimationFailure>
    {
        do {
            let results = try DiDAnalysis.run(table: table, unit: spec.unit, time: spec.time, treatment: programme.treatment,
                                              options: try options(programme, outcome, estimator, bootstrap: bootstrap))
            guard let own = results.staggered.first(where: { $0.estimator == estimator }) else {
                return .failure(EstimationFailure(message: "\(estimator.displayName) produced no estimate"))
            }
            return .success((results, own))
        } catch {
            return .failure(EstimationFailure(message: describe(error)))
        }
    }

    /// An error's message without the data file's path, which the report names once: results
    /// must not depend on where the data sit on this machine.
    func describe(_ error: Error) -> String {
        var message = String(describing: error)
        for prefix in [table.source + ": ", spec.dataPath + ": "] where message.hasPrefix(prefix) { message.removeFirst(prefix.count) }
        return message.replacingOccurrences(of: table.source, with: spec.data).replacingOccurrences(of: spec.dataPath, with: spec.data)
    }

    /// The overall-effect row of an estimator's result.
    func effect(_ programme: EvaluationSpec.Programme, _ outcome: EvaluationSpec.Outcome, _ estimator: StaggeredEstimator,
                result: Result<(DiDResults, StaggeredResult), EstimationFailure>, headline: Bool, truthValue: Double?) -> EvaluationResults.Effect
    {
        var effect = EvaluationResults.Effect(programme: programme.name, outcome: outcome.title, expression: outcome.expression, scale: outcome.scale, estimator: estimator,
                                              headline: headline, estimate: .nan, standardError: .nan, low: .nan, high: .nan, pValue: .nan,
                                              observations: 0, treatedUnits: 0, inference: "", truth: truthValue, failure: nil)
        switch result {
        case .failure(let failure):
            effect.failure = failure.message
        case .success(let (did, own)):
            effect.warnings = warnings(did, own, estimator: estimator)
            // The extended TWFE's Poisson rows come on two scales; the report reads the log ratio of
            // means (the truth file's `log_ratio_of_means`, the scale of TWFE's Poisson coefficient).
            guard let row = own.rows(level: spec.inference.level).first(where: { $0.estimate.kind == .simple && $0.estimate.scale == own.headlineScale }) else {
                effect.failure = "no overall effect"
                return effect
            }
            effect.estimate = row.estimate.estimate
            effect.standardError = row.standardError
            effect.low = row.low
            effect.high = row.high
            effect.pValue = row.pValue
            effect.observations = own.observationCount
            effect.treatedUnits = row.estimate.treatedUnits
            effect.inference = own.inference.description
            if effect.estimate.isFinite && !effect.standardError.isFinite {
                effect.warnings.insert(undefinedStandardError(clusters: own.clusterCount), at: 0)
            }
        }
        return effect
    }
}

/// Why one estimate could not be made; the report shows it in place of the number.
struct EstimationFailure: Error {
    let message: String
}
