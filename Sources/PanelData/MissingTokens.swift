/// The set of missing-value tokens as bytes, matched without creating strings.
struct MissingTokens: Sendable {
    /// The tokens' UTF-8 bytes.
    let tokens: [[UInt8]]
    /// The longest token's length, so longer fields skip the comparison entirely.
    let maximumLength: Int
    /// Whether some token also reads as a number other than NaN (say "-999"); then every field
    /// must be checked against the set before it is parsed as a number. "NaN" does not count:
    /// as a number or as missing it is NaN either way.
    let includesNumber: Bool

    /// The tokens of `set`, in a fixed order so matching does not depend on hashing.
    init(_ set: Set<String>) {
        let tokens = set.sorted().map { Array($0.utf8) }
        self.tokens = tokens
        self.maximumLength = tokens.map(\.count).max() ?? -1
        self.includesNumber = tokens.contains { bytes in
            bytes.withUnsafeBytes { DecimalParser.parse($0).map { !$0.isNaN } ?? false }
        }
    }

    /// Whether `field` is one of the tokens.
    @inline(__always)
    func contains(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = field.count
        if count > maximumLength { return false }
        for token in tokens where token.count == count {
            var equal = true
            for i in 0..<count where token[i] != field[i] {
                equal = false
                break
            }
            if equal { return true }
        }
        return false
    }
}
