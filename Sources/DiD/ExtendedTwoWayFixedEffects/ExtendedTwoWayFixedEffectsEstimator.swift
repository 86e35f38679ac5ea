// Wooldridge's extended two-way fixed effects (ETWFE): Wooldridge (2021), "Two-way fixed effects,
// the two-way Mundlak regression, and difference-in-differences estimators" (Empirical Economics
// 2025), and Wooldridge (2023), "Simple approaches to nonlinear difference-in-differences with
// panel data" (Econometrics Journal 26(3)). Peers: Stata `jwdid`, R `etwfe`, diff-diff's
// `WooldridgeDiD` (the reference of Tests/Fixtures/etwfe).
//
// Goals, in order:
// 1. One indicator per cohort × period cell with treated observations (post-treatment cells; with
//    never-treated controls every cell but the cohort's last untreated period g − 1, so the leads
//    give the event study), unit and period fixed effects, fitted by the landed `feols`/`fepois`
//    through `DiDDesign.fit` (no second solver). For Poisson the periods enter as dummies beside
//    the unit fixed effects, so that their covariance is in the sandwich the delta method needs.
// 2. Cell effects as average effects on the treated: the coefficient for least squares; for
//    Poisson the mean over the cell's treated observations of μ̂ − μ̂·exp(−δ̂) (Wooldridge 2023,
//    eq. 3.15). Aggregates (simple, group, dynamic, calendar) weight cells by their observations,
//    as `jwdid_estat`; their covariance is the delta method on the cluster-robust covariance.
// 3. For Poisson every aggregate also as a log ratio of means over its treated cells,
//    log(ΣY / ΣŶ₀), with the percent change exp(·) − 1 (Chen & Roth 2024).
// 4. The rules of `fepois` for what cannot be estimated: all-zero units and separated cells are
//    dropped by the fit itself, counted, and named; cohorts without an untreated period and periods
//    without an untreated comparison are left out before it, and said.

import Estimation
import Inference
import LinearAlgebra
import PanelData
import Primitives

/// The extended TWFE: a cohort × period saturated regression and its average effects on the treated.
struct ExtendedTwoWayFixedEffectsEstimator: DiDEstimator {
    var id: StaggeredEstimator { .etwfe }

    /// One cohort × period cell: its indicator's name and the rows it covers.
    struct Cell {
        let group: Int
        let time: Int
        let name: String
        /// The cell's rows in the fit.
        var rows: [Int]
        /// Poisson: the cell's rows of units whose outcome is zero throughout, which the fit leaves
        /// out (α̂ᵢ = −∞, μ̂ = 0) but the average effect on the treated counts, with effect 0.
        var allZeroRows: [Int] = []
        var eventTime: Int { time - group }
        /// The treated observations the cell's effect averages over, and its weight in the aggregates.
        var size: Int { rows.count + allZeroRows.count }
    }

