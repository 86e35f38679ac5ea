/// TWFE's figures in `quipu did`'s JSON (schema 1.1), where TWFE is one estimator in the shape of
/// every other: its coefficient and event study are its `simple` and `dynamic` aggregates, its
/// F test its entry of `pretrend_tests`, and what only its regressions report (`vcov`,
/// `two_by_two`, `bacon`) fields of its `inference` entry.
enum TWFEJSON {
    /// TWFE's entry of `inference`.
    static func entry(_ json: [String: Any]?) -> [String: Any]? {
        (json?["inference"] as? [[String: Any]])?.first { $0["estimator"] as? String == "twfe" }
    }

    /// TWFE's rows of one estimand: `twfe` (the `simple` aggregate), `event_study` (the `dynamic`
    /// aggregates by event time, each with its `event_time` lifted from `by`) or `2x2`.
    static func rows(_ json: [String: Any]?, _ estimand: String) -> [[String: Any]] {
        if estimand == "2x2" { return twoByTwo(json).map { [$0] } ?? [] }
        let aggregates = ((json?["aggregates"] as? [[String: Any]]) ?? []).filter { $0["estimator"] as? String == "twfe" }
        switch estimand {
        case "twfe": return aggregates.filter { $0["type"] as? String == "simple" }
        case "event_study":
            return aggregates.compactMap { entry in
                guard entry["type"] as? String == "dynamic", let by = (entry["by"] as? [[String: Any]])?.first else { return nil }
                var row = entry
                row["event_time"] = by["event_time"]
                return row
            }
        default: return []
        }
    }

    /// TWFE's 2x2 comparison (with `difference_of_means`), when did made one.
    static func twoByTwo(_ json: [String: Any]?) -> [String: Any]? { entry(json)?["two_by_two"] as? [String: Any] }

    /// TWFE's pre-trend test (the event study's F, with its `terms`).
    static func pretrendTest(_ json: [String: Any]?) -> [String: Any]? {
        (json?["pretrend_tests"] as? [[String: Any]])?.first { $0["estimator"] as? String == "twfe" }
    }

    /// The Goodman-Bacon decomposition (`--decompose`).
    static func bacon(_ json: [String: Any]?) -> [String: Any]? { entry(json)?["bacon"] as? [String: Any] }
}
