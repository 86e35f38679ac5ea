import Foundation
import Primitives

/// Reading models back from the JSON of earlier runs.
///
/// The reader reads the keys Quipu's writers emit (docs/schema/feols, fepois, did and table)
/// and no others: a model is a list of coefficients (`term` and `estimate`, with whatever
/// inference the run gave) plus the metadata a writer gives (`fepois` has `pseudo_r2` where
/// `feols` has `r2`; a missing key is an empty cell). A file may hold one result, an object with
/// `models: [...]` (a multi-model run, or a table's own JSON), or a JSON array of results: no
/// command writes the array, but it is how several results are put in one file (`jq -s`), so it
/// is accepted. (It read `name`, `se`, `depvar`, `outcome`, `r2_pseudo`, fixed effects as bare
/// names and numeric split values too, which no writer emits, and did's `estimates` list, which
/// did stopped writing in schema 1.1; issue 20 removed them.)
extension ModelSummary {
    /// The models in one parsed JSON document (from `JSONSerialization`); `source` names the
    /// file in messages. A `did` result gives one model per estimator.
    public static func models(fromJSON document: Any, source: String) throws -> [ModelSummary] {
        if let list = document as? [Any] {
            guard !list.isEmpty else { throw TableInputError("\(source): the JSON array is empty; expected quipu results") }
            return try list.enumerated().flatMap { index, element in
                try models(fromResult: element, source: source, place: "element \(index + 1) of the array")
            }
        }
        guard let object = document as? [String: Any] else {
            throw TableInputError("\(source): not a quipu result: expected a JSON object or array at the top")
        }
        if let list = object["models"] {
            guard let list = list as? [Any], !list.isEmpty else {
                throw TableInputError("\(source): 'models' must be a non-empty array of quipu results")
            }
            return try list.enumerated().flatMap { index, element in
                try models(fromResult: element, source: source, place: "models[\(index)]")
            }
        }
        return try models(fromResult: object, source: source, place: nil)
    }

    /// The models of one result object; `place` locates it inside a list, for messages.
    static func models(fromResult element: Any, source: String, place: String?) throws -> [ModelSummary] {
        let location = place.map { "\(source) (\($0))" } ?? source
        guard let object = element as? [String: Any] else {
            throw TableInputError("\(location): not a quipu result: expected a JSON object")
        }
        if object["coefficients"] != nil { return [try regression(object, location: location)] }
        if object["aggregates"] != nil { return try differenceInDifferences(object, location: location) }
        let command = (object["command"] as? String).map { " (command '\($0)')" } ?? ""
        throw TableInputError("\(location): not a quipu result with estimates\(command): it has no 'coefficients' "
            + "(as feols and fepois write) and no 'aggregates' (as did writes); "
            + "give the output of `quipu feols|fepois|did ... --format json`")
    }

    /// A regression result: feols, fepois, a table's own JSON, or anything with `coefficients`.
    static func regression(_ object: [String: Any], location: String) throws -> ModelSummary {
        guard let entries = object["coefficients"] as? [Any] else {
            throw TableInputError("\(location): 'coefficients' must be an array of objects with 'term' and 'estimate'")
        }
        let coefficients = try entries.enumerated().map { index, entry in
            try coefficient(entry, location: "\(location): coefficients[\(index)]")
        }
        let command = object["command"] as? String ?? "model"
        let fixedEffects = (object["fixed_effects"] as? [Any] ?? []).compactMap { ($0 as? [String: Any])?["name"] as? String }
        var clusters = (object["cluster_sizes"] as? [Any] ?? []).compactMap(integer)
        if clusters.isEmpty, let count = integer(object["n_clusters"]) { clusters = [count] }
        var model = ModelSummary(
            source: location, command: command, dependent: dependentName(object),
            estimator: object["estimator"] as? String ?? estimatorName(command: command, family: object["family"] as? String),
            coefficients: coefficients, fixedEffects: fixedEffects, vcov: object["vcov"] as? String,
            observations: integer(object["nobs"]), clusterCounts: clusters,
            r2: number(object["r2"]), adjustedR2: number(object["adj_r2"]), withinR2: number(object["r2_within"]),
            pseudoR2: number(object["pseudo_r2"]), confidenceLevel: number(object["conf_level"]))
        // --split's subsample: {"split": "g", "value": "a"}, the value null for --fsplit's full sample.
        if let sample = object["sample"] as? [String: Any], let split = sample["split"] as? String {
            model.sample = ModelSummary.Sample(split: split, value: sample["value"] as? String)
        }
        return model
    }

    /// One coefficient entry: a name (`term`) and a finite estimate are required.
    static func coefficient(_ entry: Any, location: String, shownByDefault: Bool = true) throws -> Coefficient {
        guard let object = entry as? [String: Any] else { throw TableInputError("\(location): expected an object") }
        guard let term = object["term"] as? String else {
            throw TableInputError("\(location): has no 'term' (the coefficient's name)")
        }
        guard let estimate = number(object["estimate"]) else {
            throw TableInputError("\(location) ('\(term)'): has no numeric 'estimate'")
        }
        return Coefficient(term: term, estimate: estimate, standardError: number(object["std_error"]),
                           statistic: number(object["statistic"]), pValue: number(object["p_value"]),
                           confidenceLow: number(object["conf_low"]), confidenceHigh: number(object["conf_high"]),
                           shownByDefault: shownByDefault)
    }

    /// The outcome's name (`dependent`, in every writer's JSON).
    static func dependentName(_ object: [String: Any]) -> String {
        object["dependent"] as? String ?? ""
    }

    /// The estimator row's word for a command whose JSON does not name its estimator.
    static func estimatorName(command: String, family: String?) -> String {
        switch command {
        case "feols": return "OLS"
        case "fepois": return "Poisson"
        default: return family ?? command
        }
    }

    /// A finite number, or nil (JSON `null`, a boolean, text, missing).
    static func number(_ value: Any?) -> Double? {
        // JSONReader gives Double for every JSON number; Int for values built in Swift.
        if let double = value as? Double, !(value is Bool) { return double.isFinite ? double : nil }
        if let integer = value as? Int, !(value is Bool) { return Double(integer) }
        return nil
    }

    /// A whole number, or nil.
    static func integer(_ value: Any?) -> Int? {
        guard let double = number(value), double == double.rounded(), abs(double) < 1e15 else { return nil }
        return Int(double)
    }
}
