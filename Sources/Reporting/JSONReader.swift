import Foundation

/// Parses JSON into Swift values (`[String: Any]`, `[Any]`, `Double`, `Bool`, `String`, `NSNull`)
/// with every number read exactly.
///
/// Why not `JSONSerialization`: on Linux it returns numbers as `NSDecimalNumber`, whose
/// `doubleValue` can miss the written double by an ulp (0.08434459118785965 comes back as
/// ...967), and a table must show the numbers the run wrote. `JSONDecoder` reads doubles exactly.
public enum JSONReader {
    /// The document in `data`; throws `DecodingError` when it is not JSON.
    public static func parse(_ data: Data) throws -> Any {
        try JSONDecoder().decode(Node.self, from: data).value
    }

    /// One JSON value, decoded by trying each kind in turn.
    private struct Node: Decodable {
        let value: Any

        init(from decoder: Decoder) throws {
            if var list = try? decoder.unkeyedContainer() {
                var values = [Any]()
                while !list.isAtEnd { values.append(try list.decode(Node.self).value) }
                value = values
                return
            }
            if let object = try? decoder.container(keyedBy: Key.self) {
                var values = [String: Any]()
                for key in object.allKeys { values[key.stringValue] = try object.decode(Node.self, forKey: key).value }
                value = values
                return
            }
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                value = NSNull()
            } else if let flag = try? single.decode(Bool.self) {
                value = flag
            } else if let number = try? single.decode(Double.self) {
                value = number
            } else {
                value = try single.decode(String.self)
            }
        }
    }

    /// Any object key.
    private struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}
