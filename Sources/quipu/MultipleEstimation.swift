import Estimation
import Formula
import PanelData
import Reporting

/// The loop of a multiple estimation, shared by the estimation commands: every formula of a
/// `MultipleFormula` on every sample of a `SampleSplit`, in fixest's order (sample, then the
/// formula's own order: outcome, fixed effects, regressors).
///
/// The data are read once; each sample is cut from them once, and each model receives only the
/// columns it reads (shared, not copied), to build its own estimation sample as fixest does.
struct MultipleEstimation {
    /// The formulas, from `MultipleFormula.expand`.
    let formulas: MultipleFormula
    /// The subsamples, if any.
    let split: SampleSplit?
    /// Columns every model needs besides its formula's: weights, clusters.
    let sharedColumns: Set<String>

    /// Whether the request makes several models, even if it happens to make one: the output is
    /// then a list of models, so its shape depends on the command line, never on the data.
    var isMultiple: Bool { formulas.isMultiple || split != nil }

    /// The columns to read: every formula's, the shared ones and the split column.
    var columns: Set<String> {
        var needed = formulas.variables.union(sharedColumns)
        if let split { needed.insert(split.variable) }
        return needed
    }

    /// Fits every model with `fit`, which receives a table holding the model's columns over its
    /// sample; a model whose fit throws is kept as failed, with the error's message.
    ///
    /// - Throws: only for problems common to all models (the split column missing or empty).
    func run(
        on table: DataTable, command: String,
        fit: (_ table: DataTable, _ formula: ModelFormula) throws -> any ModelReport
    ) throws -> ModelList {
        try checkOutcomesNumeric(in: table)
        let samples = try split?.samples(of: table) ?? [.full]
        let modelColumns = formulas.variables.union(sharedColumns)
        var models: [EstimatedModel] = []
        for sample in samples {
            // Cut each sample once, over the columns models read (not the split column itself,
            // unless a model uses it).
            let columns = table.selectingColumns(modelColumns)
            let sampleTable = sample.rows.map { columns.keepingRows($0) } ?? columns
            for variant in formulas.variants {
                let formula = variant.formula
                let label = Self.label(split: split, sample: sample, variant: variant)
                let outcome: EstimatedModel.Outcome
                do {
                    let modelTable = sampleTable.selectingColumns(formula.variables.union(sharedColumns))
                    outcome = .fitted(try fit(modelTable, formula))
                } catch {
                    outcome = .failed(String(describing: error))
                }
                models.append(EstimatedModel(label: label, splitVariable: split?.variable, splitValue: sample.value,
                                             formula: formula.source, dependent: formula.response.name, outcome: outcome))
            }
        }
        return ModelList(command: command, models: models)
    }

    /// Refuses a text outcome before any fit: it fails on every sample, so it is a mistake in
    /// the command (often a wrong name in `c()`), not a model to report as failed.
    func checkOutcomesNumeric(in table: DataTable) throws {
        var checked = Set<String>()
        for variant in formulas.variants {
            for name in variant.formula.response.variables.sorted() where checked.insert(name).inserted {
                guard case .text(let text)? = table.column(named: name) else { continue }
                let example = text.firstNonNumeric.map { " (line \($0.row) has '\($0.value)')" } ?? ""
                let whose = formulas.variesOutcome ? "each outcome listed before '~' must be numeric" : "the outcome must be numeric"
                throw CommandError("\(table.source): the outcome column '\(name)' holds text, not numbers\(example): \(whose)")
            }
        }
    }

    /// `Sample: size_class = small; Dep. var.: y; Expl. vars.: x1 + x2`, as fixest heads each
    /// model of a multiple estimation.
    static func label(split: SampleSplit?, sample: SampleSplit.Sample, variant: FormulaVariant) -> String {
        guard let split else { return variant.label }
        let value = sample.value.map { "\(split.variable) = \($0)" } ?? "full"
        return "Sample: \(value); " + variant.label
    }
}
