import ArgumentParser
import Foundation
import PanelData

/// `quipu convert`: rewrites a data file as Arrow IPC, so later models map it instead of parsing it.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a data file (CSV, .csv.gz, .dta, .sav, Arrow) to an Arrow IPC (Feather v2) file.",
        discussion: """
            A panel converted once is read without parsing by every later command, and pandas \
            (read_feather), polars (read_ipc) and R arrow (read_feather) read the file too. Numeric \
            columns are written as float64 (missing values null), text columns as dictionary-encoded \
            strings (pandas categoricals, R factors). The file is uncompressed, so Quipu maps it \
            into memory.

            Example:
              quipu convert panel.csv panel.arrow
            """
    )

    @Argument(help: "The data file to read; its extension gives its format unless --format-in does.")
    var input: String

    @Argument(help: "The Arrow file to write (.arrow, .feather or .ipc).")
    var output: String

    @Option(name: .customLong("format-in"), help: ArgumentHelp(
        "Read the input as this format whatever its extension: csv, csv.gz, dta, sav or arrow.", valueName: "format"),
        transform: DataFormat.parsing)
    var formatIn: DataFormat?

    @Option(name: .long, help: "Field delimiter of CSV input (one character; \\t for tab).", transform: FieldDelimiter.parsing)
    var delimiter: FieldDelimiter = .comma

    @Option(name: .customLong("max-memory"), help: ArgumentHelp(
        "Refuse, before reading, an input that would need more memory than this (16G, 512M, or none).",
        discussion: "By default the limit is the memory the system has available; every column is kept, so the need is the rows (as the other commands count them) times all the columns.",
        valueName: "size"),
        transform: MemoryLimit.parsing)
    var maxMemory: MemoryLimit?

    @OptionGroup var execution: ExecutionOptions

    func validate() throws {
        guard DataFormat.inferred(from: output) == .arrow else {
            throw ValidationError("convert writes Arrow IPC files: give the output a .arrow, .feather or .ipc extension, got '\(output)'")
        }
    }

    func run() throws {
        try reportingFailures {
            let started = DispatchTime.now()
            try InputFiles.refuse(outputs: [("the output", output)], inputs: [("input", input)])
            let inferred = formatIn ?? DataFormat.inferred(from: input)
            if let columns = RowCountEstimate.columnCount(path: input, format: inferred, delimiter: delimiter.byte) {
                try MemoryCheck.enforce(path: input, format: inferred, columns: columns, demand: .conversion, maxMemory: maxMemory)
            }
            let table = try DataOptions.read(
                path: input, format: formatIn,
                delimiter: delimiter.byte, columns: nil, threads: execution.threads)
            let read = DispatchTime.now()
            try InputFiles.checkWrite(to: output, option: "the output")
            try ArrowWriter.write(table, to: output)
            let text = table.columns.filter { if case .text = $0 { true } else { false } }.count
            FileHandle.standardError.write(Data((
                "quipu: wrote \(output): \(table.rowCount) rows, \(table.names.count) columns "
                    + "(\(table.names.count - text) numeric, \(text) text)\n").utf8))
            execution.reportTimings(started: started, read: read)
        }
    }
}
