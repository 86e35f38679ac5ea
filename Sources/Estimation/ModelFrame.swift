import Formula
import Inference
import LinearAlgebra
import PanelData

/// The numbers a regression works on: response, design columns, weights, fixed effects and
/// cluster variables, aligned over the observations kept after dropping missing values and
/// singletons.
public struct ModelFrame: Sendable {
    /// The formula as parsed.
    public let formula: ModelFormula
    /// The response's display name.
    public let responseName: String
    /// The response, one value per kept observation.
    public var response: [Double]
    /// The design (N × k), one column per regressor, intercept first when present.
    public var design: Matrix
    /// The regressors' fixest-style names.
    public let columnNames: [String]
    /// Observation weights, or `nil`.
    public let weights: [Double]?
    /// The fixed effects to absorb.
    public let fixedEffects: [Factor]
    /// Cluster variables requested by the caller, aligned with the observations.
    public let clusterVariables: [ClusterVariable]
    /// The rows read, kept and dropped by reason (missing, non-finite, undefined transformations,
    /// zero weight, singletons): what every fit's accounting starts from.
    public let sampleAccounting: SampleAccounting
    /// What the design needs a reader to know, one sentence each: the reference levels chosen for
    /// `i()` terms written without `ref`, and columns a term repeats from an earlier one.
    public var designNotes: [String] = []
    /// The table row each observation came from (fixest's `obs_selection`), so that estimators
    /// built on a fit can map its observations back to their data (the extended TWFE's cells).
    public var sourceRows: [Int] = []

    /// The number of observations kept.
    public var observationCount: Int { response.count }
}

/// Options for building a model frame.
public struct ModelFrameOptions: Sendable {
    /// Name of the weights column, if any.
    public var weights: String?
    /// Columns to carry as cluster variables.
    public var clusters: [String]
    /// Remove fixed-effect singletons recursively (fixest 0.13's default).
    public var removeSingletons: Bool
    /// The memory the design may take; nil for this machine's (see `MemoryBudget`).
    public var memoryBudget: MemoryBudget?
    /// Build a frame without rows when every row is dropped, instead of refusing: one partition
    /// of a fit across partitions (`quipu partial`) may have none left, while the whole data do.
    public var allowsEmptySample = false

    /// Creates options.
    public init(weights: String? = nil, clusters: [String] = [], removeSingletons: Bool = true, memoryBudget: MemoryBudget? = nil) {
        self.weights = weights
        self.clusters = clusters
        self.removeSingletons = removeSingletons
        self.memoryBudget = memoryBudget
    }
}

