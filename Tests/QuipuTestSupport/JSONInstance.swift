import Foundation

/// A parsed JSON document for schema validation, keeping what `JSONSerialization` blurs on Linux:
/// a boolean is not a number, and a number is read as the double it spells.
public indirect enum JSONInstance: Decodable, Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONInstance])
    case object([String: JSONInstance])

    /// `data` parsed; throws when it is not JSON.
    public static func parse(_ data: Data) throws -> JSONInstance {
        try JSONDecoder().decode(JSONInstance.self, from: data)
    }

    /// `text` parsed; throws when it is not JSON.
    public static func parse(_ text: String) throws -> JSONInstance { try parse(Data(text.utf8)) }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer() {
            if single.decodeNil() { self = .null; return }
            if let flag = try? single.decode(Bool.self) { self = .bool(flag); return }
            if let number = try? single.decode(Double.self) { self = .number(number); return }
            if let text = try? single.decode(String.self) { self = .string(text); return }
        }
        if var list = try? decoder.unkeyedContainer() {
            var values = [JSONInstance]()
            while !list.isAtEnd { values.append(try list.decode(JSONInstance.self)) }
            self = .array(values)
            return
        }
        let object = try decoder.container(keyedBy: AnyKey.self)
        var values = [String: JSONInstance]()
        for key in object.allKeys { values[key.stringValue] = try object.decode(JSONInstance.self, forKey: key) }
        self = .object(values)
    }

    /// The value under `key` of an object, or nil.
    public subscript(key: String) -> JSONInstance? {
        if case .object(let values) = self { return values[key] }
        return nil
    }

    /// The JSON type names this value has ("integer" also for a whole number).
    var typeNames: Set<String> {
        switch self {
        case .null: return ["null"]
        case .bool: return ["boolean"]
        case .number(let value): return value == value.rounded() && value.isFinite ? ["number", "integer"] : ["number"]
        case .string: return ["string"]
        case .array: return ["array"]
        case .object: return ["object"]
        }
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { return nil }
    }
}
