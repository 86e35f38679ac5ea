import DiD

/// Reading `quipu did`'s JSON: one column per estimator.
///
/// Each estimator (`estimators`, in did's order, so the headline comes first) becomes a column
/// whose shown coefficient is its overall ATT (the `simple` aggregate, named `ATT`). Its other
/// aggregates are in the column too, hidden unless `--keep` names them, under the labels
/// `--combine` uses: `e-2`, `e0` (event time, the `dynamic` aggregation), `g2006` (cohort),
/// `t2007` (period). So `--keep "^ATT$|^e"` shows the event-time profiles side by side. The 2x2
/// estimate, when did made one (`two_by_two` in TWFE's `inference` entry), is `2x2` in the TWFE
/// column, and `--combine` results are named by their expression in their estimator's column
/// (both hidden by default too).
///
/// TWFE, Sun–Abraham and imputation absorb unit and period effects, shown as fixed effects;
/// Callaway–Sant'Anna compares units with themselves through differences and absorbs none.
extension ModelSummary {
    static func differenceInDifferences(_ object: [String: Any], location: String) throws -> [ModelSummary] {
        let aggregates = object["aggregates"] as? [Any] ?? []
        // did lists its estimators (the headline first) and names each entry's estimator.
        let names = (object["estimators"] as? [Any] ?? []).compactMap { $0 as? String }
        guard !names.isEmpty else {
            throw TableInputError("\(location): a did result without 'estimators': give the output of `quipu did ... --format json`")
        }
        let inference = (object["inference"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
        let combinations = (object["combinations"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
        let unit = object["unit"] as? String, time = object["time"] as? String
        var models = [ModelSummary]()
        for name in names {
            var coefficients = try aggregateCoefficients(aggregates, estimator: name, location: location)
            let facts = inference.first { $0["estimator"] as? String == name }
            if let twoByTwo = facts?["two_by_two"] as? [String: Any] {
                coefficients.append(try named("2x2", twoByTwo, location: "\(location): the 2x2 estimate (two_by_two)", shown: false))
            }
            for (index, entry) in combinations.enumerated() where entry["estimator"] as? String == name {
                let expression = entry["expression"] as? String ?? "combination \(index + 1)"
                coefficients.append(try named(expression, entry, location: "\(location): combinations[\(index)]", shown: false))
            }
            guard !coefficients.isEmpty else { continue }
            let absorbs = name != StaggeredEstimator.callawaySantAnna.rawValue
            let clusters = integer(facts?["n_clusters"]) ?? integer(object["n_clusters"])
            models.append(ModelSummary(
                source: location, command: "did", dependent: dependentName(object),
                estimator: StaggeredEstimator(rawValue: name)?.displayName ?? name, coefficients: coefficients,
                fixedEffects: absorbs ? [unit, time].compactMap { $0 } : [], vcov: object["vcov"] as? String,
                observations: integer(facts?["nobs"]) ?? integer(object["nobs"]), clusterCounts: clusters.map { [$0] } ?? [],
                confidenceLevel: number(object["conf_level"])))
        }
        guard !models.isEmpty else {
            throw TableInputError("\(location): a did result without estimates: 'aggregates' holds no entry of its estimators")
        }
        return models
    }

    /// An estimator's aggregates: the overall ATT shown, the others hidden.
    private static func aggregateCoefficients(_ aggregates: [Any], estimator: String, location: String) throws -> [Coefficient] {
        var result = [Coefficient]()
        for (index, element) in aggregates.enumerated() {
            guard let entry = element as? [String: Any], entry["estimator"] as? String == estimator else { continue }
            let overall = entry["type"] as? String == "simple" || entry["label"] as? String == "att"
            let label = overall ? "ATT" : entry["label"] as? String ?? entry["type"] as? String ?? "aggregate \(index + 1)"
            result.append(try named(label, entry, location: "\(location): aggregates[\(index)]", shown: overall))
        }
        return result
    }

    /// A coefficient under a name of the table's choosing.
    private static func named(_ label: String, _ entry: [String: Any], location: String, shown: Bool) throws -> Coefficient {
        var renamed = entry
        renamed["term"] = label
        return try coefficient(renamed, location: location, shownByDefault: shown)
    }
}