extension ModelFrame {
    /// Builds the frame from a table. The table is consumed so that its columns can be released as
    /// they are turned into the design, keeping peak memory near the size of the columns used.
    public init(table: consuming DataTable, formula: ModelFormula, options: ModelFrameOptions = .init())
        throws(EstimationError)
    {
        var source = TableColumns(table: table)
        let needed = formula.variables.union(options.clusters).union(options.weights.map { [$0] } ?? [])
        for name in needed.sorted() { try source.requireColumn(name) }

        try Self.checkDesignMemory(formula: formula, source: source, budget: options.memoryBudget ?? .machine)
        var exclusions = RowExclusions(rowCount: source.rowCount)
        var response = try source.evaluate(formula.response, exclusions: &exclusions)

        var columns = [[Double]]()
        var names = [String]()
        if formula.hasInterceptColumn {
            columns.append([Double](repeating: 1, count: source.rowCount))
            names.append("(Intercept)")
        }
        // `i(f)` without `ref` leaves out f's first level when the model has an intercept or fixed
        // effects (or an earlier such term already spans the constant), as fixest and pyfixest do;
        // which level that is depends on the estimation sample, so it is chosen after the drops.
        var spansConstant = formula.hasIntercept || !formula.fixedEffects.isEmpty
        var positionOfName = [String: Int]()
        for (position, name) in names.enumerated() { positionOfName[name] = position }
        var automaticReferences = [AutomaticReference]()
        var designNotes = [String]()
        for term in formula.fixestOrderedTerms {
            let start = columns.count
            var positions = [Int](), repeated = [String]()
            for (name, column) in try source.expand(term, exclusions: &exclusions) {
                // A column named like an earlier one is the same column (`i(f, ref = 2) + i(f, ref = 1)`
                // both give f::0): fixest's model matrix holds it once, and so does this one, with a note.
                if let earlier = positionOfName[name] {
                    positions.append(earlier)
                    repeated.append(name)
                    continue
                }
                positionOfName[name] = columns.count
                positions.append(columns.count)
                columns.append(column)
                names.append(name)
            }
            if !repeated.isEmpty {
                designNotes.append("\(term.name): \(Self.listed(repeated)) \(repeated.count == 1 ? "repeats a column" : "repeat columns") of an earlier term, estimated once")
            }
            if case let .indicator(indicator) = term, indicator.references.isEmpty, indicator.interaction == nil {
                if spansConstant {
                    automaticReferences.append(AutomaticReference(term: indicator.name, positions: positions, newColumns: start..<columns.count))
                }
                spansConstant = true
            }
        }
        var weights: [Double]? = nil
        if let weightName = options.weights {
            let values = try source.numeric(weightName, exclusions: &exclusions)
            for (index, value) in values.enumerated() where exclusions.isKept(index) {
                if value < 0 {
                    throw EstimationError("\(source.source): weight column '\(weightName)' has a negative value \(value) at data row \(index + 1)")
                }
                if value == 0 { exclusions.markZeroWeight(index) }
            }
            weights = values
        }
        var fixedEffects = [Factor]()
        for effect in formula.fixedEffects {
            fixedEffects.append(try source.factor(for: effect.variables, name: effect.name, exclusions: &exclusions))
        }
        var clusterFactors = [Factor]()
        for name in options.clusters {
            clusterFactors.append(try source.factor(for: [name], name: name, exclusions: &exclusions))
        }
        let rowsRead = source.rowCount
        source.releaseAll()

        let dropped = exclusions.counts
        let rowValid = exclusions.keepMask
        var keep: [Bool]? = exclusions.keptCount == rowsRead ? nil : rowValid
        if keep != nil {
            fixedEffects = fixedEffects.map { $0.subset(rowValid) }
        }
        var singletons = 0
        if options.removeSingletons, let singletonKeep = Singletons.keepMask(for: fixedEffects) {
            singletons = singletonKeep.reduce(0) { $0 + ($1 ? 0 : 1) }
            fixedEffects = fixedEffects.map { $0.subset(singletonKeep) }
            keep = Self.compose(keep, singletonKeep)
        }
        if let keep {
            response = Self.select(response, keep)
            columns = columns.map { Self.select($0, keep) }
            weights = weights.map { Self.select($0, keep) }
            clusterFactors = clusterFactors.map { $0.subset(keep) }
        }
        guard !response.isEmpty || options.allowsEmptySample else {
            var reasons = ["\(dropped.missing) with missing values", "\(dropped.nonFinite) non-finite (inf or beyond the double range)"]
            reasons += dropped.undefinedTransforms.map { "\($0.reason): \($0.rows)" }
            reasons += ["\(dropped.zeroWeight) with zero weight", "\(singletons) singletons"]
            throw EstimationError("every row was dropped (" + reasons.joined(separator: ", ") + "): no observations left to fit")
        }
        var referenceNotes = [String]()
        // A term that repeats an earlier one entirely (`i(f) + i(f)`) adds nothing: its note on the
        // repeated columns says so.
        for reference in automaticReferences.reversed() where !reference.newColumns.isEmpty {
            // The first level present in the sample: a level seen only in dropped rows is no level.
            guard let position = reference.positions.first(where: { columns[$0].contains { $0 != 0 } }) else { continue }
            let level = names[position].split(separator: "::", maxSplits: 1).last.map(String.init) ?? names[position]
            guard reference.newColumns.contains(position) else {
                // fixest leaves out this level, which an earlier term already estimates: nothing of
                // this term is left out, and its level collinear with the constant is dropped by the
                // collinearity check in formula order, as in fixest.
                referenceNotes.insert("\(reference.term): no reference level left out, since its first level, \(level), is estimated by an earlier term (a level collinear with the constant is dropped as collinear, as fixest does)", at: 0)
                continue
            }
            referenceNotes.insert("\(reference.term): reference level \(level) (its first level, left out as fixest does; give ref = to choose another)", at: 0)
            columns.remove(at: position)
            names.remove(at: position)
        }
        let rows = response.count
        var storage = [Double]()
        storage.reserveCapacity(rows * columns.count)
        for index in columns.indices {
            storage.append(contentsOf: columns[index])
            columns[index] = []
        }
        self.formula = formula
        self.responseName = formula.response.name
        self.response = response
        self.design = Matrix(rows: rows, columns: names.count, values: storage)
        self.columnNames = names
        self.weights = weights
        self.fixedEffects = fixedEffects
        self.clusterVariables = clusterFactors.map { ClusterVariable(name: $0.name, codes: $0.codes, count: $0.levelCount) }
        self.sampleAccounting = SampleAccounting(rowsRead: rowsRead, rowsUsed: rows, missing: dropped.missing, nonFinite: dropped.nonFinite,
                                                 undefinedTransforms: dropped.undefinedTransforms, zeroWeight: dropped.zeroWeight,
                                                 singletons: singletons)
        self.designNotes = referenceNotes + designNotes
        self.sourceRows = keep.map { mask in mask.indices.filter { mask[$0] } } ?? Array(0..<rowsRead)
    }

