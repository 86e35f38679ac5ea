/// A part of the JSON output contract written once as an `Encodable` record, and shared by
/// every command whose output holds it (the schemas under `docs/schema/` describe them as
/// `$defs` of the same names).
public protocol JSONRecord: Encodable {}

extension JSONRecord {
    /// The record as a JSON value, keys in the order its `encode(to:)` writes them.
    ///
    /// `JSONValueEncoder`'s containers never throw, and the records' own `encode(to:)` only
    /// forward to them, so the `null` fallback is unreachable; it keeps a JSON property total.
    public var json: JSONValue { (try? JSONValueEncoder().encode(self)) ?? .null }

    /// The record's keys and values, to be placed after other keys of the same object.
    public var jsonPairs: [(String, JSONValue)] {
        if case .object(let pairs) = json { return pairs }
        return []
    }
}

/// An object key chosen at run time (a timing stage's name, a model-specific drop).
struct DynamicKey: CodingKey {
    let stringValue: String
    init(_ name: String) { stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { return nil }
}
