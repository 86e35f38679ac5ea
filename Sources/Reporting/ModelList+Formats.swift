/// Markdown, LaTeX and CSV renderings of several models; a side-by-side table is `quipu table`'s.
extension ModelList {
    /// One Markdown table per model, each under a heading naming it.
    public var markdown: String {
        models.enumerated().map { index, model in
            let heading = "### Model \(index + 1): \(model.label)\n\n"
            switch model.outcome {
            case .fitted(let table): return heading + table.markdown
            case .failed(let reason): return heading + "Formula: `\(model.formula)`. Estimation failed: \(reason)\n"
            }
        }.joined(separator: "\n")
    }

    /// One `tabular` per model, each after a comment line naming it.
    public var latex: String {
        models.enumerated().map { index, model in
            let heading = "% Model \(index + 1): \(model.label)\n"
            switch model.outcome {
            case .fitted(let table): return heading + table.latex
            case .failed(let reason): return heading + "% Estimation failed: \(reason)\n"
            }
        }.joined(separator: "\n")
    }

    /// One row per model and coefficient, with the model's number, sample and formula in front;
    /// a failed model has no rows (its reason goes to the warnings and the JSON).
    public var csv: String {
        var lines = ["model,sample_split,sample_value,dependent,formula,term,estimate,std_error,statistic,p_value,conf_low,conf_high"]
        for (index, model) in models.enumerated() {
            guard let table = model.table else { continue }
            let identity = ["\(index + 1)", CoefficientTable.csvQuote(model.splitVariable ?? ""),
                            CoefficientTable.csvQuote(model.splitVariable == nil ? "" : model.splitValue ?? "(full)"),
                            CoefficientTable.csvQuote(model.dependent), CoefficientTable.csvQuote(model.formula)]
            for row in table.rows {
                let numbers = [row.estimate, row.standardError, row.statistic, row.pValue, row.confidenceLow, row.confidenceHigh]
                    .map { $0.isFinite ? "\($0)" : "NA" }
                lines.append((identity + [CoefficientTable.csvQuote(row.term)] + numbers).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
