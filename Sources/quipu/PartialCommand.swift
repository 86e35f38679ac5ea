import ArgumentParser
import Foundation
import Inference
import PanelData
import Partials

/// `quipu partial`: one partition's sums for a fit past one machine (docs/scaling.md section 5).
/// The first pass (`--formula`) writes the partition's cross-products; the second
/// (`--solution`, the file `quipu combine` made of the first pass) writes its residual sums and
/// cluster scores. Both write one Arrow IPC file that `quipu combine` reads.
struct PartialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partial",
        abstract: "One partition's sums for a feols fit across partitions (then quipu combine).",
        discussion: """
            Pass 1: quipu partial --data part-3.arrow --part 3/8 --formula "y ~ x | firm + year" --nested-fe firm --vcov cluster:firm --output m-3.arrow
            then    quipu combine m-*.arrow --output solution.arrow
            Pass 2: quipu partial --data part-3.arrow --part 3/8 --solution solution.arrow --output s-3.arrow
            then    quipu combine --solution solution.arrow s-*.arrow   (the feols table of the whole data)
            --data - reads the partition as an Arrow IPC file from standard input.
            """
    )

    @Option(name: .long, help: "The partition: Arrow IPC (or any format feols reads); - reads Arrow from standard input.")
    var data: String

    @Option(name: .customLong("format-in"), help: ArgumentHelp("Read --data as this format whatever its extension: csv, csv.gz, dta, sav or arrow.", valueName: "format"),
            transform: DataFormat.parsing)
    var formatIn: DataFormat?

    @Option(name: .long, help: ArgumentHelp("This partition's index and the number of partitions, e.g. 3/8 (indices from 0).", valueName: "index/count"))
    var part: String

    @Option(name: .long, help: "Pass 1: the feols formula, e.g. \"y ~ x | firm + year\".")
    var formula: String?

    @Option(name: .long, help: "Pass 2: the solution quipu combine wrote from the first-pass partials (the model is read from it).")
    var solution: String?

    @Option(name: .customLong("nested-fe"), help: "A fixed effect whose levels never span partitions (the partition key or nested in it), absorbed within each partition; the other fixed effect enters as dummies.")
    var nestedFixedEffects: [String] = []

    @Option(name: .long, help: "Covariance: iid (default), hetero or cluster:VAR.", transform: CovarianceType.parsing)
    var vcov: CovarianceType = .iid

    @Option(name: .long, help: "Column of analytic weights (positive; zero weights drop the row).")
    var weights: String?

    @OptionGroup var fixedEffects: FixedEffectOptions

    @Option(name: .long, help: "Where to write the partial (Arrow IPC); - writes it to standard output.")
    var output: String

    /// The partition index and count of `--part`.
    var partition: (index: Int, count: Int)? {
        let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2, let index = Int(pieces[0]), let count = Int(pieces[1]), count >= 1, index >= 0, index < count else { return nil }
        return (index, count)
    }

    func validate() throws {
        guard partition != nil else { throw ValidationError("--part must be INDEX/COUNT with 0 ≤ INDEX < COUNT, e.g. 3/8; got '\(part)'") }
        switch (formula, solution) {
        case (nil, nil): throw ValidationError("give --formula (first pass) or --solution (second pass)")
        case (.some, .some): throw ValidationError("--formula and --solution exclude each other: the second pass reads the model from the solution")
        default: break
        }
        if solution != nil, !nestedFixedEffects.isEmpty || weights != nil || vcov != .iid {
            throw ValidationError("with --solution the model comes from the solution: leave out --nested-fe, --weights and --vcov")
        }
        try InputFiles.refuse(outputs: [("--output", output == "-" ? nil : output)], inputs: [("--data", data), ("--solution", solution)])
        if formula != nil {
            do {
                _ = try model()
            } catch let error as PartialError {
                throw ValidationError(error.message)
            }
        }
    }

    /// The first pass's model, from the options.
    private func model() throws -> PartialModel {
        try PartialModel(formula: formula ?? "", weights: weights, covariance: vcov, nested: nestedFixedEffects,
                         keepSingletons: fixedEffects.keepSingletons, collinearityTolerance: fixedEffects.collinearityTolerance,
                         fixedEffectTolerance: fixedEffects.fixefTolerance)
    }

    func run() throws {
        try reportingFailures {
            guard let (index, count) = partition else { return }
            let records: PartialRecords
            if let solution {
                InputFiles.register(solution)
                let solved = try PartialRecords.read(path: solution)
                let model = try PartialModel(records: solved)
                records = try PartialScores.records(table: try readPartition(columns: model.columns), solution: solved, index: index, count: count)
            } else {
                let model = try model()
                records = try PartialMoments.records(table: try readPartition(columns: model.columns), model: model, index: index, count: count)
            }
            try PartialOutput.write(records, to: output)
        }
    }

    /// The partition's columns; standard input is copied to a temporary file first, since an
    /// Arrow file is read from its footer.
    private func readPartition(columns: Set<String>) throws -> DataTable {
        var options = CSVReadOptions()
        options.keepColumns = columns
        options.threads = 1
        guard data == "-", formatIn == nil || formatIn == .arrow else {
            InputFiles.register(data)
            return try DataReader.read(path: data, format: formatIn, options: options)
        }
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("quipu-partition-\(getpid())-\(UUID().uuidString).arrow").path
        defer { try? FileManager.default.removeItem(atPath: spool) }
        let bytes = FileHandle.standardInput.readDataToEndOfFile()
        guard FileManager.default.createFile(atPath: spool, contents: bytes) else {
            throw CommandError("<stdin>: cannot copy standard input to a temporary file in \(FileManager.default.temporaryDirectory.path)")
        }
        let read = Result { () throws(CSVError) -> DataTable in try DataReader.read(path: spool, format: .arrow, options: options) }
        switch read {
        case .success(let table):
            return DataTable(source: "<stdin>", names: table.names, columns: table.columns, rowCount: table.rowCount)
        case .failure(let error):
            throw CommandError(error.description.replacingOccurrences(of: spool, with: "<stdin>"))
        }
    }
}
