import Formula
import PanelData

/// The loop of a multiple estimation, shared by the estimation commands: every formula of a
/// `MultipleFormula` on every sample of a `SampleSplit`, in fixest's order (sample, then the
/// formula's own order: outcome, fixed effects, regressors).
///
/// The data are read once; each sample is cut from them once, and each model receives only the
/// columns it reads (shared, not copied), to build its own estimation sample as fixest does.
/// The fit is the caller's (feols, fepois), so the loop is written once for every estimator.
public struct MultipleEstimation {
    /// The formulas, from `MultipleFormula.expand`.
    public let formulas: MultipleFormula
    /// The subsamples, if any.
    public let split: SampleSplit?
    /// Columns every model needs besides its formula's: weights, clusters.
    public let sharedColumns: Set<String>

    /// One model of the run: where it was fitted and its fit, or why it failed.
    public struct Model<Fit> {
        /// fixest's heading of the model (`Sample: size_class = small; Dep. var.: y; …`).
        public let label: String
        /// The split column and this model's value of it (nil: the full sample).
        public let splitVariable: String?, splitValue: String?
        /// The formula's text and its dependent variable.
        public let formula: String, dependent: String
        /// The fit, or the message of the error that stopped it.
        public let result: Result<Fit, ModelFailure>
    }

    /// Why one model of a multiple estimation was not fitted: the error's message.
    public struct ModelFailure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(formulas: MultipleFormula, split: SampleSplit?, sharedColumns: Set<String>) {
        self.formulas = formulas
        self.split = split
        self.sharedColumns = sharedColumns
    }

    /// Whether the request makes several models, even if it happens to make one: the output is
    /// then a list of models, so its shape depends on the command line, never on the data.
    public var isMultiple: Bool { formulas.isMultiple || split != nil }

    /// The columns to read: every formula's, the shared ones and the split column.
    public var columns: Set<String> {
        var needed = formulas.variables.union(sharedColumns)
        if let split { needed.insert(split.variable) }
        return needed
    }

    /// Fits every model with `fit`, which receives a table holding the model's columns over its
    /// sample; a model whose fit throws is kept as failed, with the error's message.
    ///
    /// - Throws: only for problems common to all models (the split column missing or empty).
    public func run<Fit>(
        on table: DataTable, fit: (_ table: DataTable, _ formula: ModelFormula) throws -> Fit
    ) throws -> [Model<Fit>] {
        try checkOutcomesNumeric(in: table)
        let samples = try split?.samples(of: table) ?? [.full]
        let modelColumns = formulas.variables.union(sharedColumns)
        var models: [Model<Fit>] = []
        for sample in samples {
            // Cut each sample once, over the columns models read (not the split column itself,
            // unless a model uses it).
            let columns = table.selectingColumns(modelColumns)
            let sampleTable = sample.rows.map { columns.keepingRows($0) } ?? columns
            for variant in formulas.variants {
                let formula = variant.formula
                let label = Self.label(split: split, sample: sample, variant: variant)
                let result: Result<Fit, ModelFailure>
                do {
                    let modelTable = sampleTable.selectingColumns(formula.variables.union(sharedColumns))
                    result = .success(try fit(modelTable, formula))
                } catch {
                    result = .failure(ModelFailure(description: String(describing: error)))
                }
                models.append(Model(label: label, splitVariable: split?.variable, splitValue: sample.value,
                                    formula: formula.source, dependent: formula.response.name, result: result))
            }
        }
        return models
    }

    /// Refuses a text outcome before any fit: it fails on every sample, so it is a mistake in
    /// the command (often a wrong name in `c()`), not a model to report as failed.
    public func checkOutcomesNumeric(in table: DataTable) throws {
        var checked = Set<String>()
        for variant in formulas.variants {
            for name in variant.formula.response.variables.sorted() where checked.insert(name).inserted {
                guard case .text(let text)? = table.column(named: name) else { continue }
                let example = text.firstNonNumeric.map { " (line \($0.row) has '\($0.value)')" } ?? ""
                let whose = formulas.variesOutcome ? "each outcome listed before '~' must be numeric" : "the outcome must be numeric"
                throw EstimationError("\(table.source): the outcome column '\(name)' holds text, not numbers\(example): \(whose)")
            }
        }
    }

    /// `Sample: size_class = small; Dep. var.: y; Expl. vars.: x1 + x2`, as fixest heads each
    /// model of a multiple estimation.
    public static func label(split: SampleSplit?, sample: SampleSplit.Sample, variant: FormulaVariant) -> String {
        guard let split else { return variant.label }
        let value = sample.value.map { "\(split.variable) = \($0)" } ?? "full"
        return "Sample: \(value); " + variant.label
    }
}
