import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Inflates a gzip stream read from a file descriptor, for `.csv.gz` input.
///
/// zlib's `inflate` with the gzip wrapper (RFC 1952) checks each member's header and CRC-32;
/// members written one after another (`cat a.gz b.gz`, or `pigz`) are read as one stream, as
/// `gunzip` does. The input must start with gzip's signature bytes 1f 8b, so a file that is not
/// gzip is refused on its first block with a message that says so.
final class GzipInflater {
    /// The name used in messages.
    private let name: String
    private let descriptor: Int32
    private var stream = z_stream()
    private let input: UnsafeMutableRawBufferPointer
    /// Whether the compressed input has been read to its end.
    private var inputEnded = false
    /// Whether the signature bytes have been checked (they are, on the first block read).
    private var checkedSignature = false
    /// Whether the last member ended exactly at the end of the input (a complete stream).
    private var finishedMember = false
    /// Compressed bytes read so far, for messages about truncated files.
    private(set) var compressedBytes = 0

    /// Prepares to inflate what `descriptor` holds.
    init(descriptor: Int32, name: String, inputBlockSize: Int = 1 << 18) throws(CSVError) {
        self.name = name
        self.descriptor = descriptor
        self.input = UnsafeMutableRawBufferPointer.allocate(byteCount: inputBlockSize, alignment: 16)
        guard quipu_inflate_init_gzip(&stream) == Z_OK else {
            input.deallocate()
            throw CSVError(.unreadable, source: name, message: "\(name): zlib could not be initialised")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    /// Inflates the next bytes into `buffer`; returns how many, 0 at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        stream.next_out = base.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(min(buffer.count, Int(UInt32.max)))
        let wanted = Int(stream.avail_out)
        while stream.avail_out > 0 {
            if stream.avail_in == 0 && !inputEnded {
                try refill()
            }
            if stream.avail_in == 0 && inputEnded {
                if finishedMember || compressedBytes == 0 { break }
                throw CSVError.malformed(
                    source: name, format: "gzip",
                    "the compressed data end early, after \(compressedBytes) bytes (a truncated download?)")
            }
            finishedMember = false
            let status = inflate(&stream, Z_NO_FLUSH)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                // Another member may follow; an input that ends here is complete.
                finishedMember = true
                inflateReset(&stream)
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw CSVError.malformed(source: name, format: "gzip", "\(reason) (compressed byte \(compressedBytes))")
            }
        }
        if compressedBytes == 0 {
            throw CSVError.malformed(source: name, format: "gzip", "the file is empty")
        }
        return wanted - Int(stream.avail_out)
    }

    /// Reads the next block of compressed input, checking gzip's signature on the first.
    private func refill() throws(CSVError) {
        guard let base = input.baseAddress else { return }
        var count = 0
        while true {
            count = readDescriptor(descriptor, base, input.count)
            if count >= 0 { break }
            if errno == EINTR { continue }
            throw CSVError(.unreadable, source: name, message: "\(name): read failed (\(ByteSource.reason(errno)))")
        }
        if count == 0 {
            inputEnded = true
            return
        }
        if !checkedSignature {
            checkedSignature = true
            let bytes = UnsafeRawBufferPointer(start: base, count: count)
            guard count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b else {
                let start = bytes.prefix(4).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
                throw CSVError.malformed(
                    source: name, format: "gzip",
                    "it does not start with gzip's signature 1f 8b (found \(start)); "
                        + "use --format-in csv if it is plain CSV")
            }
        }
        compressedBytes += count
        stream.next_in = base.assumingMemoryBound(to: Bytef.self)
        stream.avail_in = uInt(count)
    }
}

/// The system's `read`, named apart from `GzipInflater.read(into:)`.
private func readDescriptor(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