    func estimate(_ design: DiDDesign) throws -> DiDEffectSet {
        let options = design.options
        let structure = design.timing.structure
        let outcome = design.outcomeColumn.values
        let name = design.outcomeColumn.name
        guard options.weights == nil else {
            throw PanelError("--estimator etwfe is unweighted for now: drop --weights")
        }
        // The least-squares fit adds --fe to its unit and period effects (DiDDesign.fit); the
        // Poisson and logit fits enter periods as regressors or cells of their own, so they take none.
        guard options.extraFixedEffects.isEmpty || options.model == .linear else {
            throw PanelError("--estimator etwfe takes --fe with --model linear only; its \(options.model.rawValue) fit has unit and period effects only: drop --fe, or use --model linear")
        }
        if options.model == .poisson, let row = outcome.indices.first(where: { outcome[$0] < 0 }) {
            throw PanelError("\(structure.source): --model poisson needs a non-negative outcome, but '\(name)' is \(NumberFormat.short4g(outcome[row])) in row \(row + 1)")
        }
        let never = options.callawaySantAnna.control == .never
        var usable = outcome.map { !$0.isNaN }
        var drops = design.outcomeColumn.drops()
        var notes = [Diagnostic]()
        func cohort(_ row: Int) -> Int? { structure.cohorts[Int(structure.unitCodes[row])] }
        let covariates = try covariateValues(design: design, usable: &usable, drops: &drops)
        func drop(_ rows: [Int], reason: String) {
            let counted = rows.filter { usable[$0] }
            guard !counted.isEmpty else { return }
            for row in counted { usable[row] = false }
            drops.append(.init(reason: reason, rows: counted.count, units: Set(counted.map { structure.unitCodes[$0] }).count))
        }
        // Periods where no untreated observation can serve as the comparison (with not-yet-treated
        // controls, rows before their cohort's start count; with never-treated ones, only those).
        let periods = structure.periodValues
        var compared = Set<Int>()
        for row in 0..<structure.rowCount where usable[row] {
            let t = structure.periods[row]
            if let g = cohort(row) { if !never && t < g { compared.insert(t) } } else { compared.insert(t) }
        }
        let uncompared = periods.filter { !compared.contains($0) }
        if !uncompared.isEmpty {
            drop((0..<structure.rowCount).filter { !compared.contains(structure.periods[$0]) },
                 reason: "period without an untreated comparison (\(uncompared.map(String.init).joined(separator: ", ")))")
        }
        // Each cohort's reference: its last observed period before the start of support.
        var reference = [Int: Int]()
        for row in 0..<structure.rowCount where usable[row] {
            guard let g = cohort(row), structure.periods[row] < g else { continue }
            reference[g] = max(reference[g] ?? Int.min, structure.periods[row])
        }
        let unidentified = design.timing.cohorts.filter { reference[$0] == nil }
        if !unidentified.isEmpty {
            drop((0..<structure.rowCount).filter { cohort($0).map(unidentified.contains) ?? false },
                 reason: "cohort without an untreated period (\(unidentified.map(String.init).joined(separator: ", ")))")
            notes.append(Diagnostic(.design, .note, "cohort(s) \(unidentified.map(String.init).joined(separator: ", ")) have no observed period before support: their effects are not identified and their rows are left out"))
        }
        var cellsByKey = [Int: Cell]()
        for row in 0..<structure.rowCount where usable[row] {
            guard let g = cohort(row), let ref = reference[g] else { continue }
            let t = structure.periods[row]
            guard t >= g || (never && t != ref) else { continue }
            let key = g * 100_000 + t
            cellsByKey[key, default: Cell(group: g, time: t, name: "etwfe_\(Self.termPart(g))_\(Self.termPart(t))", rows: [])].rows.append(row)
        }
        let requested = cellsByKey.keys.sorted().compactMap { cellsByKey[$0] }
        guard !requested.isEmpty else {
            throw PanelError("\(structure.source): no cohort × period cell has an untreated comparison (\(never ? "never-treated units" : "never- or not-yet-treated units") observed in the same period, and a period before support for the cohort): --estimator etwfe has nothing to estimate")
        }
        try StaggeredCellBudget.checkSunAbraham(cells: requested.count, rows: structure.rowCount, cohorts: Set(requested.map(\.group)).count)
        if options.model == .logit {
            // Perfectly predicted cells, cohorts and periods first (+LogitSeparation.swift).
            try Self.requireBinary(outcome, usable: usable, name: name, source: structure.source)
            let separation = Self.logitSeparation(cells: requested, usable: usable, outcome: outcome, structure: structure)
            guard !separation.cells.isEmpty else {
                throw PanelError("\(structure.source): --model logit: every cohort × period cell of '\(name)' is perfectly predicted (all 0 or all 1, or its cohort's or period's comparison rows are): no effect can be estimated")
            }
            notes += separation.notes
            drops += separation.drops
            let logit = try logitEffects(cells: separation.cells, usable: separation.usable, design: design, covariates: covariates,
                                         centred: centredCovariates(covariates, usable: separation.usable, structure: structure))
            let units = Set(logit.rows.map { structure.unitCodes[$0] })
            return try effectSet(logit.effects, cells: separation.cells, units: units, observations: logit.rows.count, clusters: logit.clusterCount,
                                 degreesOfFreedom: FewClusters.degreesOfFreedom(clusters: logit.clusterCount),
                                 inference: InferenceDescription(method: "logit with cohort and period effects, \(never ? "never-treated" : "not-yet-treated") controls; delta method on the covariance cluster:\(design.options.covariance.clusterVariables.joined(separator: ",")), cell-size weights"),
                                 notes: notes, drops: drops, design: design)
        }
        let controls = never ? "never-treated controls" : "not-yet-treated controls"
        // Poisson without covariates: the fit on group × period totals (+CollapsedPoisson.swift),
        // equal to the dense fit below, which stays for covariates and as its reference.
        if options.model == .poisson, covariates.isEmpty, options.etwfePoissonCollapse,
           let collapsed = try collapsedPoisson(requested: requested, periodDummies: periods.dropFirst().filter { compared.contains($0) },
                                                usable: usable, design: design) {
            notes += collapsed.notes.map { Diagnostic(.separation, .warning, $0) }
            if !collapsed.lost.isEmpty { notes.append(Self.lostCellsNote(collapsed.lost)) }
            return try effectSet(collapsed.effects, cells: collapsed.cells.map(\.cell), units: collapsed.units,
                                 observations: collapsed.observations, clusters: collapsed.clusters,
                                 degreesOfFreedom: FewClusters.degreesOfFreedom(clusters: collapsed.clusters),
                                 inference: InferenceDescription(method: "Poisson (fepois) with unit and period effects, \(controls); delta method on the covariance \(options.covariance.description), cell-size weights"),
                                 notes: notes, drops: drops + Self.fitDrops(allZeroRows: collapsed.allZeroRows, allZeroUnits: collapsed.allZeroUnits,
                                                                            separated: collapsed.separatedRows, singletons: collapsed.singletonRows),
                                 design: design)
        }
        var extra = [(String, Column)]()
        func indicator(_ rows: [Int]) -> Column {
            var column = [Double](repeating: 0, count: structure.rowCount)
            for row in 0..<structure.rowCount where !usable[row] { column[row] = .nan }
            for row in rows { column[row] = 1 }
            return .numeric(column)
        }
        func product(_ rows: [Int], _ values: [Double]) -> Column {
            guard case var .numeric(column) = indicator(rows) else { return indicator(rows) }
            for row in rows { column[row] = values[row] }
            return .numeric(column)
        }
        let centred = centredCovariates(covariates, usable: usable, structure: structure)
        var terms = [String]()
        var blockNames = [String: [String]]()
        for cell in requested {
            extra.append((cell.name, indicator(cell.rows)))
            terms.append(cell.name)
            blockNames[cell.name] = [cell.name]
            for (j, covariate) in covariates.enumerated() {
                let name = "\(cell.name)_x_\(covariate.name)"
                extra.append((name, product(cell.rows, centred[j])))
                terms.append(name)
                blockNames[cell.name, default: []].append(name)
            }
        }
        // Periods as dummies (the first left out) beside the unit fixed effects for Poisson; the
        // covariates' period interactions for both.
        for t in periods.dropFirst() where compared.contains(t) {
            let rows = (0..<structure.rowCount).filter { structure.periods[$0] == t }
            if options.model == .poisson {
                extra.append(("etwfe_period_\(Self.termPart(t))", indicator(rows)))
                terms.append("etwfe_period_\(Self.termPart(t))")
            }
            for covariate in covariates {
                extra.append(("etwfe_period_\(Self.termPart(t))_x_\(covariate.name)", product(rows, covariate.values)))
                terms.append("etwfe_period_\(Self.termPart(t))_x_\(covariate.name)")
            }
        }
        var fitOptions = options
        fitOptions.covariates = []  // entered above through their interactions; alone, the unit effects absorb them
        let fitted = try design.fit(formulaTerms: terms, options: fitOptions, periodEffects: options.model == .linear, extraColumns: extra)
        let fit = fitted.fit
        // Typed: Poisson's drops (all-zero units, separated cells) are the separation warnings.
        notes += fitted.covariance.notes.map { Diagnostic(.note, .note, $0) }
        notes += fit.notes.map { Diagnostic(.separation, .warning, $0) }
        // Cells as the fit used them: its observations, and an estimate. Poisson's all-zero units
        // stay in their cells' averages (Wooldridge 2023 averages over every treated unit, as the
        // cohort-dummy fits of jwdid and diff-diff do; unit effects drop them from the fit only).
        let used = Set(fit.core.sourceRows)
        var unitTotals = [Int32: Double]()
        if options.model == .poisson {
            for row in 0..<structure.rowCount where usable[row] { unitTotals[structure.unitCodes[row], default: 0] += outcome[row] }
        }
        func allZero(_ row: Int) -> Bool { !used.contains(row) && unitTotals[structure.unitCodes[row]] == 0 }
        let coefficientIndex = Dictionary(uniqueKeysWithValues: fit.coefficientNames.enumerated().map { ($1, $0) })
        var cells = [(cell: Cell, index: Int)]()
        var lost = [Cell]()
        for cell in requested {
            var kept = cell
            kept.rows = cell.rows.filter(used.contains)
            kept.allZeroRows = cell.rows.filter(allZero)
            if let index = coefficientIndex[cell.name], !kept.rows.isEmpty { cells.append((kept, index)) } else { lost.append(cell) }
        }
        if !lost.isEmpty { notes.append(Self.lostCellsNote(lost)) }
        guard !cells.isEmpty else { throw Self.nothingLeft(structure.source) }
        // Each kept cell's treatment block: its coefficient and those of its covariate products
        // (a product the fit dropped as collinear counts as zero).
        let columnByName = Dictionary(extra.map { ($0.0, $0.1) }, uniquingKeysWith: { first, _ in first })
        let blocks: [[(index: Int, values: [Double])]] = cells.map { entry in
            (blockNames[entry.cell.name] ?? []).compactMap { name in
                guard let index = coefficientIndex[name], case let .numeric(values)? = columnByName[name] else { return nil }
                return (index, values)
            }
        }
        let cr2 = options.model == .linear && options.cr2Covariance ? try design.cr2Covariance(fitted) : nil
        let effects = try options.model == .linear
            ? linearEffects(cells: cells, blocks: blocks, fitted: fitted, covariance: cr2?.matrix ?? fitted.covariance.matrix)
            : try poissonEffects(cells: cells, blocks: blocks, fitted: fitted, design: design, extraColumns: extra,
                                 allZeroUnitRows: (0..<structure.rowCount).filter { usable[$0] && allZero($0) })
        let sampleDrops = drops + Self.fitDrops(allZeroRows: fit.sample.allZeroGroups, allZeroUnits: unitTotals.values.filter { $0 == 0 }.count,
                                                separated: fit.sample.separated, singletons: fit.sample.singletons)
        let method = options.model == .linear ? "least squares" : "Poisson (fepois)"
        let clusters = effects.clusterCount ?? fitted.covariance.clusterCounts.min()
        return try effectSet(effects, cells: cells.map(\.cell), units: Set(fit.core.sourceRows.map { structure.unitCodes[$0] }),
                             observations: fit.observationCount, clusters: clusters,
                             degreesOfFreedom: effects.clusterCount.map { FewClusters.degreesOfFreedom(clusters: $0) }
                                 ?? (fitted.degreesOfFreedom.isFinite ? fitted.degreesOfFreedom : nil),
                             inference: InferenceDescription(method: "\(method) with unit and period effects\(options.extraFixedEffects.map { " + " + $0 }.joined()), \(controls); delta method on the covariance \(cr2?.method ?? fitted.covariance.type.description), cell-size weights"),
                             notes: notes, drops: sampleDrops, design: design)
    }

