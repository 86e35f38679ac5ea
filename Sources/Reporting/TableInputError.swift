/// Input `quipu table` cannot use: a file that is not the JSON of a quipu run, or an option
/// whose value cannot be applied. The message names the file or option and what is wrong.
public struct TableInputError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
