import Foundation
import Estimation
import Formula
import Inference
import PanelData

/// The derived variables of a DiD analysis (treatment indicator, event time, 2x2 groups) beside
/// the user's columns, and the regressions run on them.
struct DiDDesign {
    /// A fitted regression with its covariance.
    struct FittedModel {
        let fit: RegressionFit
        let covariance: CovarianceEstimate
        var notes: [String] {
            covariance.notes + fit.notes + (fit.collinearNames.isEmpty ? [] : ["dropped as collinear: " + fit.collinearNames.joined(separator: ", ")])
        }
        /// Degrees of freedom of the reference t distribution: G − 1 when clustered, least squares
        /// or Poisson alike (FewClusters); otherwise N − K, or the normal for Poisson (as fixest).
        var degreesOfFreedom: Double {
            // A clustered covariance carries G − 1 already (CovarianceEstimator, for both fits).
            covariance.clusterCounts.isEmpty && fit.isPoisson ? .infinity : covariance.degreesOfFreedom
        }
    }

    /// Event time given to never-treated units: a level excluded from the indicators, so that these
    /// units serve as the control group of the event study (fixest's usual coding).
    static let neverTreatedEventTime = -1_000_000.0

    let timing: TreatmentTiming
    let options: DiDOptions
    let source: String
    let rowCount: Int
    /// The table the design was built from (for estimators that need other views of it).
    let sourceTable: DataTable
    /// The outcome evaluated once, with why each unusable row is unusable.
    let outcomeColumn: OutcomeColumn
    let unitName: String, timeName: String
    let treatedName: String, eventTimeName: String, groupName: String, postName: String
    private var columns: [(String, Column)]

    init(table: DataTable, timing: TreatmentTiming, options: DiDOptions) throws {
        let structure = timing.structure
        self.timing = timing
        self.options = options
        self.source = table.source
        self.rowCount = table.rowCount
        self.sourceTable = table
        self.outcomeColumn = try OutcomeColumn(outcome: options.outcome, table: table)
        self.unitName = structure.unitName
        self.timeName = structure.timeName
        let taken = Set(table.names)
        func fresh(_ base: String) -> String {
            var name = base
            while taken.contains(name) { name = "." + name }
            return name
        }
        treatedName = fresh("treated")
        eventTimeName = fresh("event_time")
        groupName = fresh("treated_group")
        postName = fresh("post")

        var columns: [(String, Column)] = []
        func copy(_ name: String) throws {
            guard !columns.contains(where: { $0.0 == name }) else { return }
            guard let column = table.column(named: name) else {
                let hint = table.closestNames(to: name, limit: 3)
                throw PanelError("\(table.source): no column named '\(name)'" + (hint.isEmpty ? "" : "; did you mean " + hint.map { "'\($0)'" }.joined(separator: ", ") + "?"))
            }
            columns.append((name, column))
        }
        // The outcome may be an expression of a column, such as log(sales).
        let outcomeExpression = try ModelFormula.parse("\(options.outcome) ~ 1").response
        for variable in outcomeExpression.variables.sorted() { try copy(variable) }
        for covariate in options.covariates { try copy(covariate) }
        for variable in try options.extraFixedEffectTerms().flatMap(\.variables) { try copy(variable) }
        if let weights = options.weights { try copy(weights) }
        columns.append((structure.unitName, .numeric(structure.unitCodes.map { Double($0) })))
        columns.append((structure.timeName, .numeric(structure.periods.map { Double($0) })))
        for cluster in options.covariance.clusterVariables where cluster != structure.unitName && cluster != structure.timeName {
            try copy(cluster)
        }
        let treated = (0..<table.rowCount).map { structure.isTreated(row: $0) ? 1.0 : 0.0 }
        columns.append((treatedName, .numeric(treated)))
        if options.eventStudy || (options.estimator == .all && timing.neverTreatedCount > 0) {
            columns.append((eventTimeName, .numeric(try Self.eventTimes(structure: structure, options: options))))
        }
        self.columns = columns
    }

    /// Each row's period relative to its unit's cohort, binned into the window's end points;
    /// never-treated units get a sentinel level that the indicators leave out.
    static func eventTimes(structure: PanelStructure, options: DiDOptions) throws(PanelError) -> [Double] {
        var values = [Double](repeating: Self.neverTreatedEventTime, count: structure.rowCount)
        var referenceSeen = false
        var present = Set<Int>()
        for row in 0..<structure.rowCount {
            guard let cohort = structure.cohorts[Int(structure.unitCodes[row])] else { continue }
            var relative = structure.periods[row] - cohort
            if let window = options.window { relative = min(max(relative, window.lowerBound), window.upperBound) }
            values[row] = Double(relative)
            present.insert(relative)
            if relative == options.referencePeriod { referenceSeen = true }
        }
        if let window = options.window, !window.contains(options.referencePeriod) {
            throw PanelError("reference period \(options.referencePeriod) lies outside the window \(window.lowerBound):\(window.upperBound)")
        }
        guard referenceSeen else {
            let range = present.isEmpty ? "none" : "\(present.min() ?? 0) to \(present.max() ?? 0)"
            throw PanelError("\(structure.source): reference period \(options.referencePeriod) has no observations (treated units' relative periods run \(range)); choose another with --ref")
        }
        return values
    }