    /// The effect set: cells and aggregates with their covariance, the pre-trend test on the leads
    /// (never-treated controls), and the sample.
    func effectSet(_ effects: CellEffects, cells: [Cell], units: Set<Int32>, observations: Int, clusters: Int?, degreesOfFreedom: Double?,
                   inference: InferenceDescription, notes: [Diagnostic], drops: [StaggeredSample.Drop], design: DiDDesign) throws -> DiDEffectSet {
        let structure = design.timing.structure
        // The treated units of each cohort the effects average over: the fit's, and (Poisson) the
        // all-zero units of the treated cells.
        let averaged = units.union(cells.flatMap { $0.allZeroRows.map { structure.unitCodes[$0] } })
        let unitsPerCohort = Dictionary(grouping: averaged.compactMap { structure.cohorts[Int($0)] }, by: { $0 }).mapValues(\.count)
        let assembled = try assemble(effects, cells: cells, unitsPerCohort: unitsPerCohort, poisson: design.options.model == .poisson)
        func result(_ kept: [Int]) -> StaggeredResult {
            StaggeredResult(estimator: .etwfe, estimates: kept.map { assembled.estimates[$0] },
                            covariance: assembled.covariance.selecting(rows: kept, columns: kept),
                            degreesOfFreedom: degreesOfFreedom, inference: inference,
                            observationCount: observations, clusterCount: clusters, notes: notes)
        }
        let all = result(Array(assembled.estimates.indices))
        let leads = assembled.estimates.indices.filter { assembled.estimates[$0].kind == .dynamic && (assembled.estimates[$0].eventTime ?? 0) < -1 }
        let pretrend = all.leadTest(candidates: leads, description: "event-time effects before −1 are zero")
        // `--aggregate`: the cells and the aggregations asked for, as Callaway–Sant'Anna reports them;
        // the pre-trend test above reads the leads whichever aggregations are shown.
        let wanted = design.options.aggregations
        let kept = assembled.estimates.indices.filter { index in
            guard let kind = StaggeredAggregation(rawValue: assembled.estimates[index].kind.rawValue) else { return true }
            return wanted.contains(.all) || wanted.contains(kind)
        }
        let reported = (kept.count == assembled.estimates.count ? all : result(kept)).withPretrend(pretrend)
        let sample = StaggeredSample(rowsRead: structure.rowCount, rows: observations, units: units.count,
                                     unitsPerCohort: StaggeredSample.cohortCounts(units.map { structure.cohorts[Int($0)] }),
                                     drops: drops, panel: "all observed unit-periods (unbalanced panels allowed)")
        return DiDEffectSet(result: reported, sample: sample)
    }
}

