import ArgumentParser
import LinearAlgebra
import PanelData
import Reporting
import Primitives

/// Where the data come from.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Data file: CSV with a header row (- for standard input), .csv.gz, Stata .dta, SPSS .sav, or Arrow/Feather (.arrow, .feather).",
        discussion: "The format follows the extension; --format-in overrides it."))
    var data: String

    @Option(name: .customLong("format-in"), help: ArgumentHelp(
        "Read --data as this format whatever its extension: csv, csv.gz, dta, sav or arrow.", valueName: "format"),
        transform: DataFormat.parsing)
    var formatIn: DataFormat?

    @Option(name: .long, help: "Field delimiter (one character; \\t for tab).", transform: FieldDelimiter.parsing)
    var delimiter: FieldDelimiter = .comma

    @Option(name: .customLong("max-memory"), help: ArgumentHelp(
        "Refuse, before reading, data that would need more memory than this (16G, 512M, or none).",
        discussion: "By default the limit is the memory the system has available. The need is estimated from the rows (counted in an Arrow, Stata or SPSS file's metadata, estimated from a CSV's size and first 4 MB; gzip is not checked) times the columns used.",
        valueName: "size"),
        transform: MemoryLimit.parsing)
    var maxMemory: MemoryLimit?

    /// Reads the columns a command needs, after checking that a run with `demand`'s working
    /// copies of them fits in memory (`MemoryCheck`).
    func read(columns: Set<String>, threads: Int, demand: MemoryDemand) throws -> DataTable {
        try MemoryCheck.enforce(path: data, format: formatIn ?? DataFormat.inferred(from: data), columns: columns.count,
                                demand: demand, maxMemory: maxMemory)
        return try Self.read(path: data, format: formatIn, delimiter: delimiter.byte, columns: columns, threads: threads)
    }

    /// Reads `path` as `format` (or as its extension says), keeping `columns`.
    static func read(path: String, format: DataFormat?, delimiter: UInt8, columns: Set<String>?, threads: Int) throws -> DataTable {
        var options = CSVReadOptions()
        options.delimiter = delimiter
        options.keepColumns = columns
        options.threads = threads
        InputFiles.register(path)
        let table = try DataReader.read(path: path, format: format, options: options)
        // Every command needs rows; saying so here keeps later steps from blaming an option
        // (--cohort, --treat) or a drop count for what is an empty file.
        guard table.rowCount > 0 else {
            throw CommandError("\(table.source): the data have no rows, only a header line")
        }
        return table
    }
}

/// Execution options.
struct ExecutionOptions: ParsableArguments {
    @Option(name: .long, help: "Worker threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .long, help: "Print timings as a JSON line on standard error.")
    var timings = false

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    /// With --timings, prints the seconds spent reading the data and in all as a JSON line on
    /// standard error (commands with more stages pass them to `reportTimings(started:stages:extra:)`).
    func reportTimings(started: DispatchTime, read: DispatchTime) {
        reportTimings(started: started, stages: [("read", Self.seconds(from: started, to: read))])
    }

    /// The seconds between two instants (to now by default).
    static func seconds(from start: DispatchTime, to end: DispatchTime = .now()) -> Double {
        Double(end.uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    /// The `--timings` line, one vocabulary for every command: `{"timings": {...}}` with each
    /// stage's duration as `<stage>_seconds` (read, fit, frame, estimate, vcov), then `extra`
    /// (counts such as `read_bytes`, `models`, `absorption_sweeps`), then the whole run's
    /// `total_seconds` and `peak_memory_bytes`. (Before, did, describe, trends and convert wrote
    /// `read` and `total` where feols and fepois wrote `read_seconds` and `total_seconds`.)
    func reportTimings(started: DispatchTime, stages: [(String, Double)], extra: [(String, JSONValue)] = []) {
        guard timings else { return }
        let record = TimingsRecord(stages: stages.map { (name: $0.0, seconds: $0.1) }, counts: extra,
                                   totalSeconds: Self.seconds(from: started), peakMemoryBytes: Self.peakResidentBytes)
        FileHandle.standardError.write(Data((record.json.compact() + "\n").utf8))
    }

    /// The process's peak resident memory so far, in bytes (`getrusage`'s high-water mark), for
    /// the --timings line: what the run needed, measured where it ran.
    static var peakResidentBytes: Int {
        #if os(Linux)
        let selfUsage = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let selfUsage = RUSAGE_SELF
        #endif
        var usage = rusage()
        guard getrusage(selfUsage, &usage) == 0 else { return 0 }
        #if os(Linux)
        return Int(usage.ru_maxrss) * 1024  // KiB on Linux
        #else
        return Int(usage.ru_maxrss)  // bytes on macOS
        #endif
    }

    /// Sets OpenBLAS's thread count for data with `rows` rows: never more than --threads, and one
    /// below a million rows, where waking BLAS's worker threads costs more than the small products
    /// save and their spin-waiting takes cores from the Dispatch workers.
    func limitBLASThreads(rows: Int) {
        BLASThreads.set(rows >= 1_000_000 ? threads : 1)
    }
}

import Foundation
