import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one CSV input, read front to back in blocks, with a way back to earlier bytes.
///
/// Going back is needed when a column that looked numeric turns out to be text: the text of its
/// earlier values was not kept (keeping it would cost memory the size of the file), so those
/// rows are read again. Regular files are read again with `pread`; pipes and terminals are
/// copied to an unlinked temporary file as they are read, so standard input works too.
///
/// `readNext` runs on the read-ahead thread while `readAgain` may run on the parsing thread,
/// so the little state they share is guarded by a lock.
final class ByteSource: @unchecked Sendable {
    /// The name used in messages: the path as given, or `"<stdin>"`.
    let name: String
    /// The total size when known in advance (regular files, memory), for capacity estimates.
    let knownSize: Int?

    /// Where the bytes come from.
    private enum Storage {
        case file(descriptor: Int32, closesDescriptor: Bool, base: Int)
        case pipe(descriptor: Int32, closesDescriptor: Bool, spool: Int32?)
        /// A gzip file or pipe, inflated as it is read; like a pipe, its bytes are re-read from
        /// the spool file, since inflating from the start again would cost more.
        case gzip(descriptor: Int32, closesDescriptor: Bool, inflater: GzipInflater, spool: Int32?)
        case memory(UnsafeRawBufferPointer)
    }

    /// How the input ends its lines.
    enum LineBreaks {
        /// No line break seen yet.
        case undecided
        /// LF or CRLF: the parser's own line ends (a CR before LF is padding to it).
        case lineFeed
        /// CR alone, as old Mac and Excel exports write: every CR is delivered as LF, so the
        /// parser, the record boundaries and the line numbers see ordinary lines.
        case carriageReturn
    }

    private let storage: Storage
    private let lock = NSLock()
    /// Bytes delivered by `readNext` so far; guarded by `lock`.
    private var delivered = 0
    /// Set when copying a pipe to the spool file failed, so re-reading is impossible; guarded
    /// by `lock`.
    private var spoolFailure: String?
    /// The input's line ends, decided from the first block with a line break; written only by
    /// `readNext`, guarded by `lock` for `readAgain`.
    private var lineBreaks = LineBreaks.undecided
    /// Bytes taken from the underlying input, one more than delivered while `lookahead` holds
    /// a byte; used only by `readNext`.
    private var taken = 0
    /// A byte read past a block-final CR to tell CRLF from CR, delivered first by the next
    /// `readNext`; used only by `readNext`.
    private var lookahead: UInt8?
    /// The input's first bytes (up to four), checked once complete for being CSV text at all
    /// (`InputSignature`); used only by `readNext`.
    private var signature: [UInt8] = []
    private var signatureChecked = false

    /// Bytes delivered by `readNext` so far.
    var consumed: Int {
        lock.lock()
        defer { lock.unlock() }
        return delivered
    }

    /// Opens `path`, or standard input when `path` is "-"; with `gzip`, inflates what it holds.
    init(path: String, gzip: Bool = false) throws(CSVError) {
        let descriptor: Int32
        let closes: Bool
        if path == "-" {
            name = "<stdin>"
            descriptor = 0
            closes = false
        } else {
            name = path
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            if descriptor < 0 {
                let code = errno
                if code == ENOENT || code == ENOTDIR {
                    throw CSVError(.fileNotFound, source: path, message: "\(path): no such file")
                }
                throw CSVError(.unreadable, source: path, message: "\(path): cannot open (\(Self.reason(code)))")
            }
            closes = true
        }
        var status = stat()
        if fstat(descriptor, &status) != 0 {
            let code = errno
            if closes { close(descriptor) }
            throw CSVError(.unreadable, source: name, message: "\(name): cannot read (\(Self.reason(code)))")
        }
        let kind = status.st_mode & S_IFMT
        if kind == S_IFDIR {
            if closes { close(descriptor) }
            throw CSVError(.unreadable, source: name, message: "\(name): is a directory, not a CSV file")
        }
        if gzip {
            knownSize = nil
            do {
                let inflater = try GzipInflater(descriptor: descriptor, name: name)
                storage = .gzip(descriptor: descriptor, closesDescriptor: closes, inflater: inflater, spool: Self.makeSpool())
            } catch {
                if closes { close(descriptor) }
                throw error
            }
        } else if kind == S_IFREG {
            // Standard input redirected from a file may already be partway through it.
            let base = closes ? 0 : max(0, Int(lseek(descriptor, 0, SEEK_CUR)))
            knownSize = max(0, Int(status.st_size) - base)
            storage = .file(descriptor: descriptor, closesDescriptor: closes, base: base)
            #if os(Linux)
            _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
            #endif
        } else {
            knownSize = nil
            storage = .pipe(descriptor: descriptor, closesDescriptor: closes, spool: Self.makeSpool())
        }
    }

