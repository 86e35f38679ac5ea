/// A table read from a CSV input: named columns of equal length, in file order.
public struct DataTable: Sendable {
    /// The file path as given, or `"<stdin>"`.
    public let source: String
    /// The column names in file order (only the kept columns).
    public let names: [String]
    /// The columns, parallel to `names`.
    public let columns: [Column]
    /// The number of data rows.
    public let rowCount: Int
    /// How many bytes the read took in and how long it lasted.
    public let readStatistics: ReadStatistics

    /// Creates a table; all columns must have `rowCount` values.
    public init(
        source: String, names: [String], columns: [Column], rowCount: Int,
        readStatistics: ReadStatistics = ReadStatistics(bytes: 0, seconds: 0)
    ) {
        self.source = source
        self.names = names
        self.columns = columns
        self.rowCount = rowCount
        self.readStatistics = readStatistics
    }

    /// The position of the column called exactly `name`, or `nil`.
    public func index(of name: String) -> Int? {
        names.firstIndex(of: name)
    }

    /// The column called exactly `name`, or `nil`.
    public func column(named name: String) -> Column? {
        index(of: name).map { columns[$0] }
    }
}
