/// The bytes the CSV grammar gives meaning to (besides the configurable delimiter).
extension UInt8 {
    static let newline = UInt8(ascii: "\n")
    static let quote = UInt8(ascii: "\"")
    static let carriageReturn = UInt8(ascii: "\r")
}
