/// The `Encoder` and its three containers behind `JSONValueEncoder`: each writes into a `Slot`.
struct SlotEncoder: Encoder {
    let slot: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.becomeObject()
        return KeyedEncodingContainer(KeyedSlotContainer<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        slot.becomeArray()
        return UnkeyedSlotContainer(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleSlotContainer(slot: slot, codingPath: codingPath)
    }
}

/// An array index as a coding key, for coding paths.
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { intValue.map(String.init) ?? "" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

struct KeyedSlotContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { slot.child(key.stringValue).set(.null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try slot.child(key.stringValue).store(value, codingPath: codingPath + [key])
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try slot.child(key.stringValue).store(value, codingPath: codingPath + [key]) }
    mutating func encode(_ value: String, forKey key: Key) throws { try slot.child(key.stringValue).store(value, codingPath: codingPath + [key]) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try slot.child(key.stringValue).store(value, codingPath: codingPath + [key]) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try slot.child(key.stringValue).store(value, codingPath: codingPath + [key]) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try slot.child(key.stringValue).store(value, codingPath: codingPath + [key]) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try slot.child(key.stringValue).store(value, codingPath: codingPath + [key]) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try slot.child(key.stringValue).store(value, codingPath: codingPath + [key]) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try slot.child(key.stringValue).store(value, codingPath: codingPath + [key]) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try slot.child(key.stringValue).store(value, codingPath: codingPath + [key]) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try slot.child(key.stringValue).store(value, codingPath: codingPath + [key]) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try slot.child(key.stringValue).store(value, codingPath: codingPath + [key]) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try slot.child(key.stringValue).store(value, codingPath: codingPath + [key]) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try slot.child(key.stringValue).store(value, codingPath: codingPath + [key]) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try slot.child(key.stringValue).store(value, codingPath: codingPath + [key]) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = slot.child(key.stringValue)
        child.becomeObject()
        return KeyedEncodingContainer(KeyedSlotContainer<NestedKey>(slot: child, codingPath: codingPath + [key]))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = slot.child(key.stringValue)
        child.becomeArray()
        return UnkeyedSlotContainer(slot: child, codingPath: codingPath + [key])
    }
    mutating func superEncoder() -> any Encoder { SlotEncoder(slot: slot.child("super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        SlotEncoder(slot: slot.child(key.stringValue), codingPath: codingPath + [key])
    }
}

struct UnkeyedSlotContainer: UnkeyedEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]
    var count: Int { slot.count }

    mutating func encodeNil() throws { slot.appended().set(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = codingPath + [IndexKey(count)]
        try slot.appended().store(value, codingPath: path)
    }
    mutating func encode(_ value: Bool) throws { try slot.appended().store(value, codingPath: codingPath) }
    mutating func encode(_ value: String) throws { try slot.appended().store(value, codingPath: codingPath) }
    mutating func encode(_ value: Double) throws { try slot.appended().store(value, codingPath: codingPath) }
    mutating func encode(_ value: Float) throws { try slot.appended().store(value, codingPath: codingPath) }
    mutating func encode(_ value: Int) throws { try slot.appended().store(value, codingPath: codingPath) }
    mutating func encode(_ value: Int8) throws { try slot.appended().store(value, codingPath: codingPath) }
    mutating func encode(_ value: Int16) throws { try slot.appended().store(value, codingPath: codingPath) }
    mutating func encode(_ value: Int32) throws { try slot.appended().store(value, codingPath: codingPath) }
    mutating func encode(_ value: Int64) throws { try slot.appended().store(value, codingPath: codingPath) }
    mutating func encode(_ value: UInt) throws { try slot.appended().store(value, codingPath: codingPath) }
    mutating func encode(_ value: UInt8) throws { try slot.appended().store(value, codingPath: codingPath) }
    mutating func encode(_ value: UInt16) throws { try slot.appended().store(value, codingPath: codingPath) }
    mutating func encode(_ value: UInt32) throws { try slot.appended().store(value, codingPath: codingPath) }
    mutating func encode(_ value: UInt64) throws { try slot.appended().store(value, codingPath: codingPath) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = codingPath + [IndexKey(count)]
        let child = slot.appended()
        child.becomeObject()
        return KeyedEncodingContainer(KeyedSlotContainer<NestedKey>(slot: child, codingPath: path))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = codingPath + [IndexKey(count)]
        let child = slot.appended()
        child.becomeArray()
        return UnkeyedSlotContainer(slot: child, codingPath: path)
    }
    mutating func superEncoder() -> any Encoder { SlotEncoder(slot: slot.appended(), codingPath: codingPath) }
}

struct SingleSlotContainer: SingleValueEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.set(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try slot.store(value, codingPath: codingPath) }
    mutating func encode(_ value: Bool) throws { slot.set(.bool(value)) }
    mutating func encode(_ value: String) throws { slot.set(.string(value)) }
    mutating func encode(_ value: Double) throws { slot.set(.finite(value)) }
    mutating func encode(_ value: Float) throws { slot.set(.finite(Double(value))) }
    mutating func encode(_ value: Int) throws { slot.set(.integer(value)) }
    mutating func encode(_ value: Int8) throws { slot.set(.integer(Int(value))) }
    mutating func encode(_ value: Int16) throws { slot.set(.integer(Int(value))) }
    mutating func encode(_ value: Int32) throws { slot.set(.integer(Int(value))) }
    mutating func encode(_ value: Int64) throws { slot.set(.integer(Int(value))) }
    mutating func encode(_ value: UInt) throws { try slot.store(value, codingPath: codingPath) }
    mutating func encode(_ value: UInt8) throws { slot.set(.integer(Int(value))) }
    mutating func encode(_ value: UInt16) throws { slot.set(.integer(Int(value))) }
    mutating func encode(_ value: UInt32) throws { slot.set(.integer(Int(value))) }
    mutating func encode(_ value: UInt64) throws { try slot.store(value, codingPath: codingPath) }
}

/// A `JSONValue` inside a record is kept as it is by `JSONValueEncoder`; other encoders get its
/// structure (a `.decimal` as the number its text reads).
extension JSONValue: Encodable {
    private struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { return nil }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null: var single = encoder.singleValueContainer(); try single.encodeNil()
        case .bool(let flag): var single = encoder.singleValueContainer(); try single.encode(flag)
        case .number(let number):
            var single = encoder.singleValueContainer()
            if number.isFinite { try single.encode(number) } else { try single.encodeNil() }
        case .integer(let number): var single = encoder.singleValueContainer(); try single.encode(number)
        case .decimal(let text):
            var single = encoder.singleValueContainer()
            if let number = Double(text) { try single.encode(number) } else { try single.encodeNil() }
        case .string(let text): var single = encoder.singleValueContainer(); try single.encode(text)
        case .array(let values):
            var list = encoder.unkeyedContainer()
            for value in values { try list.encode(value) }
        case .object(let pairs):
            var object = encoder.container(keyedBy: Key.self)
            for (key, value) in pairs { try object.encode(value, forKey: Key(stringValue: key)) }
        }
    }
}