    /// The relative period an event-study term stands for (`event_time::-3` → −3).
    func eventTime(ofTerm term: String) -> Int? {
        let prefix = eventTimeName + "::"
        guard term.hasPrefix(prefix) else { return nil }
        return Int(term.dropFirst(prefix.count))
    }

    /// The period that splits pre from post for the 2x2 estimate, if one is defined.
    func twoByTwoPeriod() throws(PanelError) -> Int? {
        let periods = timing.structure.periodValues
        if let post = options.postPeriod {
            guard let first = periods.first, let last = periods.last, post > first, post <= last else {
                throw PanelError("--post \(post) must lie after the first period and no later than the last (\(periods.first ?? 0)–\(periods.last ?? 0))")
            }
            return post
        }
        if periods.count == 2, timing.cohorts == [periods[1]] { return periods[1] }
        return nil
    }

    /// The 2x2 group and post indicators.
    func twoByTwoColumns(post: Int) -> [(String, Column)] {
        let structure = timing.structure
        let group = (0..<rowCount).map { structure.isEverTreated(row: $0) ? 1.0 : 0.0 }
        let after = structure.periods.map { $0 >= post ? 1.0 : 0.0 }
        return [(groupName, .numeric(group)), (postName, .numeric(after))]
    }

    /// (ȳ treated, post − ȳ treated, pre) − (ȳ control, post − ȳ control, pre), weighted when
    /// weights are given, over rows with the outcome present.
    func differenceOfMeans(post: Int) throws -> Double {
        let structure = timing.structure
        let outcome = outcomeColumn.values
        var weightValues: [Double]? = nil
        if let name = options.weights, case let .numeric(values)? = columns.first(where: { $0.0 == name })?.1 { weightValues = values }
        var sums = [Double](repeating: 0, count: 4)
        var totals = [Double](repeating: 0, count: 4)
        for row in 0..<rowCount where !outcome[row].isNaN {
            let weight = weightValues?[row] ?? 1
            guard weight.isFinite, weight > 0 else { continue }
            let cell = (structure.isEverTreated(row: row) ? 2 : 0) + (structure.periods[row] >= post ? 1 : 0)
            sums[cell] += weight * outcome[row]
            totals[cell] += weight
        }
        guard totals.allSatisfy({ $0 > 0 }) else {
            throw PanelError("\(source): the 2x2 comparison needs treated and control observations both before and after period \(post)")
        }
        let mean = zip(sums, totals).map { $0 / $1 }
        return (mean[3] - mean[2]) - (mean[1] - mean[0])
    }

    /// Fits `outcome ~ terms + covariates | unit + time` (or without fixed effects) with the
    /// analysis's weights and covariance, by least squares or, with `--model poisson`, by Poisson
    /// pseudo-maximum likelihood.
    /// `periodEffects: false` leaves the period fixed effects out (with `fixedEffects`), for
    /// estimators that enter periods as regressors of their own (the extended TWFE's Poisson fit).
    func fit(formulaTerms: [String], options: DiDOptions, fixedEffects: Bool = true, periodEffects: Bool = true,
             extraColumns: [(String, Column)] = []) throws -> FittedModel
    {
        let all = columns + extraColumns
        let table = DataTable(source: source, names: all.map(\.0), columns: all.map(\.1), rowCount: rowCount)
        let name = { (column: String) in Formula.Expression.displayName(of: column) }
        var right = formulaTerms + options.covariates.map(name)
        if right.isEmpty { right = ["1"] }
        let outcomeText = (try? ModelFormula.parse("\(options.outcome) ~ 1").response.name) ?? name(options.outcome)
        var text = "\(outcomeText) ~ " + right.joined(separator: " + ")
        if fixedEffects {
            text += " | \(name(unitName))" + (periodEffects ? " + \(name(timeName))" : "")
            for term in try options.extraFixedEffectTerms() { text += " + " + term.name }
        }
        let formula = try ModelFormula.parse(text)
        let frame = try ModelFrame(table: table, formula: formula, options: ModelFrameOptions(
            weights: options.weights, clusters: options.covariance.clusterVariables, removeSingletons: true))
        switch options.model {
        case .linear:
            let fit = try LinearModel.fit(frame, options: LinearModelOptions(threads: options.threads))
            return FittedModel(fit: RegressionFit(fit), covariance: try fit.covariance(options.covariance))
        case .poisson:
            let fit = try PoissonModel.fit(frame, options: PoissonModelOptions(threads: options.threads))
            return FittedModel(fit: RegressionFit(fit), covariance: try fit.covariance(options.covariance))
        case .logit:
            throw EstimationError("--model logit is available with --estimator etwfe only")
        }
    }
}
