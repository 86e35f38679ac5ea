import Foundation

/// Decides, before a file is read, whether a command's data will fit in memory.
///
/// Goals, in order: a command that cannot fit says so at once, with the figures behind the
/// verdict, instead of reading for minutes and being killed by the kernel; a command that might
/// fit is never refused, only warned about; and the check costs nothing next to the read
/// (`RowCountEstimate`).
///
/// What a run needs is the columns it materialises (8 bytes a value) times a factor for the
/// command's working copies, measured with `/usr/bin/time` on the benchmark panels
/// (`Benchmarks/README.md`). The factor depends on the data, which are not read yet: `feols`
/// peaks at 1.34–1.55 times its columns on firm-year panels and 2.0–2.4 on difficult worker-firm
/// graphs, `fepois` at 2.9, the staggered estimators at about 3. So each command has a lower
/// factor, below which no measured run went (more than the memory at that is a refusal), and an
/// upper one, above which none went (more than the memory at that is a warning).
///
/// The check decides (`MemoryCheck.assess`); the command line words the refusal or the warning.
public struct MemoryDemand: Sendable {
    /// Peak memory over the materialised columns' size: the least and the most measured.
    public let lowerFactor: Double, upperFactor: Double
    /// What the command is called in the message ("feols").
    public let command: String

    public init(lowerFactor: Double, upperFactor: Double, command: String) {
        self.lowerFactor = lowerFactor
        self.upperFactor = upperFactor
        self.command = command
    }

    public static let leastSquares = MemoryDemand(lowerFactor: 1.3, upperFactor: 2.5, command: "feols")
    public static let poisson = MemoryDemand(lowerFactor: 2.5, upperFactor: 3.0, command: "fepois")
    public static let differenceInDifferences = MemoryDemand(lowerFactor: 1.3, upperFactor: 3.2, command: "did")
    public static let panelSummary = MemoryDemand(lowerFactor: 1.0, upperFactor: 1.5, command: "this command")
    /// `convert` holds the table once and writes it column by column. Measured (debug build,
    /// --timings) on a 4·10^6-row, five-column panel (160 MB of columns): 1.4 times the columns
    /// from CSV, 1.9 from Arrow, whose mapped input pages count as resident too.
    public static let conversion = MemoryDemand(lowerFactor: 1.0, upperFactor: 2.0, command: "convert")

    /// The runtime, OpenBLAS and the retained heap: a fit on a 471-row file peaks at 28 MiB.
    public static let fixedBytes = 40 << 20
}

/// Whether a command's columns of a file fit in the memory it may use: nil when they fit at the
/// command's upper factor (or when the rows cannot be estimated cheaply: standard input, gzip),
/// else the figures behind a warning (they might not fit) or a refusal (they cannot, even at the
/// lower factor).
public struct MemoryCheck: Sendable {
    /// The rows of the file, counted or estimated.
    public let rows: RowCountEstimate
    /// The columns the command would hold, and their size as doubles.
    public let columns: Int, columnBytes: Double
    /// The memory needed at the command's lower and upper factors, with the fixed overhead.
    public let least: Double, most: Double
    /// The limit checked against, in bytes.
    public let limit: Int

    /// Whether even the least the command needs is more than the limit: refuse to read.
    public var cannotFit: Bool { least > Double(limit) }

    /// Checks `columns` columns of `path` against `limit` bytes (nil: no limit, no check).
    public static func assess(path: String, format: DataFormat, columns: Int, demand: MemoryDemand, limit: Int?) -> MemoryCheck? {
        guard let limit, columns > 0, let estimate = RowCountEstimate.estimate(path: path, format: format) else { return nil }
        let columnBytes = Double(estimate.rows) * Double(columns) * 8
        let fixed = Double(MemoryDemand.fixedBytes)
        let least = columnBytes * demand.lowerFactor + fixed
        let most = columnBytes * demand.upperFactor + fixed
        guard most > Double(limit) else { return nil }
        return MemoryCheck(rows: estimate, columns: columns, columnBytes: columnBytes, least: least, most: most, limit: limit)
    }

    /// Bytes the process can still use: the smaller of the kernel's `MemAvailable` and the room
    /// left under a cgroup v2 limit (a container's), or `nil` when neither can be read.
    public static func available() -> Int? {
        var candidates: [Int] = []
        if let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kib = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            candidates.append(kib * 1024)
        }
        let read = { (path: String) in
            (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        if let limit = read("/sys/fs/cgroup/memory.max"), let used = read("/sys/fs/cgroup/memory.current") {
            candidates.append(max(0, limit - used))
        }
        return candidates.min()
    }
}
