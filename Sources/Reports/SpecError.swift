/// A spec the report cannot run: names the spec file and the line or key at fault.
public struct SpecError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let location: SpecLocation?
    public let message: String

    public init(path: String, location: SpecLocation?, _ message: String) {
        self.path = path
        self.location = location
        self.message = message
    }

    public var description: String {
        guard let location else { return "\(path): \(message)" }
        if let line = location.line {
            return "\(path):\(line):\(location.column ?? 1): \(location.keyPath): \(message)"
        }
        return "\(path): \(location.keyPath): \(message)"
    }
}
