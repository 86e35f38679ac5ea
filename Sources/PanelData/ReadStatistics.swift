/// The size and wall time of one read, for reporting throughput.
public struct ReadStatistics: Sendable {
    /// Bytes taken from the input, header included.
    public let bytes: Int
    /// Wall-clock seconds from opening the input to the finished table.
    public let seconds: Double

    /// Creates statistics from a byte count and a duration in seconds.
    public init(bytes: Int, seconds: Double) {
        self.bytes = bytes
        self.seconds = seconds
    }

    /// Throughput in megabytes (10^6 bytes) per second, or 0 for an instant read.
    public var megabytesPerSecond: Double {
        seconds > 0 ? Double(bytes) / 1e6 / seconds : 0
    }
}
