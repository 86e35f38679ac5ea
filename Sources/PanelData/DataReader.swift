/// Reads a data file of any supported format into a `DataTable`.
///
/// The format comes from the extension (`DataFormat.inferred(from:)`) unless the caller names
/// it. Every format follows the CSV reader's rules: only the columns in `keepColumns` are
/// materialised, naming an absent column is a `missingColumns` error, text equal to a missing
/// token becomes missing, and failures are `CSVError`s that name the file (and the column, row
/// or byte where there is one).
public enum DataReader {
    /// Reads `path` ("-" is standard input, for CSV and gzip) as `format`, or as its extension says.
    public static func read(
        path: String, format: DataFormat? = nil, options: CSVReadOptions = .init()
    ) throws(CSVError) -> DataTable {
        let format = format ?? DataFormat.inferred(from: path)
        switch format {
        case .csv:
            return try CSVReader.read(path: path, options: options)
        case .csvGzip:
            return try CSVReader.read(gzipPath: path, options: options)
        case .stata, .spss:
            try refuseStandardInput(path, format: format)
            return try ReadStatReader.read(path: path, format: format, options: options)
        case .arrow:
            try refuseStandardInput(path, format: format)
            return try ArrowReader.read(path: path, options: options)
        }
    }

    /// Binary formats are read by seeking (Stata's value labels sit after the data, Arrow's
    /// footer at the end), which standard input cannot do.
    private static func refuseStandardInput(_ path: String, format: DataFormat) throws(CSVError) {
        guard path == "-" else { return }
        throw CSVError(
            .unreadable, source: "<stdin>",
            message: "<stdin>: \(format.displayName) data cannot be read from standard input; give a file path")
    }
}