    /// Whether the bytes are the caller's memory, which may be freed as soon as reading returns.
    var isInMemory: Bool {
        if case .memory = storage { return true }
        return false
    }

    /// Wraps bytes already in memory; they must outlive the source.
    init(bytes: UnsafeRawBufferPointer, name: String) {
        self.name = name
        self.knownSize = bytes.count
        self.storage = .memory(bytes)
    }

    deinit {
        switch storage {
        case .file(let descriptor, let closes, _):
            if closes { close(descriptor) }
        case .pipe(let descriptor, let closes, let spool):
            if closes { close(descriptor) }
            if let spool { close(spool) }
        case .gzip(let descriptor, let closes, _, let spool):
            if closes { close(descriptor) }
            if let spool { close(spool) }
        case .memory:
            break
        }
    }

    /// Reads the next bytes into `buffer`; returns how many, 0 at the end of the input. Only
    /// one thread may call this. CR-only line ends arrive as LF.
    func readNext(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        var count = 0
        if let byte = lookahead {
            base.storeBytes(of: byte, as: UInt8.self)
            lookahead = nil
            count = 1
        }
        if count < buffer.count {
            count += try readUnderlying(into: UnsafeMutableRawBufferPointer(start: base + count, count: buffer.count - count))
        }
        // The signature is the input's first four bytes however the blocks fall, so the verdict
        // does not depend on the block size (a block may be a single byte).
        if !signatureChecked {
            signature += UnsafeRawBufferPointer(start: base, count: min(4 - signature.count, count))
            if signature.count == 4 || count == 0 {
                signatureChecked = true
                if let problem = signature.withUnsafeBytes({ InputSignature.csvProblem($0, name: name) }) {
                    throw CSVError(.unreadable, source: name, message: problem)
                }
            }
        }
        // Only this thread writes `lineBreaks`, so its own unlocked read is up to date.
        var style = lineBreaks
        if style == .undecided && count > 0 {
            style = try decideLineBreaks(UnsafeMutableRawBufferPointer(start: base, count: count))
        }
        if style == .carriageReturn { Self.translateCarriageReturns(UnsafeMutableRawBufferPointer(start: base, count: count)) }
        lock.lock()
        delivered += count
        lineBreaks = style
        lock.unlock()
        return count
    }

    /// Reads the next bytes of the underlying input, copying a pipe's to the spool file.
    private func readUnderlying(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        let position = taken
        let count: Int
        switch storage {
        case .file(let descriptor, _, let start):
            count = try readRetrying { pread(descriptor, base, buffer.count, off_t(start + position)) }
        case .pipe(let descriptor, _, let spool):
            count = try readRetrying { read(descriptor, base, buffer.count) }
            spoolCopy(UnsafeRawBufferPointer(start: base, count: count), to: spool)
        case .gzip(_, _, let inflater, let spool):
            count = try inflater.read(into: buffer)
            spoolCopy(UnsafeRawBufferPointer(start: base, count: count), to: spool)
        case .memory(let bytes):
            count = min(buffer.count, bytes.count - position)
            if count > 0, let source = bytes.baseAddress {
                base.copyMemory(from: source + position, byteCount: count)
            }
        }
        taken += count
        return count
    }

    /// Copies bytes just read from a pipe or inflated from gzip to the spool file, noting the
    /// first failure so a later re-read can say why it is impossible.
    private func spoolCopy(_ bytes: UnsafeRawBufferPointer, to spool: Int32?) {
        guard bytes.count > 0, let spool, let failure = Self.writeAll(spool, bytes) else { return }
        lock.lock()
        if spoolFailure == nil { spoolFailure = failure }
        lock.unlock()
    }

