import ArgumentParser
import DiD
import Foundation

/// `--aggregate`: the aggregations of ATT(g,t) to report, comma-separated.
struct AggregationList: OptionValue, Equatable {
    let kinds: Set<StaggeredAggregation>

    static let all = AggregationList(kinds: [.all])

    static func parsing(_ text: String) throws -> AggregationList {
        var kinds = Set<StaggeredAggregation>()
        for part in text.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let kind = StaggeredAggregation(rawValue: name) else {
                throw ValidationError("takes simple, group, dynamic, calendar or all (comma-separated), got '\(name)'")
            }
            kinds.insert(kind)
        }
        guard !kinds.isEmpty else { throw ValidationError("needs at least one of simple, group, dynamic, calendar, all") }
        return AggregationList(kinds: kinds)
    }

    var defaultValueDescription: String { kinds.map(\.rawValue).sorted().joined(separator: ",") }
}
