// Callaway & Sant'Anna (2021) in `quipu did`: the design's panel as one row per unit (UnitPanel:
// balanced, or the unbalanced panel as repeated cross-sections), the covariates and the cluster
// variable, and the notes that say which of did's options it applies and which it cannot.

import Estimation
import PanelData
import Primitives

/// Callaway–Sant'Anna's ATT(g,t) and their aggregations, with influence-function inference
/// (CallawaySantAnna.estimate).
struct CallawaySantAnnaEstimator: DiDEstimator {
    var id: StaggeredEstimator { .callawaySantAnna }

    func estimate(_ design: DiDDesign) throws -> DiDEffectSet {
        let options = design.options
        let table = design.sourceTable
        let structure = design.timing.structure
        var covariates = [(String, Column)]()
        for name in options.covariates {
            guard let column = table.column(named: name) else { throw PanelError("\(table.source): no column named '\(name)'") }
            covariates.append((name, column))
        }
        let (cluster, clusterNotes) = try Self.clusterColumn(design, estimator: "Callaway–Sant'Anna")
        var notes = clusterNotes
        if !options.extraFixedEffects.isEmpty {
            // Asked for alone, it refuses (issue 25): its 2x2 comparisons have no place for further
            // fixed effects, and a silent note let the estimate pass for one with them.
            if options.estimator == .cs {
                throw PanelError("--fe \(options.extraFixedEffects.joined(separator: " + ")): Callaway–Sant'Anna takes no further fixed effects; use --estimator imputation, twostage, etwfe, sunab or twfe, which add them to their unit and period effects")
            }
            notes.append("--fe applies to the regression estimators (TWFE, Sun–Abraham, imputation, two-stage, extended TWFE); Callaway–Sant'Anna conditions on covariates instead")
        }
        let panel = try UnitPanel(structure: structure, outcome: design.outcomeColumn, covariates: covariates, cluster: cluster,
                                  anticipation: options.callawaySantAnna.anticipation, mode: options.panelMode)
        var csOptions = options.callawaySantAnna
        csOptions.threads = options.threads
        csOptions.leaveOutOnGaps = options.leaveOutOnGaps
        var result = options.effect == .proportional
            ? try CallawaySantAnna.estimateProportional(panel: panel, options: csOptions, aggregations: options.aggregations, unitName: structure.unitName)
            : try CallawaySantAnna.estimate(panel: panel, options: csOptions, aggregations: options.aggregations,
                                            bootstrap: options.bootstrap, unitName: structure.unitName)
        var sample = panel.sample
        if !covariates.isEmpty {
            // The same panel without the covariates: the treated units and cohorts they could have kept.
            let available = try UnitPanel(structure: structure, outcome: design.outcomeColumn, covariates: [], cluster: cluster,
                                          anticipation: options.callawaySantAnna.anticipation, mode: options.panelMode)
            if let support = Self.covariateSupport(result, panel: panel, available: available, covariates: options.covariates) {
                sample.covariateSupport = support.support
                result = result.withNotes(support.notes)
            }
        }
        let cs = options.callawaySantAnna
        let method = "ATT(g,t) by \(cs.method.rawValue) 2x2 comparisons with \(cs.control == .never ? "never-treated" : "not-yet-treated") units, \(cs.basePeriod.rawValue) base period" + (cs.anticipation > 0 ? ", anticipation \(cs.anticipation)" : "") + (panel.covariateNames.isEmpty ? "" : ", covariates " + panel.covariateNames.joined(separator: ", "))
        return DiDEffectSet(result: result.withNotes([Diagnostic(.descriptive, .note, method)] + result.notes + notes.map { Diagnostic(.design, .note, $0) }), sample: sample)
    }
}

extension CallawaySantAnnaEstimator {
    /// The cluster column of an influence-function estimator (nil: the unit) and the note when
    /// `--vcov` asks for something these standard errors cannot be.
    static func clusterColumn(_ design: DiDDesign, estimator: String) throws -> (cluster: (String, Column)?, notes: [String]) {
        let table = design.sourceTable
        switch design.options.covariance {
        case .cluster(let variables):
            if variables.count > 1 { throw PanelError("\(estimator) clusters on one variable (the unit or a coarser one such as a region); two-way clustering is not available for it") }
            guard let name = variables.first, name != design.timing.structure.unitName else { return (nil, []) }
            guard let column = table.column(named: name) else { throw PanelError("\(table.source): no column named '\(name)'") }
            return ((name, column), [])
        default:
            return (nil, ["\(estimator)'s standard errors come from unit-level influence functions (clustered by unit); --vcov \(design.options.covariance) applies to the regression estimators only"])
        }
    }
}
