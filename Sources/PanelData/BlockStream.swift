#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The not-yet-parsed part of the input in one contiguous buffer: the partial record carried
/// over from the previous block, followed by the bytes of the next block.
///
/// Reading a few MB at a time with `read`/`pread` keeps resident memory at the size of the
/// parsed columns; mapping the whole file would keep every page of text resident as well.
/// With read-ahead the next block is read on another thread while this one is parsed, and the
/// carried-over bytes are copied in front of it (they are short: a partial line).
final class BlockStream {
    /// Reads bytes for input offset `position` into the buffer; returns 0 at the end.
    typealias Reader = (_ position: Int, _ buffer: UnsafeMutableRawBufferPointer) throws(CSVError) -> Int

    /// The buffer holding the unparsed bytes at `start ..< start + count`.
    private var storage: UnsafeMutableRawPointer?
    private var capacity = 0
    /// Whether `storage` is one of the read-ahead buffers (returned to it, not freed).
    private var storageIsBorrowed = false
    private var start = 0
    /// Valid bytes in the buffer.
    private(set) var count = 0
    /// The input offset of the first unparsed byte.
    private(set) var offset: Int
    /// Whether the end of the input has been reached.
    private(set) var atEnd = false
    private let reader: Reader
    private let readAhead: ReadAhead?
    /// The input's name, for messages.
    private let name: String

    /// A stream reading with `reader`; with `readAheadBlockSize`, blocks of that size are read
    /// on a background thread (then `fill` must always be called with that size).
    init(name: String, offset: Int = 0, readAheadBlockSize: Int? = nil, reader: @escaping Reader) {
        self.name = name
        self.offset = offset
        self.reader = reader
        if let blockSize = readAheadBlockSize {
            var position = offset
            readAhead = ReadAhead(blockSize: blockSize, headroom: 256 << 10, buffers: 2) { buffer throws(CSVError) in
                let got = try reader(position, buffer)
                position += got
                return got
            }
        } else {
            readAhead = nil
        }
    }

    deinit {
        readAhead?.stop()
        release()
    }

    /// The buffered bytes.
    var bytes: UnsafeBufferPointer<UInt8> {
        guard let storage else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: (storage + start).assumingMemoryBound(to: UInt8.self), count: count)
    }

    /// Appends up to `blockSize` bytes, fewer only at the end of the input.
    func fill(_ blockSize: Int) throws(CSVError) {
        guard !atEnd else { return }
        if let readAhead {
            try fillAhead(readAhead)
            return
        }
        try makeRoom(for: blockSize)
        guard let storage else { return }
        var added = 0
        while added < blockSize {
            let target = UnsafeMutableRawBufferPointer(start: storage + start + count, count: blockSize - added)
            let got = try reader(offset + count, target)
            if got == 0 {
                atEnd = true
                break
            }
            count += got
            added += got
        }
    }

    /// Drops the first `n` bytes (parsed).
    func consume(_ n: Int) {
        let n = min(n, count)
        start += n
        count -= n
        offset += n
    }

    /// Takes the next read-ahead block, putting the carried-over bytes in front of it.
    private func fillAhead(_ readAhead: ReadAhead) throws(CSVError) {
        let block = readAhead.next()
        guard let buffer = block.buffer else {
            if let error = block.error { throw error }
            atEnd = true
            return
        }
        let headroom = readAhead.headroom
        if count <= headroom {
            if count > 0, let storage {
                (buffer + headroom - count).copyMemory(from: storage + start, byteCount: count)
            }
            release()
            storage = buffer
            storageIsBorrowed = true
            capacity = headroom + readAhead.blockSize
            start = headroom - count
            count += block.count
            return
        }
        // A record longer than the headroom (a huge quoted field, or a header still
        // incomplete): keep growing a buffer of our own.
        do {
            try makeRoom(for: block.count)
        } catch {
            readAhead.recycle(buffer)
            throw error
        }
        if let storage {
            (storage + start + count).copyMemory(from: buffer + headroom, byteCount: block.count)
            count += block.count
        }
        readAhead.recycle(buffer)
    }

    /// Moves the unparsed bytes to an owned buffer's front with room for `extra` more bytes.
    private func makeRoom(for extra: Int) throws(CSVError) {
        let needed = count + extra
        if storageIsBorrowed || storage == nil || needed > capacity {
            // Doubling keeps a record longer than a block (a huge quoted field) linear overall.
            let grown = max(needed, storageIsBorrowed ? 0 : capacity * 2, 1)
            guard let fresh = malloc(grown) else {
                throw CSVError(.unreadable, source: name, message: "\(name): out of memory for a \(grown)-byte read buffer")
            }
            if count > 0, let storage {
                fresh.copyMemory(from: storage + start, byteCount: count)
            }
            release()
            storage = fresh
            capacity = grown
        } else if count > 0, start > 0, let storage {
            memmove(storage, storage + start, count)
        }
        start = 0
    }

    /// Frees or returns the current buffer.
    private func release() {
        guard let storage else { return }
        if storageIsBorrowed {
            readAhead?.recycle(storage)
        } else {
            free(storage)
        }
        self.storage = nil
        storageIsBorrowed = false
        capacity = 0
    }
}
