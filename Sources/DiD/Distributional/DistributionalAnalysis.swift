// The one path of the distributional estimators (changes-in-changes, quantile DiD, panel QTT) from
// the validated design to an effect set: the balanced panel, the cohort × period cells
// (DistributionalCell), each cell's mean and quantile effects (the method's file), their
// aggregations (DistributionalAggregation), and the unit (cluster) bootstrap
// (DistributionalAnalysis+Bootstrap.swift).
//
// Goals:
// 1. One cohort and staggered cohorts alike: a 2x2 design is one cohort with one post period.
// 2. Clear refusals: quantiles outside (0, 1), covariates or weights (not built), a whole-number
//    outcome for changes-in-changes, no cell with treated and comparison units, panel QTT
//    without a period before any cell's base; a warning naming the cells with fewer than 20
//    treated units, whose quantile effects rest on few order statistics.
// 3. Estimates laid out as every other DiD estimator's (StaggeredEstimate, with `quantile` set
//    on quantile effects; the mean effect has none), so the reports read them the same way.

import Estimation
import Inference
import LinearAlgebra
import PanelData
import Primitives

/// Runs a distributional estimator on a DiD design.
enum DistributionalAnalysis {
    /// Cells with fewer treated units than this get a warning: their extreme quantiles rest on one
    /// or two order statistics.
    static let fewTreatedUnits = 20

    static func estimate<Method: DistributionalMethod & DiDEstimator>(_ design: DiDDesign, method: Method) throws -> DiDEffectSet {
        let options = design.options
        let settings = options.distributional
        let structure = design.timing.structure
        let name = method.id.displayName
        try validate(options, name: name)
        if method.id == .changesInChanges { try refuseWholeNumbers(design.outcomeColumn, source: design.source) }
        var cluster: (String, Column)? = nil
        if case .cluster(let variables) = options.covariance, let variable = variables.first, variable != structure.unitName {
            guard variables.count == 1 else { throw PanelError("\(name) resamples one cluster variable; two-way clustering is not available for it") }
            guard let column = design.sourceTable.column(named: variable) else { throw PanelError("\(design.source): no column named '\(variable)'") }
            cluster = (variable, column)
        }
        let panel = try UnitPanel(structure: structure, outcome: design.outcomeColumn, covariates: [], cluster: cluster,
                                  anticipation: 0, mode: .balanced)
        let notYet = options.callawaySantAnna.control == .notyet
        var (cells, skipped) = DistributionalCell.cells(panel: panel, notYetTreated: notYet)
        var notes = [Diagnostic]()
        if method.periodsBefore > 1 {
            let short = cells.filter { $0.earlierIndex == nil }
            cells.removeAll { $0.earlierIndex == nil }
            if !short.isEmpty {
                notes.append(Diagnostic(.design, .note, "\(name) needs a period before each cell's base period (copula stability): "
                    + "left out cell(s) " + short.map { "(\($0.group),\($0.time))" }.joined(separator: ", ")))
            }
            guard !cells.isEmpty else {
                throw PanelError("\(design.source): \(name) needs three periods per cell (two before the compared one: the base and the period before it); no cohort has two periods before its start in \(panel.periods.count) period(s) \(panel.periods.first ?? 0)–\(panel.periods.last ?? 0)")
            }
        }
        guard !cells.isEmpty else {
            throw PanelError("\(design.source): no cohort × period cell has both treated units and " + (notYet ? "not-yet-treated" : "never-treated") + " comparison units")
        }
        if !skipped.isEmpty {
            notes.append(Diagnostic(.design, .note, "cells without comparison units left out: " + skipped.joined(separator: ", ")))
        }
        let thin = cells.filter { $0.treated.count < fewTreatedUnits }
        if !thin.isEmpty && !settings.quantiles.isEmpty {
            let listed = thin.prefix(12).map { "(\($0.group),\($0.time)): \($0.treated.count)" }.joined(separator: ", ")
            notes.append(Diagnostic(.design, .warning, "\(thin.count) cell(s) have fewer than \(fewTreatedUnits) treated units, so their quantile effects rest on few order statistics: \(listed)" + (thin.count > 12 ? ", …" : "")))
        }
        var store = SampleStoreBuilder(panel: panel)
        let prepared = cells.map { method.prepare($0, store: &store) }
        let samples = store.samples
        let aggregation = DistributionalAggregation(cells: cells, aggregations: options.aggregations)
        let quantiles = settings.quantiles
        let usedCells = cells
        let compute = { @Sendable (counts: [Int32]?) -> [Double] in
            Self.allEffects(method: method, prepared: prepared, samples: samples, cells: usedCells, aggregation: aggregation, quantiles: quantiles, counts: counts)
        }
        let point = compute(nil)
        let estimates = Self.layout(cells: cells, aggregation: aggregation, quantiles: quantiles, panel: panel, point: point)
        let control = notYet ? "not-yet-treated" : "never-treated"
        notes.insert(Diagnostic(.descriptive, .note, "\(name): mean and quantile effects of cohort × period cells against \(control) units, varying base period, on the balanced panel; "
            + (method.id == .quantileDiD ? "type-7 (interpolated) quantiles as R qte's QDiD" : "type-1 quantiles (the inverse empirical CDF) as R qte")
            + "; aggregates average the cells' effects quantile by quantile with cohort-size weights, which is not the quantile effect of the pooled treated units"), at: 0)
        let clusterCount = panel.clusters?.levelCount ?? panel.unitCount
        let clusterName = cluster?.0 ?? structure.unitName
        var result: StaggeredResult
        if settings.replicates > 0 {
            result = try bootstrap(point: point, estimates: estimates, panel: panel, settings: settings, threads: options.threads,
                                   level: options.confidenceLevel, estimator: method.id, clusterName: clusterName, compute: compute)
        } else {
            let undefined = Matrix(rows: point.count, columns: point.count, values: [Double](repeating: .nan, count: point.count * point.count))
            result = StaggeredResult(estimator: method.id, estimates: estimates, covariance: undefined, degreesOfFreedom: nil,
                                     inference: InferenceDescription(method: "none (--reps 0)"), observationCount: panel.sample.rows,
                                     clusterCount: clusterCount)
        }
        result = result.withNotes(notes.filter { $0.severity == .note || $0.code == .descriptive } + result.notes)
        // The leads of the shared pre-trend check are mean effects of other estimators; these are judged
        // by their own pre-period cells in the output, so no lead warnings are derived here.
        return DiDEffectSet(result: result, sample: panel.sample, notes: notes.filter { $0.severity == .warning }, pretrendWarnings: [])
    }

