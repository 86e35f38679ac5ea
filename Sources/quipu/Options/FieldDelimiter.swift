import ArgumentParser

/// `--delimiter`: one ASCII character other than the quote, or `\t` (or `tab`) for a tab.
struct FieldDelimiter: OptionValue, Equatable {
    /// The byte that separates fields.
    let byte: UInt8

    static let comma = FieldDelimiter(byte: UInt8(ascii: ","))

    static func parsing(_ text: String) throws -> FieldDelimiter {
        if text == "\\t" || text == "tab" { return FieldDelimiter(byte: UInt8(ascii: "\t")) }
        guard text.utf8.count == 1, let byte = text.utf8.first, byte < 128, byte != UInt8(ascii: "\"") else {
            throw ValidationError("the delimiter must be a single ASCII character other than \" (or \\t for tab)")
        }
        return FieldDelimiter(byte: byte)
    }

    var defaultValueDescription: String { byte == UInt8(ascii: "\t") ? "\\t" : String(UnicodeScalar(byte)) }
}
