import CReadStat

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many rows a data file holds, found or estimated before it is read.
///
/// Goals, in order: never wrong by more than a few per cent on the files evaluators hold, so
/// that a command can say before reading that the data will not fit in memory; cost nothing
/// next to the read (a footer, a header, or the first few megabytes); and fail silently (`nil`),
/// leaving the reader to report a bad file as it always does.
///
/// - Arrow IPC: exact, the sum of the record batches' lengths in their metadata.
/// - Stata and SPSS: exact, the row count in the file's header (ReadStat's metadata), when the
///   writer recorded one.
/// - CSV: the file's size divided by the mean length of the records in `sampleBytes` read
///   from four places, or an exact count when the file is no larger than that.
/// - gzip: `nil`. The inflated size is not known before inflating (the trailer holds it only
///   modulo 4 GiB), and a guess would be as likely to refuse a file that fits as to pass one
///   that does not.
public struct RowCountEstimate: Sendable, Equatable {
    /// The number of data rows (the header line not counted).
    public let rows: Int
    /// True when `rows` was counted or read from the file's metadata, not extrapolated.
    public let exact: Bool
    /// How the figure was found, to quote in a message ("from its footer").
    public let basis: String

    /// Finds or estimates the rows of `path` read as `format`; `nil` when that cannot be done
    /// cheaply (standard input, gzip, an unreadable or malformed file).
    public static func estimate(path: String, format: DataFormat, sampleBytes: Int = 4 << 20) -> RowCountEstimate? {
        guard path != "-" else { return nil }
        switch format {
        case .csv: return csv(path: path, sampleBytes: max(sampleBytes, 1024))
        case .csvGzip: return nil
        case .arrow: return arrow(path: path)
        case .stata, .spss: return readStat(path: path, format: format)
        }
    }

    /// Counts line ends in `sampleBytes` read from four places (the start and three evenly
    /// spaced offsets), and scales by the file's size. Several places because a file sorted by
    /// a growing identifier has longer records at its end than at its start (one sample at the
    /// start was 8% low on such a file). Line ends are LF (CRLF counted once) or, in a file with
    /// no LF in the first piece, lone CR.
    private static func csv(path: String, sampleBytes: Int) -> RowCountEstimate? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        let fileSize = Int(status.st_size)
        guard fileSize > 0 else { return nil }
        let read = { (offset: Int, count: Int) -> [UInt8] in
            var bytes = [UInt8](repeating: 0, count: count)
            var filled = 0
            while filled < count {
                let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, count - filled, off_t(offset + filled)) }
                guard got > 0 else { break }
                filled += got
            }
            return Array(bytes[0..<filled])
        }
        if fileSize <= sampleBytes { return counted(read(0, fileSize)) }
        let pieceBytes = sampleBytes / 4
        let first = read(0, pieceBytes)
        let endByte: UInt8 = first.contains(0x0A) ? 0x0A : 0x0D
        guard let headerEnd = first.firstIndex(of: endByte) else { return nil }
        // Complete records only: from the first line end of a piece (the header's, in the first)
        // to its last.
        var spannedBytes = 0
        var records = 0
        for piece in 0..<4 {
            let offset = piece == 0 ? 0 : (fileSize - pieceBytes) * piece / 3
            let bytes = piece == 0 ? first : read(offset, pieceBytes)
            guard let firstEnd = piece == 0 ? headerEnd : bytes.firstIndex(of: endByte),
                  let lastEnd = bytes.lastIndex(of: endByte), lastEnd > firstEnd else { continue }
            spannedBytes += lastEnd - firstEnd
            records += bytes[(firstEnd + 1)...lastEnd].lazy.filter { $0 == endByte }.count
        }
        guard records > 0 else { return nil }
        let rows = Int((Double(fileSize - headerEnd - 1) * Double(records) / Double(spannedBytes)).rounded())
        return RowCountEstimate(
            rows: rows, exact: false,
            basis: "estimated from its size, \(byteDescription(fileSize)), and \(byteDescription(4 * pieceBytes)) read from four places")
    }

    /// Counts the records of a whole file held in `bytes`.
    private static func counted(_ bytes: [UInt8]) -> RowCountEstimate? {
        guard !bytes.isEmpty else { return nil }
        let endByte: UInt8 = bytes.contains(0x0A) ? 0x0A : 0x0D
        guard let headerEnd = bytes.firstIndex(of: endByte) else { return RowCountEstimate(rows: 0, exact: true, basis: "counted") }
        var ends = bytes[(headerEnd + 1)...].lazy.filter { $0 == endByte }.count
        // A last record without a line end still counts.
        if let last = bytes.last, bytes.count > headerEnd + 1, last != endByte, last != 0x0D { ends += 1 }
        return RowCountEstimate(rows: ends, exact: true, basis: "counted")
    }

    /// Sums the record batches' lengths; reads only the footer and the batches' metadata.
    private static func arrow(path: String) -> RowCountEstimate? {
        guard let mapped = try? MappedFile(path: path), let file = try? ArrowFile(bytes: mapped.bytes, source: path) else {
            return nil
        }
        var rows = 0
        for block in file.recordBatchBlocks {
            guard let (header, body) = try? file.message(block: block, expectedHeader: 3),
                  let batch = try? file.recordBatch(header, body: body) else { return nil }
            rows += batch.length
        }
        return RowCountEstimate(rows: rows, exact: true, basis: "from its record batches' metadata")
    }

    /// Reads the header's row count through ReadStat, stopping before any value.
    private static func readStat(path: String, format: DataFormat) -> RowCountEstimate? {
        guard let parser = readstat_parser_init() else { return nil }
        defer { readstat_parser_free(parser) }
        // The file's size in, the rows announced and the most that size allows out (AnnouncedRowCount).
        typealias Header = (fileSize: Int, rows: Int, most: Int)
        let header = UnsafeMutablePointer<Header>.allocate(capacity: 1)
        defer { header.deallocate() }
        header.initialize(to: (fileSize: ReadStatReader.fileSize(path), rows: -1, most: 0))
        readstat_set_metadata_handler(parser) { metadata, pointer in
            guard let header = pointer?.assumingMemoryBound(to: Header.self) else { return Int32(READSTAT_HANDLER_ABORT) }
            header.pointee.rows = Int(readstat_get_row_count(metadata))
            header.pointee.most = AnnouncedRowCount.maximumRows(
                fileSize: header.pointee.fileSize, variables: Int(readstat_get_var_count(metadata)),
                compression: readstat_get_compression(metadata))
            return Int32(READSTAT_HANDLER_ABORT)
        }
        _ = format == .stata ? readstat_parse_dta(parser, path, header) : readstat_parse_sav(parser, path, header)
        // A header the file's size contradicts gives no estimate: the reader reports it.
        guard header.pointee.rows >= 0, header.pointee.rows <= header.pointee.most else { return nil }
        return RowCountEstimate(rows: header.pointee.rows, exact: true, basis: "from its header")
    }
}

/// A byte count for people: "812 B", "4.0 MiB", "5.9 GiB".
public func byteDescription(_ bytes: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    return unit == 0 ? "\(bytes) B" : "\((value * 10).rounded() / 10) \(units[unit])"
}