    /// Decides the line ends from the input's first CR or LF: a CR not followed by LF means
    /// CR-only line ends, anything else LF (or CRLF) ones. The rule looks at the input alone, so
    /// the outcome does not depend on where blocks end; a CR that ends a block could be the
    /// first half of a CRLF, so the next byte is read ahead to tell.
    private func decideLineBreaks(_ bytes: UnsafeMutableRawBufferPointer) throws(CSVError) -> LineBreaks {
        guard let base = bytes.baseAddress else { return .undecided }
        let lineFeed = memchr(base, Int32(UInt8.newline), bytes.count).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) }
        let carriageReturn = memchr(base, Int32(UInt8.carriageReturn), bytes.count).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) }
        guard let first = carriageReturn else { return lineFeed == nil ? .undecided : .lineFeed }
        if let lineFeed, lineFeed < first { return .lineFeed }
        if first + 1 < bytes.count { return bytes[first + 1] == .newline ? .lineFeed : .carriageReturn }
        let byte = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
        defer { byte.deallocate() }
        guard try readUnderlying(into: UnsafeMutableRawBufferPointer(start: byte, count: 1)) > 0 else { return .carriageReturn }
        let next = byte.load(as: UInt8.self)
        lookahead = next
        return next == .newline ? .lineFeed : .carriageReturn
    }

    /// Replaces every CR in `bytes` by LF.
    static func translateCarriageReturns(_ bytes: UnsafeMutableRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count, let found = memchr(base + offset, Int32(UInt8.carriageReturn), bytes.count - offset) {
            found.storeBytes(of: .newline, as: UInt8.self)
            offset = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
        }
    }

    /// Reads bytes at `offset` (counted from the start of the input) into `buffer`; returns
    /// how many, 0 past the end of what has been read so far.
    func readAgain(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        lock.lock()
        let wanted = min(buffer.count, delivered - offset)
        let failure = spoolFailure
        let style = lineBreaks
        lock.unlock()
        guard wanted > 0 else { return 0 }
        let count = try readUnderlying(again: offset, wanted: wanted, into: base, failure: failure)
        if style == .carriageReturn { Self.translateCarriageReturns(UnsafeMutableRawBufferPointer(start: base, count: count)) }
        return count
    }

    /// Reads `wanted` bytes at `offset` of the underlying input, from the spool file for a pipe.
    private func readUnderlying(
        again offset: Int, wanted: Int, into base: UnsafeMutableRawPointer, failure: String?
    ) throws(CSVError) -> Int {
        switch storage {
        case .file(let descriptor, _, let start):
            return try readRetrying { pread(descriptor, base, wanted, off_t(start + offset)) }
        case .pipe(_, _, let spool), .gzip(_, _, _, let spool):
            guard let spool, failure == nil else {
                let why = failure ?? "no temporary file could be created"
                throw CSVError(
                    .unreadable, source: name,
                    message: "\(name): a column turned out not to be numeric and its earlier values "
                        + "cannot be read again (\(why)); read from a file instead")
            }
            return try readRetrying { pread(spool, base, wanted, off_t(offset)) }
        case .memory(let bytes):
            if let source = bytes.baseAddress {
                base.copyMemory(from: source + offset, byteCount: wanted)
            }
            return wanted
        }
    }

    /// Runs a read system call, retrying when a signal interrupts it.
    private func readRetrying(_ call: () -> Int) throws(CSVError) -> Int {
        while true {
            let result = call()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw CSVError(.unreadable, source: name, message: "\(name): read failed (\(Self.reason(code)))")
        }
    }

    /// An unlinked temporary file to copy a pipe into, or `nil` if none can be made.
    private static func makeSpool() -> Int32? {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(directory)/quipu-stdin-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard descriptor >= 0 else { return nil }
        template.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { _ = unlink(base) }
        }
        return descriptor
    }

    /// Writes all of `bytes`; returns a reason on failure.
    private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> String? {
        guard let base = bytes.baseAddress else { return nil }
        var written = 0
        while written < bytes.count {
            let result = write(descriptor, base + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                return "temporary file: \(reason(errno))"
            }
            written += result
        }
        return nil
    }

    /// The system's text for an errno value.
    static func reason(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
