import ArgumentParser
import LinearAlgebra
import PanelData

/// Where the data come from.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "CSV file with a header row, or - for standard input.")
    var data: String

    @Option(name: .long, help: "Field delimiter (one character; \\t for tab).")
    var delimiter: String = ","

    func validate() throws {
        guard delimiterByte != nil else {
            throw ValidationError("--delimiter must be a single ASCII character (or \\t), got '\(delimiter)'")
        }
    }

    var delimiterByte: UInt8? {
        if delimiter == "\\t" || delimiter == "tab" { return UInt8(ascii: "\t") }
        guard delimiter.utf8.count == 1, let byte = delimiter.utf8.first, byte < 128, byte != UInt8(ascii: "\"") else { return nil }
        return byte
    }

    /// Reads the columns a command needs.
    func read(columns: Set<String>?, threads: Int) throws -> DataTable {
        var options = CSVReadOptions()
        options.delimiter = delimiterByte ?? UInt8(ascii: ",")
        options.keepColumns = columns
        options.threads = threads
        return try CSVReader.read(path: data, options: options)
    }
}

/// The output format shared by commands that print a table.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown, latex, csv
}

/// Where and how results are written.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: OutputFormat = .text

    @Option(name: .long, help: "Write the results to this file (atomically) instead of standard output.")
    var output: String?

    /// Writes the text to the output file, or to standard output.
    func emit(_ text: String) throws {
        if let output {
            try AtomicFile.write(text, to: output)
        } else {
            print(text, terminator: "")
        }
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

    /// Sets OpenBLAS's thread count for data with `rows` rows: never more than --threads, and one
    /// below a million rows, where waking BLAS's worker threads costs more than the small products
    /// save and their spin-waiting takes cores from the Dispatch workers.
    func limitBLASThreads(rows: Int) {
        BLASThreads.set(rows >= 1_000_000 ? threads : 1)
    }
}

import Foundation
