import ArgumentParser
import Foundation
import PanelData
import Reporting

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
struct MemoryDemand {
    /// Peak memory over the materialised columns' size: the least and the most measured.
    let lowerFactor: Double, upperFactor: Double
    /// What the command is called in the message ("feols").
    let command: String

    static let leastSquares = MemoryDemand(lowerFactor: 1.3, upperFactor: 2.5, command: "feols")
    static let poisson = MemoryDemand(lowerFactor: 2.5, upperFactor: 3.0, command: "fepois")
    static let differenceInDifferences = MemoryDemand(lowerFactor: 1.3, upperFactor: 3.2, command: "did")
    static let panelSummary = MemoryDemand(lowerFactor: 1.0, upperFactor: 1.5, command: "this command")
    /// `convert` holds the table once and writes it column by column. Measured (debug build,
    /// --timings) on a 4·10^6-row, five-column panel (160 MB of columns): 1.4 times the columns
    /// from CSV, 1.9 from Arrow, whose mapped input pages count as resident too.
    static let conversion = MemoryDemand(lowerFactor: 1.0, upperFactor: 2.0, command: "convert")

    /// The runtime, OpenBLAS and the retained heap: a fit on a 471-row file peaks at 28 MiB.
    static let fixedBytes = 40 << 20
}

/// The memory a command may use: `--max-memory`, else what the system says is available.
enum MemoryBudget {
    /// Bytes the process can still use: the smaller of the kernel's `MemAvailable` and the room
    /// left under a cgroup v2 limit (a container's), or `nil` when neither can be read.
    static func available() -> Int? {
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

    /// `check` against a command's `--max-memory` value as given (nil: the memory available now).
    static func check(path: String, format: DataFormat, columns: Int, demand: MemoryDemand, maxMemory: MemoryLimit?) throws {
        let limit = maxMemory.map(\.byteCount) ?? available()
        try check(path: path, format: format, columns: columns, demand: demand, limit: limit, limitGiven: maxMemory != nil)
    }

    /// Throws, naming the file and the figures, when `columns` columns of `path` cannot fit even
    /// at the command's lower factor; warns when they might not at its upper one. Says nothing
    /// when the rows cannot be estimated cheaply (standard input, gzip).
    static func check(
        path: String, format: DataFormat, columns: Int, demand: MemoryDemand, limit: Int?, limitGiven: Bool
    ) throws {
        guard let limit, columns > 0, let estimate = RowCountEstimate.estimate(path: path, format: format) else { return }
        let columnBytes = Double(estimate.rows) * Double(columns) * 8
        let fixed = Double(MemoryDemand.fixedBytes)
        let least = columnBytes * demand.lowerFactor + fixed
        let most = columnBytes * demand.upperFactor + fixed
        guard most > Double(limit) else { return }
        let rows = estimate.exact ? "\(NumberFormat.grouped(estimate.rows)) rows (\(estimate.basis))" : "about \(NumberFormat.grouped(estimate.rows)) rows (\(estimate.basis))"
        let room = limitGiven ? "the \(byteDescription(limit)) that --max-memory allows" : "the \(byteDescription(limit)) the system has available"
        let holding = "\(path): \(rows); \(demand.command) would hold \(columns) column\(columns == 1 ? "" : "s") of it, "
            + "\(byteDescription(Int(columnBytes))) as doubles"
        guard least > Double(limit) else {
            warn(holding + ", and may need up to \(byteDescription(Int(most))) with its working copies (at least "
                + "\(byteDescription(Int(least)))), more than \(room); reading it anyway")
            return
        }
        let advice = limitGiven
            ? "Raise --max-memory if the limit is too low"
            : "Run it on a machine with more memory or on part of the file (--max-memory none skips this check)"
        throw CommandError(
            holding + ", and needs at least \(byteDescription(Int(least))) with its working copies, more than \(room); "
                + "not reading it. \(advice)")
    }
}
