import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the input's next blocks on a background thread while the current block is parsed.
///
/// Without it every block's read (a copy out of the page cache, or a wait on the program at the
/// other end of a pipe) stalls all parsing threads. Each buffer keeps `headroom` free bytes in
/// front of its data, so the partial record carried over from the previous block can be put
/// in front of the new data without moving the data.
final class ReadAhead: @unchecked Sendable {
    /// One block as read: a buffer holding `count` bytes after the headroom; or, without a
    /// buffer, the end of the input or the error that ended reading.
    struct Block {
        let buffer: UnsafeMutableRawPointer?
        let count: Int
        let error: CSVError?
    }

    /// Free bytes in front of each block's data.
    let headroom: Int
    let blockSize: Int
    private let read: (UnsafeMutableRawBufferPointer) throws(CSVError) -> Int
    private let lock = NSLock()
    private let filledSignal = DispatchSemaphore(value: 0)
    private let emptySignal = DispatchSemaphore(value: 0)
    // Guarded by `lock`:
    private var filled: [Block] = []
    private var empty: [UnsafeMutableRawPointer] = []
    private var owned: [UnsafeMutableRawPointer] = []
    private var stopped = false

    /// Starts reading with `buffers` buffers in rotation; `read` is called on the background thread.
    init?(
        blockSize: Int, headroom: Int, buffers: Int,
        read: @escaping (UnsafeMutableRawBufferPointer) throws(CSVError) -> Int
    ) {
        self.headroom = headroom
        self.blockSize = blockSize
        self.read = read
        for _ in 0..<buffers {
            guard let buffer = malloc(headroom + blockSize) else {
                for allocated in owned { free(allocated) }
                return nil
            }
            owned.append(buffer)
            empty.append(buffer)
            emptySignal.signal()
        }
        // The thread keeps this object alive until it ends, so the consumer never waits for
        // it: a read blocked on a silent pipe must not block an error report.
        let thread = Thread { [self] in self.run() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit {
        for buffer in owned { free(buffer) }
    }

    /// The next block, waiting for it if needed.
    func next() -> Block {
        filledSignal.wait()
        lock.lock()
        defer { lock.unlock() }
        return filled.removeFirst()
    }

    /// Returns a block's buffer for reuse.
    func recycle(_ buffer: UnsafeMutableRawPointer) {
        lock.lock()
        empty.append(buffer)
        lock.unlock()
        emptySignal.signal()
    }

    /// Asks the thread to stop after its current read.
    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        emptySignal.signal()
    }

    /// The background loop: fill an empty buffer, hand it over, until the input ends.
    private func run() {
        while true {
            emptySignal.wait()
            lock.lock()
            if stopped || empty.isEmpty {
                lock.unlock()
                return
            }
            let buffer = empty.removeLast()
            lock.unlock()
            var count = 0
            var failure: CSVError?
            // Fill the whole block (a pipe delivers a few KB per read) unless the input ends.
            while count < blockSize {
                do {
                    let got = try read(UnsafeMutableRawBufferPointer(start: buffer + headroom + count, count: blockSize - count))
                    if got == 0 { break }
                    count += got
                } catch {
                    failure = error
                    break
                }
            }
            lock.lock()
            if count > 0 {
                filled.append(Block(buffer: buffer, count: count, error: nil))
            } else {
                empty.append(buffer)
            }
            // A short block means the input ended (or failed): say so after the data.
            let finished = count < blockSize
            if finished {
                filled.append(Block(buffer: nil, count: 0, error: failure))
            }
            lock.unlock()
            if count > 0 { filledSignal.signal() }
            if finished {
                filledSignal.signal()
                return
            }
        }
    }
}