    /// An `i()` term whose reference level is chosen automatically: the design positions of its
    /// columns in level order (an earlier term's where it repeats one), and the columns it added.
    private struct AutomaticReference {
        let term: String
        let positions: [Int]
        let newColumns: Range<Int>
    }

    /// Column names for a note: all of them up to six, else the first five and how many more.
    static func listed(_ names: [String]) -> String {
        names.count <= 6 ? names.joined(separator: ", ") : names.prefix(5).joined(separator: ", ") + " and \(names.count - 5) more"
    }

    /// Refuses, before any column is built, a formula whose `i()` terms would make a design larger
    /// than the memory budget, with the figure and the alternative (absorb the factor).
    static func checkDesignMemory(formula: ModelFormula, source: TableColumns, budget: MemoryBudget) throws(EstimationError) {
        var columnCount = formula.hasInterceptColumn ? 1 : 0
        var indicators = [(indicator: Indicator, columns: Int)]()
        for term in formula.terms {
            let count = try source.plannedColumnCount(term)
            columnCount += count
            if case let .indicator(indicator) = term { indicators.append((indicator, count)) }
        }
        guard let largest = indicators.max(by: { $0.columns < $1.columns }) else { return }
        let bytes = MemoryBudget.leastSquaresBytes(rows: source.rowCount, columns: columnCount)
        guard !budget.allows(bytes) else { return }
        let factor = Formula.Expression.displayName(of: largest.indicator.factor)
        let alternative = largest.indicator.interaction == nil
            ? "absorb '\(largest.indicator.factor)' as a fixed effect instead (drop \(largest.indicator.name) and add \(factor) after '|'), which adds no columns"
            : "group the levels of '\(largest.indicator.factor)' into fewer, or absorb it as a fixed effect and drop the interaction"
        throw EstimationError("\(largest.indicator.name) adds \(largest.columns) indicator columns: a design of \(columnCount) columns over \(source.rowCount) rows needs about \(MemoryBudget.describe(bytes)) of memory to fit, more than the \(budget.summary); \(alternative)")
    }

    /// Keeps `values[i]` where `keep[i]`.
    static func select<T>(_ values: [T], _ keep: [Bool]) -> [T] {
        var result = [T]()
        result.reserveCapacity(values.count)
        for index in values.indices where keep[index] { result.append(values[index]) }
        return result
    }

    /// Composes a first selection (over all rows) with a second (over the rows the first kept).
    static func compose(_ first: [Bool]?, _ second: [Bool]) -> [Bool] {
        guard let first else { return second }
        var result = first
        var position = 0
        for index in first.indices where first[index] {
            result[index] = second[position]
            position += 1
        }
        return result
    }
}
