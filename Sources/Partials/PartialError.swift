/// Why a partition could not be summed or partials could not be combined: one line that names the
/// file (and the column, level or partition) at fault.
public struct PartialError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
