/// A JSON document with ordered object keys, written by hand so that numbers keep full double
/// precision (Swift's shortest round-trip representation) and key order stays stable.
///
/// This is Quipu's one JSON text writer: every command's JSON, the report's files and the
/// simulation's truth file are serialized here (records reach it through `JSONValueEncoder`).
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int)
    /// A number its writer already wrote as text with fixed decimals (the simulation's truth
    /// file rounds in `FixedPoint`, so its digits never depend on the platform's float printing);
    /// written verbatim, so it must be a valid JSON number.
    case decimal(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// How containers are laid out in `serialized`.
    public enum Layout: Sendable {
        /// Arrays of scalars, and objects of at most 8 scalars, on one line (the commands' output).
        case inlineScalars
        /// Every non-empty array and object over several lines (the simulation's truth file).
        case expanded
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.serialized() == rhs.serialized() }

    /// A number, or `null` when it is not finite (JSON has no NaN or infinity).
    public static func finite(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    /// The JSON text, pretty-printed with two-space indentation.
    public func serialized(indent: Int = 0, layout: Layout = .inlineScalars) -> String {
        let pad = String(repeating: "  ", count: indent)
        let inner = String(repeating: "  ", count: indent + 1)
        switch self {
        case .null: return "null"
        case let .bool(value): return value ? "true" : "false"
        case let .number(value):
            guard value.isFinite else { return "null" }
            if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) + ".0" }
            return "\(value)"
        case let .integer(value): return String(value)
        case let .decimal(text): return text
        case let .string(value): return Self.quote(value)
        case let .array(values):
            if values.isEmpty { return "[]" }
            if layout == .inlineScalars, values.allSatisfy({ $0.isScalar }) {
                return "[" + values.map { $0.serialized() }.joined(separator: ", ") + "]"
            }
            return "[\n" + values.map { inner + $0.serialized(indent: indent + 1, layout: layout) }.joined(separator: ",\n") + "\n" + pad + "]"
        case let .object(pairs):
            if pairs.isEmpty { return "{}" }
            if layout == .inlineScalars, pairs.allSatisfy({ $0.1.isScalar }) && pairs.count <= 8 {
                return "{" + pairs.map { Self.quote($0.0) + ": " + $0.1.serialized() }.joined(separator: ", ") + "}"
            }
            return "{\n" + pairs.map { inner + Self.quote($0.0) + ": " + $0.1.serialized(indent: indent + 1, layout: layout) }
                .joined(separator: ",\n") + "\n" + pad + "}"
        }
    }

    /// The JSON text on one line, as machine consumers of a log line want it.
    public func compact() -> String {
        switch self {
        case let .array(values): return "[" + values.map { $0.compact() }.joined(separator: ",") + "]"
        case let .object(pairs): return "{" + pairs.map { Self.quote($0.0) + ":" + $0.1.compact() }.joined(separator: ",") + "}"
        default: return serialized()
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