    /// Refuses what the distributional estimators do not offer, in their own words.
    static func validate(_ options: DiDOptions, name: String) throws {
        if !options.covariates.isEmpty { throw EstimationError("\(name) takes no --covariates (the conditional quantile estimators are not built)") }
        if options.weights != nil { throw EstimationError("\(name) takes no --weights") }
        if !options.extraFixedEffects.isEmpty { throw EstimationError("\(name) takes no --fe") }
        if options.callawaySantAnna.anticipation > 0 { throw EstimationError("\(name) takes no --anticipation") }
        for tau in options.distributional.quantiles where !(tau > 0 && tau < 1) {
            throw EstimationError("--quantiles: \(tau) is not inside (0, 1)")
        }
    }

    /// Changes-in-changes identifies quantile effects of continuous outcomes; a discrete outcome (a
    /// head count) would need the paper's bounds (§4), which are not built. Discrete here: whole
    /// numbers only, with fewer distinct values than a quarter of the observations (many ties);
    /// sales recorded in whole currency units take nearly as many values as rows and pass.
    static func refuseWholeNumbers(_ outcome: OutcomeColumn, source: String) throws {
        let values = outcome.values.filter { $0.isFinite }
        guard !values.isEmpty, values.allSatisfy({ $0 == $0.rounded() }) else { return }
        let distinct = Set(values).count
        guard distinct * 4 < values.count else { return }
        throw EstimationError("\(source): '\(outcome.name)' is discrete (whole numbers, \(distinct) distinct values in \(values.count) observations, such as a head count): changes-in-changes identifies effects of continuous outcomes (Athey & Imbens 2006, §4, give bounds for discrete ones, not built here); use --estimator qdid or qtt, or a continuous outcome")
    }

    /// Every cell's effects, then every aggregate's, under `counts` (row-major, width 1 + quantiles).
    static func allEffects<Method: DistributionalMethod>(method: Method, prepared: [Method.Prepared], samples: [SortedSample],
                                                         cells: [DistributionalCell], aggregation: DistributionalAggregation,
                                                         quantiles: [Double], counts: [Int32]?) -> [Double] {
        // Each distinct sample's running weights once per draw, shared by the cells that read it.
        let weighted = samples.map { $0.weighted(counts) }
        var effects = [Double]()
        effects.reserveCapacity(cells.count * (quantiles.count + 1))
        var sizes = [Double]()
        for (index, cell) in cells.enumerated() {
            effects += method.effects(prepared[index], samples: weighted, counts: counts, quantiles: quantiles)
            sizes.append(counts.map { counts in cell.treated.reduce(0.0) { $0 + Double(counts[Int($1)]) } } ?? Double(cell.treated.count))
        }
        var entrySizes = [Double]()
        return effects + aggregation.aggregate(effects, width: quantiles.count + 1, cellSizes: sizes, entrySizes: &entrySizes)
    }

    /// The estimates' descriptions, in the order `allEffects` computes them.
    static func layout(cells: [DistributionalCell], aggregation: DistributionalAggregation, quantiles: [Double], panel: UnitPanel,
                       point: [Double]) -> [StaggeredEstimate] {
        var estimates = [StaggeredEstimate]()
        let levels: [Double?] = [nil] + quantiles.map { Optional($0) }
        for cell in cells {
            for level in levels {
                estimates.append(StaggeredEstimate(kind: .attGT, eventTime: cell.eventTime, group: cell.group, time: cell.time, estimate: point[estimates.count],
                                                   treatedUnits: cell.treated.count, cohortCount: 1, controlUnits: cell.controls.count, quantile: level))
            }
        }
        for entry in aggregation.entries {
            let members = entry.entries.isEmpty || entry.entries == [-1] ? entry.cells : []
            let groups = Set((entry.entries == [-1] ? entry.cells.compactMap { aggregation.entries[$0].group } : members.map { cells[$0].group })
                + (entry.entries.isEmpty || entry.entries == [-1] ? [] : entry.entries.flatMap { aggregation.entries[$0].cells.map { cells[$0].group } }))
            let treated = groups.reduce(0) { total, g in total + panel.cohorts.filter { $0 == g }.count }
            for level in levels {
                estimates.append(StaggeredEstimate(kind: entry.kind, eventTime: entry.eventTime, group: entry.group, estimate: point[estimates.count],
                                                   treatedUnits: treated, cohortCount: groups.count, quantile: level))
            }
        }
        return estimates
    }
}
