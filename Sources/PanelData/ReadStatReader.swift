import CReadStat

/// Reads Stata `.dta` and SPSS `.sav`/`.zsav` files through ReadStat into a `DataTable`.
///
/// The rules, which match what a CSV exported from the same file gives:
/// - Missing values of every kind are missing: Stata's `.` and the extended codes `.a` to `.z`,
///   SPSS's system-missing and its user-defined missing values and ranges. A label attached to a
///   missing code (Stata's `.a "refused"`) does not bring the value back.
/// - A numeric variable with a value-label set becomes a text column: each labelled value reads
///   as its label, and a value the set does not label reads as its number written out ("3",
///   "2.5"), so no observation is silently dropped or merged with another.
/// - Other numeric variables are numbers; string variables are text, and a string equal to a
///   missing token (`""`, `NA`, `.`, ...) is missing, as in CSV.
/// - Only the kept columns are materialised: ReadStat skips the others' values.
enum ReadStatReader {
    /// Reads `path` as a Stata or SPSS file.
    static func read(path: String, format: DataFormat, options: CSVReadOptions) throws(CSVError) -> DataTable {
        let started = ContinuousClock.now
        try checkReadable(path)
        try checkSignature(path, format: format)
        let context = ReadStatContext(keep: options.keepColumns, missingTokens: options.missingTokens, fileSize: fileSize(path))
        guard let parser = readstat_parser_init() else {
            throw CSVError(.unreadable, source: path, message: "\(path): ReadStat could not be initialised")
        }
        defer { readstat_parser_free(parser) }
        readstat_set_metadata_handler(parser, ReadStatContext.handleMetadata)
        readstat_set_variable_handler(parser, ReadStatContext.handleVariable)
        readstat_set_value_handler(parser, ReadStatContext.handleValue)
        readstat_set_value_label_handler(parser, ReadStatContext.handleValueLabel)
        readstat_set_error_handler(parser, ReadStatContext.handleError)
        let mapped = try MappedFile(path: path)
        let input = UnsafeMutablePointer<ReadStatMappedInput>.allocate(capacity: 1)
        input.initialize(to: ReadStatMappedInput(bytes: mapped.bytes))
        defer { input.deallocate() }
        ReadStatMappedInput.install(on: parser, input: input)
        let sink = context.sink
        let status = withExtendedLifetime((context, mapped)) {
            format == .stata ? readstat_parse_dta(parser, path, sink) : readstat_parse_sav(parser, path, sink)
        }
        if let failure = context.failure {
            throw CSVError.malformed(source: path, format: format.displayName, failure)
        }
        if status != READSTAT_OK {
            var reason = String(cString: readstat_error_message(status))
            // ReadStat says only that a read failed when the file ends before its data do.
            if status == READSTAT_ERROR_READ || status == READSTAT_ERROR_SEEK { reason += " (the file ends early: truncated?)" }
            let detail = context.errorMessages.isEmpty ? reason : "\(reason) (\(context.errorMessages.joined(separator: "; ")))"
            throw CSVError.malformed(source: path, format: format.displayName, detail)
        }
        let kept = try ColumnSelection.keptIndices(names: context.allNames, keep: options.keepColumns, source: path)
        let columns = try context.finishColumns(source: path, format: format)
        let elapsed = started.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return DataTable(
            source: path, names: kept.map { context.allNames[$0] }, columns: columns,
            rowCount: context.rowsRead, readStatistics: ReadStatistics(bytes: fileSize(path), seconds: seconds))
    }

    /// Fails as the CSV reader does for a path that does not exist or is a directory, before
    /// ReadStat turns either into a vaguer "unable to open".
    private static func checkReadable(_ path: String) throws(CSVError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw CSVError(.fileNotFound, source: path, message: "\(path): no such file")
            }
            throw CSVError(.unreadable, source: path, message: "\(path): cannot open (\(ByteSource.reason(code)))")
        }
        if status.st_mode & S_IFMT == S_IFDIR {
            throw CSVError(.unreadable, source: path, message: "\(path): is a directory, not a data file")
        }
    }

    /// Fails, naming what the file is, when its first bytes are not a Stata or SPSS signature
    /// (ReadStat says only "this version of the file format is not supported" of a renamed CSV).
    private static func checkSignature(_ path: String, format: DataFormat) throws(CSVError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var start = [UInt8](repeating: 0, count: 64)
        let got = start.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard got > 0 else { return }
        if let problem = InputSignature.readStatProblem(Array(start[0..<got]), name: path, format: format) {
            throw CSVError(.malformed, source: path, message: problem)
        }
    }

    /// The file's size in bytes, for the read statistics and the header's plausibility.
    static func fileSize(_ path: String) -> Int {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : 0
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
