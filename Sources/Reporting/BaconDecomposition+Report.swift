import DiD
import Primitives

/// Renderings of the Goodman-Bacon decomposition.
extension BaconDecomposition {
    var json: JSONValue {
        .object([
            ("twfe_estimate", .finite(twfeEstimate)),
            ("weighted_sum", .finite(weightedSum)),
            ("forbidden_weight", .finite(forbiddenWeight)),
            ("by_type", byTypeJSON),
            ("comparisons", .array(comparisons.map { comparison in
                .object([("type", .string(comparison.kind.rawValue)), ("treated", .integer(comparison.treatedCohort)),
                         ("control", comparison.controlCohort.map { .integer($0) } ?? .string("never")),
                         ("estimate", .finite(comparison.estimate)), ("weight", .finite(comparison.weight))])
            })),
        ])
    }

    /// The total weight and weighted mean estimate of each comparison type (`by_type`, in did's
    /// JSON and the report's results.json alike).
    public var byTypeJSON: JSONValue {
        .array(BaconComparison.Kind.allCases.map { kind in
            .object([("type", .string(kind.rawValue)), ("weight", .finite(weightsByKind[kind] ?? 0)),
                     ("estimate", .finite(estimateByKind[kind]))])
        })
    }

    var textLines: [String] {
        var lines = ["Goodman-Bacon decomposition of the TWFE estimate \(NumberFormat.significant(twfeEstimate))"
                     + " (weighted sum of the 2x2 estimates: \(NumberFormat.significant(weightedSum, digits: 10)))"]
        var rows = [["type", "treated", "control", "estimate", "weight"]]
        for comparison in comparisons {
            rows.append([comparison.kind.rawValue, String(comparison.treatedCohort), comparison.controlCohort.map(String.init) ?? "never",
                         NumberFormat.significant(comparison.estimate), NumberFormat.fixed(comparison.weight, decimals: 4)])
        }
        lines.append(contentsOf: TextGrid.lines(rows, markdown: false))
        var totals = [["type", "total weight", "weighted mean estimate"]]
        for kind in BaconComparison.Kind.allCases {
            totals.append([kind.rawValue, NumberFormat.fixed(weightsByKind[kind] ?? 0, decimals: 4),
                           estimateByKind[kind].map { NumberFormat.significant($0) } ?? "-"])
        }
        lines.append(contentsOf: TextGrid.lines(totals, markdown: false))
        return lines
    }
}
