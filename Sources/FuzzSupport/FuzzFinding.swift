#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A broken promise found by a fuzz target without a crash: two ways of reading the same bytes
/// that disagree, or a result whose parts do not fit together.
///
/// Traps (overflow, out-of-bounds access, a failed precondition) need no finding: they stop the
/// process, and libFuzzer or the test runner reports them with the input.
public struct FuzzFinding: Error, CustomStringConvertible, Sendable {
    /// What went wrong, in one line.
    public let message: String

    /// Creates a finding.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Settings read from the environment, shared by the fuzzers and the corpus test.
public enum FuzzSettings {
    /// Whether the strict checks run too (`QUIPU_FUZZ_STRICT=1`): properties that are desirable
    /// but not yet promised everywhere, such as every formula's canonical text parsing back to
    /// the same formula and text levels staying distinct byte for byte.
    public static let strict: Bool = environmentFlag("QUIPU_FUZZ_STRICT", default: false)

    /// Whether the targets describe each input's fate on standard error (`QUIPU_FUZZ_VERBOSE=1`),
    /// for replaying a crash file: the formula parsed, the frame's error, the coefficients.
    public static let verbose: Bool = environmentFlag("QUIPU_FUZZ_VERBOSE", default: false)

    /// Writes a line to standard error when `verbose`.
    static func note(_ text: @autoclosure () -> String) {
        guard verbose else { return }
        let line = text() + "\n"
        line.utf8CString.withUnsafeBufferPointer { _ = write(2, $0.baseAddress, $0.count - 1) }
    }

    /// Whether the fuzz targets also exercise internal reader settings (small blocks forcing
    /// chunk splits); true in debug builds and in `make fuzz` builds (`-DQUIPU_FUZZ_INTERNALS`).
    public static var exercisesInternals: Bool { CSVFuzzTarget.exercisesInternals }

    static func environmentFlag(_ name: String, default value: Bool) -> Bool {
        guard let raw = getenv(name) else { return value }
        let text = String(cString: raw)
        return !(text.isEmpty || text == "0" || text.lowercased() == "false" || text.lowercased() == "no")
    }
}

extension UnsafeRawBufferPointer {
    /// The bytes in hexadecimal, shortened in the middle past `limit` bytes; for messages.
    public func hexDump(limit: Int = 256) -> String {
        let digits = Array("0123456789abcdef")
        func hex(_ byte: UInt8) -> String { String([digits[Int(byte >> 4)], digits[Int(byte & 15)]]) }
        if count <= limit { return map(hex).joined() }
        let head = self[0..<(limit / 2)].map(hex).joined()
        let tail = self[(count - limit / 2)..<count].map(hex).joined()
        return "\(head)…(\(count) bytes)…\(tail)"
    }
}
