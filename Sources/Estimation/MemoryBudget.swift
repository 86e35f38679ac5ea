import Foundation
import Primitives

/// How much memory a design may take, judged before it is allocated, so that a formula asking for
/// a hundred thousand indicator columns is refused with the figure instead of running the machine
/// out of memory.
///
/// The budget is three quarters of the memory the process may use: the machine's physical memory,
/// or a lower container (cgroup) limit. The quarter left over is headroom for the data already
/// read, the operating system and other programs.
public struct MemoryBudget: Sendable {
    /// The memory the process may use at all, in bytes.
    public let availableBytes: Double

    /// The share of `availableBytes` one design may claim.
    public static let usableShare = 0.75

    /// The budget of this machine.
    public static var machine: MemoryBudget {
        let physical = Double(ProcessInfo.processInfo.physicalMemory)
        let limit = containerLimit().map { min($0, physical) } ?? physical
        return MemoryBudget(availableBytes: limit > 0 ? limit : physical)
    }

    /// A budget over `availableBytes` (tests use small ones).
    public init(availableBytes: Double) {
        self.availableBytes = availableBytes
    }

    /// The bytes one design may claim.
    public var usableBytes: Double { availableBytes * Self.usableShare }

    /// Whether `bytes` fit in the budget.
    public func allows(_ bytes: Double) -> Bool { bytes <= usableBytes }

    /// The peak bytes a least-squares fit on `rows` × `columns` needs: the design while it is
    /// assembled column by column (two copies), one more N × k copy (the QR fallback's factor or the
    /// robust covariance's scores), and a few k × k matrices (cross-product, Cholesky factor,
    /// inverse). Computed in floating point so that absurd sizes cannot overflow.
    public static func leastSquaresBytes(rows: Int, columns: Int) -> Double {
        let n = Double(rows), k = Double(columns)
        return 8 * (3 * n * k + 5 * k * k)
    }

    /// `bytes` for people: "240 GB", "512 MB".
    public static func describe(_ bytes: Double) -> String {
        NumberFormat.bytes(bytes)
    }

    /// How the budget was set, for messages: "18 GB of this machine's 24 GB".
    public var summary: String {
        "\(Self.describe(usableBytes)) (\(Int(Self.usableShare * 100))% of the \(Self.describe(availableBytes)) this process may use)"
    }

    /// The memory limit of the process's control group, when one is set (containers, systemd
    /// slices); nil without one or off Linux.
    static func containerLimit() -> Double? {
        for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            // "max" means no limit; cgroup v1 reports an absurd number for none.
            if let value = Double(trimmed), value > 0, value < 1e18 { return value }
        }
        return nil
    }
}
