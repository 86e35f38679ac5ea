/// One place in the document being built: a scalar, or an object or array of further places
/// (references, so that nested containers can fill them after they are handed out).
final class Slot {
    private enum Content {
        case unset
        case scalar(JSONValue)
        case object(keys: [String], slots: [String: Slot])
        case array([Slot])
    }
    private var content = Content.unset

    var value: JSONValue {
        switch content {
        case .unset: return .object([])
        case .scalar(let value): return value
        case .object(let keys, let slots): return .object(keys.compactMap { key in slots[key].map { (key, $0.value) } })
        case .array(let slots): return .array(slots.map(\.value))
        }
    }

    func set(_ value: JSONValue) { content = .scalar(value) }

    /// The slot under `key`, created at the end of the key order when new.
    func child(_ key: String) -> Slot {
        if case .object(var keys, var slots) = content {
            if let existing = slots[key] { return existing }
            let slot = Slot()
            keys.append(key)
            slots[key] = slot
            content = .object(keys: keys, slots: slots)
            return slot
        }
        let slot = Slot()
        content = .object(keys: [key], slots: [key: slot])
        return slot
    }

    func becomeObject() {
        if case .object = content { return }
        content = .object(keys: [], slots: [:])
    }

    func becomeArray() {
        if case .array = content { return }
        content = .array([])
    }

    /// A new slot at the end of this array.
    func appended() -> Slot {
        let slot = Slot()
        if case .array(var slots) = content {
            slots.append(slot)
            content = .array(slots)
        } else {
            content = .array([slot])
        }
        return slot
    }

    var count: Int {
        switch content {
        case .array(let slots): return slots.count
        case .object(let keys, _): return keys.count
        default: return 0
        }
    }

    /// Stores `value`: scalars directly, anything else through its `encode(to:)`.
    func store<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
        if let scalar = Self.scalar(value) {
            set(scalar)
        } else {
            try value.encode(to: SlotEncoder(slot: self, codingPath: codingPath))
        }
    }

    /// The JSON value of a standard-library scalar or a `JSONValue`, or nil for anything else.
    static func scalar(_ value: Any) -> JSONValue? {
        switch value {
        case let json as JSONValue: return json
        case let flag as Bool: return .bool(flag)
        case let text as String: return .string(text)
        case let number as Double: return .finite(number)
        case let number as Float: return .finite(Double(number))
        case let number as Int: return .integer(number)
        case let number as Int8: return .integer(Int(number))
        case let number as Int16: return .integer(Int(number))
        case let number as Int32: return .integer(Int(number))
        case let number as Int64: return .integer(Int(number))
        case let number as UInt: return Int(exactly: number).map(JSONValue.integer) ?? .number(Double(number))
        case let number as UInt8: return .integer(Int(number))
        case let number as UInt16: return .integer(Int(number))
        case let number as UInt32: return .integer(Int(number))
        case let number as UInt64: return Int(exactly: number).map(JSONValue.integer) ?? .number(Double(number))
        default: return nil
        }
    }
}
