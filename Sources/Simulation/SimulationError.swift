/// A problem with the simulation options, stated in one line that names the option at fault.
public struct SimulationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// One clear line for standard error.
    public let message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
