import ArgumentParser
import LinearAlgebra
import PanelData
import Reporting

/// Where the data come from.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Data file: CSV with a header row (- for standard input), .csv.gz, Stata .dta, SPSS .sav, or Arrow/Feather (.arrow, .feather).",
        discussion: "The format follows the extension; --format-in overrides it."))
    var data: String

    @Option(name: .customLong("format-in"), help: ArgumentHelp(
        "Read --data as this format whatever its extension: csv, csv.gz, dta, sav or arrow.", valueName: "format"))
    var formatIn: String?

    @Option(name: .long, help: "Field delimiter (one character; \\t for tab).")
    var delimiter: String = ","

    func validate() throws {
        if let formatIn, DataFormat(rawValue: formatIn.lowercased()) == nil {
            let names = DataFormat.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--format-in must be one of \(names), got '\(formatIn)'")
        }
        guard delimiterByte != nil else {
            throw ValidationError("--delimiter must be a single ASCII character (or \\t), got '\(delimiter)'")
        }
    }

    var delimiterByte: UInt8? {
        if delimiter == "\\t" || delimiter == "tab" { return UInt8(ascii: "\t") }
        guard delimiter.utf8.count == 1, let byte = delimiter.utf8.first, byte < 128, byte != UInt8(ascii: "\"") else { return nil }
        return byte
    }

    /// Reads the columns a command needs (all of them when `columns` is nil).
    func read(columns: Set<String>?, threads: Int) throws -> DataTable {
        try Self.read(
            path: data, format: formatIn.flatMap { DataFormat(rawValue: $0.lowercased()) },
            delimiter: delimiterByte ?? UInt8(ascii: ","), columns: columns, threads: threads)
    }

    /// Reads `path` as `format` (or as its extension says), keeping `columns`.
    static func read(path: String, format: DataFormat?, delimiter: UInt8, columns: Set<String>?, threads: Int) throws -> DataTable {
        var options = CSVReadOptions()
        options.delimiter = delimiter
        options.keepColumns = columns
        options.threads = threads
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
    /// standard error (commands with more stages print their own).
    func reportTimings(started: DispatchTime, read: DispatchTime) {
        guard timings else { return }
        let seconds = { (from: DispatchTime, to: DispatchTime) in Double(to.uptimeNanoseconds - from.uptimeNanoseconds) / 1e9 }
        let line = JSONValue.object([("timings", .object([
            ("read", .number(seconds(started, read))), ("total", .number(seconds(started, DispatchTime.now()))),
        ]))])
        FileHandle.standardError.write(Data((line.compact() + "\n").utf8))
    }

    /// Sets OpenBLAS's thread count for data with `rows` rows: never more than --threads, and one
    /// below a million rows, where waking BLAS's worker threads costs more than the small products
    /// save and their spin-waiting takes cores from the Dispatch workers.
    func limitBLASThreads(rows: Int) {
        BLASThreads.set(rows >= 1_000_000 ? threads : 1)
    }
}

import Foundation
