import CReadStat

/// Whether the row count a Stata or SPSS header announces can be true of a file of its size.
///
/// The readers size their buffers from that count, so a corrupt header claiming 2.5·10^8 rows in
/// a 30 KB file would ask for gigabytes before a single value is read (and the memory check would
/// blame the machine rather than the file). Every stored value takes at least one byte: Stata's
/// narrowest type is a one-byte integer, SPSS's bytecode compression spends at least one command
/// byte per value; only a `.zsav` file, deflated, can hold more, at most 1032 bytes per input byte
/// (zlib's "maximum compression factor" of deflate).
enum AnnouncedRowCount {
    /// The most rows a file of `fileSize` bytes holding `variables` variables can store.
    static func maximumRows(fileSize: Int, variables: Int, compression: readstat_compress_t) -> Int {
        let expansion = compression == READSTAT_COMPRESS_BINARY ? 1032 : 1
        let (bytes, overflow) = fileSize.multipliedReportingOverflow(by: expansion)
        return (overflow ? Int.max : bytes) / max(variables, 1)
    }

    /// Why `announced` rows cannot be right, or nil when they can.
    static func implausibility(announced: Int, fileSize: Int, variables: Int, compression: readstat_compress_t) -> String? {
        let most = maximumRows(fileSize: fileSize, variables: variables, compression: compression)
        guard announced > most else { return nil }
        return "its header announces \(announced) rows, but \(fileSize) bytes of \(variables) "
            + "variable\(variables == 1 ? "" : "s") hold at most \(most): the header is corrupt"
    }
}
