/// A problem with the data or the model that stops an estimation, stated in one line that names
/// the file, column, row or term at fault.
public struct EstimationError: Error, CustomStringConvertible, Sendable {
    /// One clear line for standard error.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
