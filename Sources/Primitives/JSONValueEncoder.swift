/// Encodes any `Encodable` into a `JSONValue`, keeping object keys in the order the value
/// encodes them, so that records written with `Codable` serialize exactly as the hand-built
/// writers did (`JSONValue.serialized()` stays the one text writer).
///
/// Why not Foundation's `JSONEncoder`: it sorts keys or leaves them in hash order, and prints
/// doubles its own way; the contract fixes both. Conventions: a `Double` that is not finite is
/// `null` (JSON has no NaN or infinity, and NA is `null`); an optional encoded with `encode`
/// (not `encodeIfPresent`) is `null` when absent; a `JSONValue` inside a record is kept as is.
public struct JSONValueEncoder {
    /// Creates an encoder.
    public init() {}

    /// `value` as a JSON value.
    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let slot = Slot()
        try slot.store(value, codingPath: [])
        return slot.value
    }
}
