import Primitives

/// The JSON contract of `quipu feols --format json` and `quipu fepois --format json`
/// (`docs/schema/feols.schema.json`, `fepois.schema.json`): the same keys where they mean the
/// same, written through the contract records; fepois has the likelihood figures instead of R²
/// and the percentage effects beside each coefficient.
extension CoefficientTable {
    /// The table as a JSON value.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("command", .string(command)), ("formula", .string(formula)), ("dependent", .string(responseName))]
        if poisson != nil { pairs.append(("family", .string("poisson"))) }
        pairs.append(("nobs", .integer(observationCount)))
        // Rows in the data: a --subset's removals count among the drops.
        pairs.append(("nobs_read", .integer(countedSample.rowsRead)))
        pairs.append(("vcov", .string(covariance.description)))
        pairs.append(("n_clusters", clusterCounts.isEmpty ? .null : .integer(clusterCounts.min() ?? 0)))
        switch distribution {
        case .studentT(let degrees): pairs.append(("df_t", .finite(degrees)))
        case .standardNormal: pairs.append(("distribution", .string("normal")))
        }
        pairs.append(("weights", weights.map { .string($0) } ?? .null))
        pairs.append(("fixed_effects", .array(fixedEffectRecords.map(\.json))))
        pairs.append(("fixed_effects_redundant", .integer(redundantFixedEffects)))
        pairs.append(contentsOf: statisticsPairs)
        pairs.append(("dropped", dropRecord.json))
        if let poisson { pairs.append(("separating_regressors", .array(poisson.separatingRegressors.map { .string($0) }))) }
        if clusterCounts.count > 1 {
            pairs.append(("cluster_sizes", .array(clusterCounts.map { .integer($0) })))
        }
        pairs.append(("conf_level", .number(confidenceLevel)))
        pairs.append(("coefficients", .array(rows.indices.map { .object(coefficientPairs(at: $0)) })))
        pairs.append(("vcov_matrix", coefficientCovariance.json))
        if let test = restrictionTest {
            if case let .object(fields) = test.summary.json {
                pairs.append(("bootstrap_restriction", .object([("restriction", .string(test.restriction))] + fields)))
            }
        }
        pairs.append(("notes", .array(notes.map { .string($0) })))
        return JSONValue.object(pairs).addingSubset(subset).versioned()
    }

    /// The model's fit statistics.
    private var statisticsPairs: [(String, JSONValue)] {
        switch model {
        case .leastSquares(let fit):
            let pairs: [(String, JSONValue)] = [("r2", .finite(fit.r2)), ("adj_r2", .finite(fit.adjustedR2)),
                                                ("r2_within", .finite(fit.withinR2)), ("rmse", .finite(fit.rmse))]
            return pairs
        case .poisson(let fit):
            let pairs: [(String, JSONValue)] = [("log_likelihood", .finite(fit.logLikelihood)), ("null_log_likelihood", .finite(fit.nullLogLikelihood)),
                                                ("deviance", .finite(fit.deviance)), ("pseudo_r2", .finite(fit.pseudoR2)),
                                                ("iterations", .integer(fit.iterations))]
            return pairs
        }
    }

    /// A coefficient's `CoefficientRecord`, then what the model adds: its bootstrap (feols) or
    /// its percentage effect (fepois).
    private func coefficientPairs(at index: Int) -> [(String, JSONValue)] {
        let row = rows[index]
        var pairs = row.record.jsonPairs
        if let bootstrap = bootstraps[row.term] { pairs.append(("bootstrap", bootstrap.json)) }
        if let percentage = poisson?.percentages[index] { pairs += percentage.record.jsonPairs }
        return pairs
    }
}
