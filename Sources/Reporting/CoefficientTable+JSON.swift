import Primitives
/// The JSON contract of `quipu feols --format json`; later commands extend it.
extension CoefficientTable {
    /// The table as a JSON value.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("command", .string(command)),
            ("formula", .string(formula)),
            ("dependent", .string(responseName)),
            ("nobs", .integer(observationCount)),
            // Rows in the data: a --subset's removals count among the drops.
            ("nobs_read", .integer(subset?.rowsBefore ?? rowsRead)),
            ("vcov", .string(covariance.description)),
            ("n_clusters", clusterCounts.isEmpty ? .null : .integer(clusterCounts.min() ?? 0)),
            ("df_t", .finite(degreesOfFreedom)),
            ("weights", weights.map { .string($0) } ?? .null),
            ("fixed_effects", fixedEffectsJSON),
            ("fixed_effects_redundant", .integer(redundantFixedEffects)),
            ("r2", .finite(r2)),
            ("adj_r2", .finite(adjustedR2)),
            ("r2_within", .finite(withinR2)),
            ("rmse", .finite(rmse)),
            ("dropped", droppedJSON),
        ]
        if clusterCounts.count > 1 {
            pairs.append(("cluster_sizes", .array(clusterCounts.map { .integer($0) })))
        }
        pairs.append(("conf_level", .number(confidenceLevel)))
        pairs.append(("coefficients", .array(rows.map { row in
            var entry = row.jsonPairs
            if let bootstrap = bootstraps[row.term] { entry.append(("bootstrap", bootstrap.json)) }
            return .object(entry)
        })))
        if let test = restrictionTest {
            if case let .object(fields) = test.summary.json {
                pairs.append(("bootstrap_restriction", .object([("restriction", .string(test.restriction))] + fields)))
            }
        }
        pairs.append(("notes", .array(notes.map { .string($0) })))
        return JSONValue.object(pairs).addingSubset(subset).versioned()
    }
}
