import ArgumentParser
import Foundation
import Inference

/// `--adjust`: the multiple-testing adjustments to show, comma-separated, in the order given.
struct AdjustmentList: OptionValue, Equatable {
    let methods: [PValueAdjustment]

    static let names = PValueAdjustment.allCases.map(\.rawValue).joined(separator: ", ")

    static func parsing(_ text: String) throws -> AdjustmentList {
        var methods = [PValueAdjustment]()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let method = PValueAdjustment(rawValue: name) else {
                throw ValidationError("takes \(names) (comma-separated), got '\(name)'")
            }
            if !methods.contains(method) { methods.append(method) }
        }
        guard !methods.isEmpty else { throw ValidationError("needs at least one of \(names)") }
        return AdjustmentList(methods: methods)
    }

    /// Whether any adjustment needs the family's joint bootstrap draws.
    var needsBootstrap: Bool { methods.contains { $0.needsBootstrap } }
}
