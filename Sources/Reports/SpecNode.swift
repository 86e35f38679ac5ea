import Foundation
import Yams

/// A YAML node of the spec with its key path (`outcomes[2].scale`) and line, so that every
/// complaint about a value can say where the value is.
struct SpecNode {
    let node: Node
    let keyPath: String
    let file: String

    var location: SpecLocation {
        SpecLocation(keyPath: keyPath.isEmpty ? "(top level)" : keyPath, line: node.mark?.line, column: node.mark?.column)
    }

    func error(_ message: String) -> SpecError { SpecError(path: file, location: location, message) }

    /// The entries of a mapping, refusing keys outside `allowed` (a misspelt key would otherwise
    /// be ignored silently) and keys given twice.
    func entries(allowed: [String]) throws -> [String: SpecNode] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping of keys (\(allowed.joined(separator: ", ")))") }
        var result = [String: SpecNode]()
        for (key, value) in mapping {
            guard let name = key.string else { throw error("keys must be plain names") }
            let childPath = keyPath.isEmpty ? name : "\(keyPath).\(name)"
            let keyNode = SpecNode(node: key, keyPath: childPath, file: file)
            guard allowed.contains(name) else {
                let hint = Self.closest(to: name, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                throw keyNode.error("unknown key '\(name)'\(hint); known keys here: \(allowed.joined(separator: ", "))")
            }
            guard result[name] == nil else { throw keyNode.error("key '\(name)' is given twice") }
            result[name] = SpecNode(node: value, keyPath: childPath, file: file)
        }
        return result
    }

    /// The items of a sequence, each with its index in the key path.
    func items() throws -> [SpecNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list") }
        return sequence.enumerated().map { SpecNode(node: $1, keyPath: "\(keyPath)[\($0)]", file: file) }
    }

    /// A scalar's text (YAML's own typing is not used: `no` stays the text "no").
    func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw error("expected a single value") }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw error("is empty") }
        return text
    }

    func int() throws -> Int {
        let text = try string()
        guard let value = Int(text) else { throw error("expected a whole number, got '\(text)'") }
        return value
    }

    func double() throws -> Double {
        let text = try string()
        guard let value = Double(text), value.isFinite else { throw error("expected a number, got '\(text)'") }
        return value
    }

    /// A list of texts; a single value counts as a list of one.
    func strings() throws -> [String] {
        if case .scalar = node { return [try string()] }
        return try items().map { try $0.string() }
    }

    /// One of `choices`, with the choices in the message otherwise.
    func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws -> T where T.RawValue == String {
        let text = try string()
        guard let value = T(rawValue: text) else {
            throw error("'\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// The allowed name nearest to `name` by edit distance, when it is close enough to be a typo.
    static func closest(to name: String, in candidates: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var previous = Array(0...b.count)
            for (i, x) in a.enumerated() {
                var current = [i + 1]
                for (j, y) in b.enumerated() { current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))) }
                previous = current
            }
            return previous[b.count]
        }
        let scored = candidates.map { ($0, distance(Array(name.lowercased()), Array($0.lowercased()))) }.min { $0.1 < $1.1 }
        guard let (best, score) = scored, score <= max(2, name.count / 3) else { return nil }
        return best
    }
}
