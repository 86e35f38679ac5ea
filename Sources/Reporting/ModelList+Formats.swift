/// Markdown, LaTeX and CSV renderings of several models; a side-by-side table is `quipu table`'s.
extension ModelList {
    /// One Markdown table per model, each under a heading naming it.
    public var markdown: String {
        sections(heading: { number, label in "### Model \(number): \(label)\n\n" }, fitted: { $0.markdown },
                 failed: { model, reason in "Formula: `\(model.formula)`. Estimation failed: \(reason)\n" })
            + (multipleTesting.map { "\n" + $0.markdown } ?? "")
    }

    /// One `tabular` per model, each after a comment line naming it.
    public var latex: String {
        sections(heading: { number, label in "% Model \(number): \(label)\n" }, fitted: { $0.latex },
                 failed: { _, reason in "% Estimation failed: \(reason)\n" })
            + (multipleTesting.map { "\n" + $0.latexComment } ?? "")
    }

    /// The models one after another, a blank line apart: each opens with `heading(number, label)`
    /// (numbered from 1) and goes on with its table as `fitted` renders it, or `failed`'s text.
    func sections(
        heading: (Int, String) -> String,
        fitted: (CoefficientTable) -> String,
        failed: (EstimatedModel, String) -> String
    ) -> String {
        models.enumerated().map { index, model in
            let opening = heading(index + 1, model.label)
            switch model.outcome {
            case .fitted(let table): return opening + fitted(table)
            case .failed(let reason): return opening + failed(model, reason)
            }
        }.joined(separator: "\n")
    }

    /// One row per model and coefficient, with the model's number, sample and formula in front;
    /// a failed model has no rows (its reason goes to the warnings and the JSON).
    public var csv: String {
        // --adjust adds one column per adjustment (empty for coefficients outside the family).
        let adjustments = multipleTesting?.adjustments.map { "p_" + $0.method.rawValue.replacingOccurrences(of: "-", with: "_") } ?? []
        var lines = ["model,sample_split,sample_value,dependent,formula,term,estimate,std_error,statistic,p_value,conf_low,conf_high"
                     + adjustments.map { "," + $0 }.joined()]
        for (index, model) in models.enumerated() {
            guard let table = model.table else { continue }
            let identity = ["\(index + 1)", CoefficientTable.csvQuote(model.splitVariable ?? ""),
                            CoefficientTable.csvQuote(model.splitVariable == nil ? "" : model.splitValue ?? "(full)"),
                            CoefficientTable.csvQuote(model.dependent), CoefficientTable.csvQuote(model.formula)]
            for row in table.rows {
                let numbers = [row.estimate, row.standardError, row.statistic, row.pValue, row.confidenceLow, row.confidenceHigh]
                    .map { $0.isFinite ? "\($0)" : "NA" }
                let adjusted = adjustments.isEmpty ? [] : multipleTesting?.adjusted(modelIndex: index, term: row.term)
                    .map { $0.map { $0.isFinite ? "\($0)" : "NA" } } ?? adjustments.map { _ in "" }
                lines.append((identity + [CoefficientTable.csvQuote(row.term)] + numbers + adjusted).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
