/// A panel that cannot be described or estimated as given: names the file, column, unit, period
/// or row at fault.
public struct PanelError: Error, CustomStringConvertible, Sendable {
    /// One clear line for standard error.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
