import CReadStat

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RowCountEstimate {
    /// How many columns `path` holds, read from its header, schema or metadata without reading
    /// the data, so that `convert` (which keeps every column) can judge its memory as the other
    /// commands judge the columns they use; `nil` when that cannot be done cheaply (standard
    /// input, gzip, an unreadable file).
    public static func columnCount(path: String, format: DataFormat, delimiter: UInt8) -> Int? {
        guard path != "-" else { return nil }
        switch format {
        case .csv: return csvColumnCount(path: path, delimiter: delimiter)
        case .csvGzip: return nil
        case .arrow:
            guard let mapped = try? MappedFile(path: path), let file = try? ArrowFile(bytes: mapped.bytes, source: path) else { return nil }
            return file.fields.count
        case .stata, .spss: return readStatVariableCount(path: path, format: format)
        }
    }

    /// The fields of the header line (delimiters outside quotes, plus one), from its first MiB.
    private static func csvColumnCount(path: String, delimiter: UInt8) -> Int? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 1 << 20)
        let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard got > 0 else { return nil }
        var fields = 1
        var quoted = false
        for byte in bytes[0..<got] {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted && (byte == 0x0A || byte == 0x0D) { return fields }
            if !quoted && byte == delimiter { fields += 1 }
        }
        return got < bytes.count ? fields : nil
    }

    /// The number of variables a Stata or SPSS header declares.
    private static func readStatVariableCount(path: String, format: DataFormat) -> Int? {
        guard let parser = readstat_parser_init() else { return nil }
        defer { readstat_parser_free(parser) }
        let count = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        defer { count.deallocate() }
        count.initialize(to: -1)
        readstat_set_metadata_handler(parser) { metadata, pointer in
            pointer?.assumingMemoryBound(to: Int.self).pointee = Int(readstat_get_var_count(metadata))
            return Int32(READSTAT_HANDLER_ABORT)
        }
        _ = format == .stata ? readstat_parse_dta(parser, path, count) : readstat_parse_sav(parser, path, count)
        return count.pointee >= 0 ? count.pointee : nil
    }
}
