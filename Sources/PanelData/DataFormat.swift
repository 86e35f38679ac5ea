/// The file formats `DataReader` reads, chosen from a path's extension or named by `--format-in`.
public enum DataFormat: String, CaseIterable, Sendable {
    /// Comma- (or otherwise) delimited text with a header row.
    case csv
    /// CSV compressed with gzip (`.csv.gz`), inflated by zlib as it is parsed.
    case csvGzip = "csv.gz"
    /// A Stata dataset (`.dta`, versions 104 to 119), read by ReadStat.
    case stata = "dta"
    /// An SPSS system file (`.sav`, or `.zsav` with compressed blocks), read by ReadStat.
    case spss = "sav"
    /// An Apache Arrow IPC file (Feather v2): `.arrow`, `.feather`, `.ipc`.
    case arrow

    /// The name used in messages.
    public var displayName: String {
        switch self {
        case .csv: "CSV"
        case .csvGzip: "gzip"
        case .stata: "Stata .dta"
        case .spss: "SPSS .sav"
        case .arrow: "Arrow IPC"
        }
    }

    /// The format a path's extension names, or CSV for any other extension (and for "-",
    /// standard input), as before there were other formats.
    public static func inferred(from path: String) -> DataFormat {
        let lowered = path.lowercased()
        let suffixes: [(String, DataFormat)] = [
            (".gz", .csvGzip), (".dta", .stata), (".sav", .spss), (".zsav", .spss),
            (".arrow", .arrow), (".feather", .arrow), (".ipc", .arrow),
        ]
        return suffixes.first { lowered.hasSuffix($0.0) }?.1 ?? .csv
    }
}
