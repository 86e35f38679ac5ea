/// The extent of one quoted field: its content, any bytes after the closing quote, and where
/// the field ends.
struct QuotedField {
    /// The bytes between the quotes, doubled quotes still doubled.
    let content: UnsafeBufferPointer<UInt8>
    /// Whether `content` holds doubled quotes that must be collapsed.
    let hasDoubledQuotes: Bool
    /// Non-padding bytes between the closing quote and the field end (`"ab"c`), kept
    /// verbatim because RFC 4180 does not define them and dropping data silently is worse.
    let tail: UnsafeBufferPointer<UInt8>
    /// The delimiter, line break or end that closes the field.
    let fieldEnd: UnsafePointer<UInt8>
    /// Line breaks inside the quotes.
    let lineBreaks: Int
}
