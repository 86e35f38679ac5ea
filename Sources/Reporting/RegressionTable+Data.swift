import Primitives
/// The machine-readable renderings: full precision, no rounding to `--digits`.
extension RegressionTable {
    /// Tidy CSV: one row per model × shown coefficient (a model's absent coefficients have no
    /// row), with the model's number, source, outcome and estimator; `NA` for what a run did
    /// not report. RFC 4180 quoting.
    public var csv: String {
        var lines = ["model,source,dependent,estimator,term,estimate,std_error,statistic,p_value,conf_low,conf_high,stars"]
        let number = { (value: Double?) in value.map { "\($0)" } ?? "NA" }
        for (index, model) in models.enumerated() {
            for coefficient in model.coefficients {
                let fields = [String(index + 1), model.source, model.dependent, model.estimator, coefficient.term].map(CoefficientTable.csvQuote)
                    + [coefficient.estimate, coefficient.standardError, coefficient.statistic, coefficient.pValue,
                       coefficient.confidenceLow, coefficient.confidenceHigh].map(number)
                    + [CoefficientTable.csvQuote(options.stars.mark(coefficient.pValue))]
                lines.append(fields.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table as JSON: the shown models with their facts and shown coefficients, in the
    /// shape of feols's JSON (`coefficients`, `nobs`, `vcov`, ...), so that `quipu table` reads
    /// its own output back as one file of several models.
    public var json: JSONValue {
        JSONValue.object([
            ("command", .string("table")),
            ("statistic", .string(options.statistic.rawValue)),
            ("stars", options.stars.json),
            ("models", .array(models.enumerated().map { index, model in modelJSON(model, number: index + 1) })),
        ]).versioned()
    }

    private func modelJSON(_ model: ModelSummary, number: Int) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("model", .integer(number)), ("source", .string(model.source)), ("command", .string(model.command)),
            ("dependent", .string(model.dependent)), ("estimator", .string(model.estimator)),
            ("vcov", model.vcov.map { .string($0) } ?? .null),
            ("nobs", model.observations.map { .integer($0) } ?? .null),
            ("n_clusters", model.clusterCounts.min().map { .integer($0) } ?? .null),
        ]
        if model.clusterCounts.count > 1 { pairs.append(("cluster_sizes", .array(model.clusterCounts.map { .integer($0) }))) }
        if let sample = model.sample {
            pairs.append(("sample", .object([("split", .string(sample.split)), ("value", sample.value.map { .string($0) } ?? .null)])))
        }
        pairs += [
            ("fixed_effects", .array(model.fixedEffects.map { .object([("name", .string($0))]) })),
            ("r2", .finite(model.r2)), ("adj_r2", .finite(model.adjustedR2)), ("r2_within", .finite(model.withinR2)),
            ("pseudo_r2", .finite(model.pseudoR2)), ("conf_level", .finite(model.confidenceLevel)),
            ("coefficients", .array(model.coefficients.map { coefficient in
                .object([("term", .string(coefficient.term)), ("original_term", .string(coefficient.originalTerm))]
                    + InferenceRecord(estimate: coefficient.estimate, standardError: coefficient.standardError,
                                      statistic: coefficient.statistic, pValue: coefficient.pValue,
                                      confidenceLow: coefficient.confidenceLow, confidenceHigh: coefficient.confidenceHigh).jsonPairs
                    + [("stars", .string(options.stars.mark(coefficient.pValue)))])
            })),
        ]
        return .object(pairs)
    }
}
