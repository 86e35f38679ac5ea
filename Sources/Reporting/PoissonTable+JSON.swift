import Primitives
/// The JSON contract of `quipu fepois --format json`: `feols`'s keys where they mean the same,
/// with the likelihood figures instead of R² and the percentage effects beside each coefficient.
extension PoissonTable {
    /// The table as a JSON value.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("command", .string("fepois")),
            ("formula", .string(formula)),
            ("dependent", .string(responseName)),
            ("family", .string("poisson")),
            ("nobs", .integer(observationCount)),
            // Rows in the data: a --subset's removals count among the drops.
            ("nobs_read", .integer(subset?.rowsBefore ?? rowsRead)),
            ("vcov", .string(covariance.description)),
            ("n_clusters", clusterCounts.isEmpty ? .null : .integer(clusterCounts.min() ?? 0)),
            ("distribution", .string("normal")),
            ("weights", weights.map { .string($0) } ?? .null),
            ("fixed_effects", fixedEffectsJSON),
            ("fixed_effects_redundant", .integer(redundantFixedEffects)),
            ("log_likelihood", .finite(logLikelihood)),
            ("null_log_likelihood", .finite(nullLogLikelihood)),
            ("deviance", .finite(deviance)),
            ("pseudo_r2", .finite(pseudoR2)),
            ("iterations", .integer(iterations)),
            ("dropped", droppedJSON),
            ("separating_regressors", .array(separatingRegressors.map { .string($0) })),
        ]
        if clusterCounts.count > 1 {
            pairs.append(("cluster_sizes", .array(clusterCounts.map { .integer($0) })))
        }
        pairs.append(("conf_level", .number(confidenceLevel)))
        pairs.append(("coefficients", .array(zip(rows, percentages).map { row, percentage in
            .object(row.jsonPairs + [
                ("percent_change", .finite(percentage.estimate)),
                ("percent_conf_low", .finite(percentage.confidenceLow)),
                ("percent_conf_high", .finite(percentage.confidenceHigh)),
            ])
        })))
        pairs.append(("notes", .array(notes.map { .string($0) })))
        return JSONValue.object(pairs).addingSubset(subset).versioned()
    }
}
