import Foundation

/// Settings for `CSVReader`: the delimiter, which tokens mean "missing", which columns to keep,
/// and how many threads parse in parallel.
public struct CSVReadOptions: Sendable {
    /// The byte separating fields; a comma by default, `UInt8(ascii: "\t")` for TSV.
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// Field contents that mean a missing value (compared after trimming spaces around unquoted
    /// fields). Missing numbers become `Double.nan`, missing text becomes code `-1`.
    public var missingTokens: Set<String> = ["", "NA", "NaN", "."]
    /// The columns to materialise, or `nil` for all. Other columns are skipped while parsing, so
    /// they cost no memory; naming a column the header lacks is a `missingColumns` error.
    public var keepColumns: Set<String>? = nil
    /// The number of threads that parse each block; values below 1 mean 1.
    public var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    /// Bytes read from the input per step. Internal so tests can force many blocks on small
    /// inputs; a few MB keeps resident memory low while amortising the per-block overhead.
    internal var blockSize: Int = 8 << 20
    /// Blocks smaller than `threads` times this are parsed as one chunk, because splitting tiny
    /// blocks costs more in dispatch than it saves. Tests set it to 1 to force splitting.
    internal var minimumChunkBytes: Int = 256 << 10

    /// Creates options; every parameter has the default documented on its property.
    public init(
        delimiter: UInt8 = UInt8(ascii: ","),
        missingTokens: Set<String> = ["", "NA", "NaN", "."],
        keepColumns: Set<String>? = nil,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.delimiter = delimiter
        self.missingTokens = missingTokens
        self.keepColumns = keepColumns
        self.threads = threads
    }
}