extension ExtendedTwoWayFixedEffectsEstimator {
    /// The fit's drops, in firm-years: all-zero units (fepois drops their unit-effect groups),
    /// separated observations, singletons.
    static func fitDrops(allZeroRows: Int, allZeroUnits: Int, separated: Int, singletons: Int) -> [StaggeredSample.Drop] {
        var drops = [StaggeredSample.Drop]()
        if allZeroRows > 0 {
            drops.append(.init(reason: "Poisson: units whose outcome is zero throughout (out of the fit; in the treated cells' averages with effect 0)",
                               rows: allZeroRows, units: allZeroUnits))
        }
        if separated > 0 { drops.append(.init(reason: "Poisson: separated (a cell or period predicts y = 0 perfectly)", rows: separated, units: 0)) }
        if singletons > 0 { drops.append(.init(reason: "singletons (units observed once)", rows: singletons, units: 0)) }
        return drops
    }

    static func lostCellsNote(_ lost: [Cell]) -> Diagnostic {
        Diagnostic(.collinear, .warning, "cohort × period cell(s) without an estimate (no observation left after the fit's drops, or collinear with the fixed effects): " + lost.map { "(\($0.group), \($0.time))" }.joined(separator: ", "))
    }

    static func nothingLeft(_ source: String) -> PanelError {
        PanelError("\(source): no cohort × period cell is left with an estimate after the fit's drops: --estimator etwfe has nothing to estimate")
    }

    /// A cohort or period as part of a regressor's name: the formula parser would read the minus
    /// of a negative period ("etwfe_2_-1") as a subtraction, so negatives are written "m1".
    static func termPart(_ value: Int) -> String { value < 0 ? "m\(-value)" : "\(value)" }
}
