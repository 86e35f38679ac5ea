import CReadStat

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ReadStat's input served from a memory-mapped file instead of its default `read(2)` calls.
///
/// Why: ReadStat's Stata and SPSS parsers read each row with its own system call (a row of six
/// doubles is a 48-byte `read`), and on a 10^7-row `.dta` those calls were 43% of the read's
/// time (perf). Copying from a mapping costs a `memcpy` per row instead. The handlers are the
/// five ReadStat's `readstat_io_t` defines (readstat.h: open, close, seek, read, update); the
/// file was already opened and mapped by `MappedFile`, so open and close do nothing.
struct ReadStatMappedInput {
    /// The mapped file's bytes.
    let bytes: UnsafeRawBufferPointer
    /// The next byte `read` returns.
    var position = 0

    /// Installs the handlers on `parser`, reading from `input`, which must outlive the parse.
    static func install(on parser: UnsafeMutablePointer<readstat_parser_t>, input: UnsafeMutablePointer<ReadStatMappedInput>) {
        readstat_set_open_handler(parser) { _, _ in 0 }
        readstat_set_close_handler(parser) { _ in 0 }
        readstat_set_seek_handler(parser) { offset, whence, context in
            guard let input = context?.assumingMemoryBound(to: ReadStatMappedInput.self) else { return -1 }
            let base: Int
            switch whence {
            case READSTAT_SEEK_SET: base = 0
            case READSTAT_SEEK_CUR: base = input.pointee.position
            case READSTAT_SEEK_END: base = input.pointee.bytes.count
            default: return -1
            }
            let target = base + Int(offset)
            guard target >= 0, target <= input.pointee.bytes.count else { return -1 }
            input.pointee.position = target
            return readstat_off_t(target)
        }
        readstat_set_read_handler(parser) { buffer, count, context in
            guard let input = context?.assumingMemoryBound(to: ReadStatMappedInput.self), let buffer else { return -1 }
            let available = min(count, input.pointee.bytes.count - input.pointee.position)
            guard available > 0, let source = input.pointee.bytes.baseAddress else { return 0 }
            memcpy(buffer, source + input.pointee.position, available)
            input.pointee.position += available
            return available
        }
        readstat_set_update_handler(parser) { _, _, _, _ in READSTAT_OK }
        readstat_set_io_ctx(parser, UnsafeMutableRawPointer(input))
    }
}
