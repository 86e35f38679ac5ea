// The imputation estimator (Borusyak, Jaravel & Spiess 2024) in `quipu did`: rows with the
// outcome, the `--fe` factors, the clusters, and the sample it used (ImputationDiD estimates).

import Estimation
import Formula
import Inference
import PanelData
import Primitives

/// Imputation of untreated outcomes from unit and period effects fitted on untreated rows.
struct ImputationEstimator: DiDEstimator {
    var id: StaggeredEstimator { .imputation }

    /// Runs the imputation estimator on `design`'s panel.
    func estimate(_ design: DiDDesign) throws -> DiDEffectSet {
        let options = design.options
        return try Self.estimate(design) { input in
            options.effect == .proportional ? try ImputationDiD.estimatePoisson(input, threads: options.threads) : try ImputationDiD.estimate(input)
        }
    }

    /// The rows, fixed effects and clusters of `design` as an imputation input, run through
    /// `estimator` (imputation, or the two-stage estimator on the same first stage), with the
    /// sample it used.
    static func estimate(_ design: DiDDesign, with estimator: (ImputationInput) throws -> StaggeredResult) throws -> DiDEffectSet {
        let options = design.options
        // The first stage has unit, period and --fe effects only: covariates were silently left out
        // before (issue 25). Asked for alone, refuse; beside other estimators (all), say so.
        var notes = [Diagnostic]()
        if !options.covariates.isEmpty {
            let names = options.covariates.joined(separator: ",")
            if options.estimator == .imputation || options.estimator == .twostage {
                throw PanelError("--covariates \(names): the \(options.estimator == .twostage ? "two-stage" : "imputation") estimator takes no covariates (time-varying controls in its first stage are not implemented): drop --covariates, give groups their own period effects with --fe \"\(design.timing.structure.timeName)^\(options.covariates[0])\", or use --estimator cs (baseline covariates) or etwfe")
            }
            notes.append(Diagnostic(.design, .note, "imputation and two-stage leave --covariates out: their first stage has unit and period effects (and --fe) only"))
        }
        let structure = design.timing.structure
        let table = design.sourceTable
        let outcome = design.outcomeColumn.values
        var keep = outcome.map { !$0.isNaN }
        // Rows without a usable outcome first, then this estimator's own filters.
        var drops = design.outcomeColumn.drops()
        // Fixed-effect and cluster variables must be present.
        let terms = try options.extraFixedEffectTerms()
        var clusterName: String? = nil
        if case let .cluster(variables) = options.covariance {
            guard variables.count == 1 else { throw PanelError("the imputation estimator clusters on one variable; two-way clustering is not available for it") }
            if variables[0] != structure.unitName { clusterName = variables[0] }
        }
        let needed = Array(Set(terms.flatMap(\.variables) + (clusterName.map { [$0] } ?? []))).sorted()
        for name in needed {
            guard let column = table.column(named: name) else { throw PanelError("\(table.source): no column named '\(name)'") }
            if let problem = column.identifierProblem(source: table.source, name: name, role: "grouping") { throw PanelError(problem) }
            var missing = 0
            for row in keep.indices where keep[row] && UnitPanel.isMissing(column, row) { keep[row] = false; missing += 1 }
            if missing > 0 { drops.append(.init(reason: "\(name): missing", rows: missing, units: 0)) }
        }
        let rows = keep.indices.filter { keep[$0] }
        guard !rows.isEmpty else { throw PanelError("\(table.source): no row has '\(options.outcome)'") }
        // Dense unit codes over the kept rows.
        var unitCode = [Int32](repeating: -1, count: structure.unitCount)
        var cohorts = [Int?]()
        var codes = [Int32]()
        codes.reserveCapacity(rows.count)
        for row in rows {
            let unit = Int(structure.unitCodes[row])
            if unitCode[unit] < 0 {
                unitCode[unit] = Int32(cohorts.count)
                cohorts.append(structure.cohorts[unit])
            }
            codes.append(unitCode[unit])
        }
        var factors = [Factor]()
        for term in terms {
            var keys = [Int64](repeating: 0, count: rows.count)
            for variable in term.variables {
                guard let column = table.column(named: variable) else { continue }
                let (levels, count) = Self.denseLevels(column, rows: rows)
                for i in keys.indices { keys[i] = keys[i] &* Int64(count + 1) &+ Int64(levels[i]) }
            }
            factors.append(Factor(name: term.name, keys: keys))
        }
        var clusters: ClusterVariable? = nil
        if let clusterName, let column = table.column(named: clusterName) {
            let (levels, count) = Self.denseLevels(column, rows: rows)
            clusters = ClusterVariable(name: clusterName, codes: levels.map { Int32($0) }, count: count)
        }
        var input = ImputationInput(unitCodes: codes, unitCount: cohorts.count, periods: rows.map { structure.periods[$0] },
                                    cohorts: cohorts, outcome: rows.map { outcome[$0] }, extraFixedEffects: factors, clusters: clusters,
                                    anticipation: options.callawaySantAnna.anticipation, pretrendLeads: options.imputationLeads,
                                    unitName: structure.unitName, timeName: structure.timeName)
        input.leaveOutOnGaps = options.leaveOutOnGaps
        let result = try estimator(input)
        // Units treated from the first period (less anticipation) have no untreated row to impute from.
        let first = structure.periodValues.first ?? 0
        let anticipation = options.callawaySantAnna.anticipation
        let used = cohorts.filter { cohort in cohort.map { $0 - anticipation > first } ?? true }
        if used.count < cohorts.count {
            let rows = (0..<codes.count).filter { cohorts[Int(codes[$0])].map { $0 - anticipation <= first } ?? false }.count
            drops.append(.init(reason: "treated in the first period: no untreated period to impute from", rows: rows, units: cohorts.count - used.count))
        }
        let sample = StaggeredSample(rowsRead: structure.rowCount, rows: result.observationCount, units: used.count,
                                     unitsPerCohort: StaggeredSample.cohortCounts(used), drops: drops,
                                     panel: "all observed unit-periods; unit and period effects fitted on untreated rows only")
        return DiDEffectSet(result: result, sample: sample, notes: notes)
    }

    /// Dense codes of a column's values over `rows`, and how many there are.
    static func denseLevels(_ column: Column, rows: [Int]) -> ([Int], Int) {
        switch column {
        case let .numeric(values):
            var lookup = [Double: Int]()
            let levels = rows.map { row -> Int in
                if let code = lookup[values[row]] { return code }
                let code = lookup.count
                lookup[values[row]] = code
                return code
            }
            return (levels, lookup.count)
        case let .text(text):
            var lookup = [Int32: Int]()
            let levels = rows.map { row -> Int in
                if let code = lookup[text.codes[row]] { return code }
                let code = lookup.count
                lookup[text.codes[row]] = code
                return code
            }
            return (levels, lookup.count)
        }
    }
}
