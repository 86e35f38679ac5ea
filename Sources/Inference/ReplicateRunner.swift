import Dispatch
import Foundation
import LinearAlgebra

/// Runs bootstrap replicates in parallel, in chunks, with results that do not depend on the thread
/// count: replicate b's randomness comes from (seed, b) alone, its result lands in slot b, the
/// chunks depend only on the replicate count, and BLAS runs single-threaded throughout.
public struct ReplicateRunner: Sendable {
    /// Worker threads.
    public var threads: Int
    /// Replicates per chunk (a unit of work for one thread).
    public var chunkSize: Int
    /// Show a progress bar on standard error (only when it is a terminal).
    public var showsProgress: Bool
    /// The word before the progress bar ("bootstrap", "power").
    public var progressLabel: String

    /// Creates a runner.
    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, chunkSize: Int = 2048, showsProgress: Bool = true,
                progressLabel: String = "bootstrap") {
        self.threads = max(1, threads)
        self.chunkSize = max(1, chunkSize)
        self.showsProgress = showsProgress
        self.progressLabel = progressLabel
    }

    /// Calls `work(range, output)` for consecutive chunks of `0..<count`; `output` is the slice
    /// of a `count × width` row-major result buffer that belongs to the chunk's replicates.
    public func run(count: Int, width: Int,
                    work: @Sendable (Range<Int>, UnsafeMutableBufferPointer<Double>) -> Void) -> [Double] {
        run(count: count, width: width, makeState: {}) { range, output, _ in work(range, output) }
    }

    /// Like `run(count:width:work:)`, with a state made once per worker thread and handed to each
    /// chunk that worker runs: scratch buffers reused across chunks instead of allocated per
    /// chunk. The state must not carry results from one chunk to another, or they would depend
    /// on which worker ran which chunk.
    public func run<State>(count: Int, width: Int, makeState: @Sendable () -> State,
                           work: @Sendable (Range<Int>, UnsafeMutableBufferPointer<Double>, inout State) -> Void) -> [Double] {
        var results = [Double](repeating: .nan, count: count * width)
        guard count > 0 else { return results }
        let chunks = (count + chunkSize - 1) / chunkSize
        let progress = ProgressBar(total: chunks, enabled: showsProgress, label: progressLabel)
        // BLAS calls inside workers run single-threaded: the parallelism is across chunks,
        // --threads 1 means one thread, and OpenBLAS's rounding depends on its own thread count.
        // The scope is counted (see BLASThreads), so a concurrent fit that leaves its own
        // single-threaded scope during the run cannot hand the remaining chunks to two threads.
        BLASThreads.enterSingleThreaded()
        defer { BLASThreads.leaveSingleThreaded() }
        results.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedBuffer(pointer: buffer)
            let chunkSize = self.chunkSize
            @Sendable func perform(_ chunk: Int, _ state: inout State) {
                let start = chunk * chunkSize
                let end = min(count, start + chunkSize)
                let slice = UnsafeMutableBufferPointer(rebasing: shared.pointer[(start * width)..<(end * width)])
                work(start..<end, slice, &state)
                progress.advance()
            }
            if threads == 1 {
                var state = makeState()
                for chunk in 0..<chunks { perform(chunk, &state) }
            } else {
                // `threads` workers take chunks from a shared counter; which worker runs which
                // chunk does not affect the results.
                let counter = ChunkCounter()
                DispatchQueue.concurrentPerform(iterations: min(threads, chunks)) { _ in
                    var state = makeState()
                    while let chunk = counter.next(below: chunks) { perform(chunk, &state) }
                }
            }
        }
        progress.finish()
        return results
    }
}

/// The next chunk to run, handed out under a lock.
private final class ChunkCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    func next(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// A buffer shared by workers that write disjoint slices of it.
private struct SharedBuffer: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<Double>
}

/// A progress bar on standard error for runs longer than about a second, shown only when
/// standard error is a terminal so that logs and pipes stay clean.
final class ProgressBar: @unchecked Sendable {
    private let total: Int
    private let enabled: Bool
    private var done = 0
    private let lock = NSLock()
    private let start = DispatchTime.now()
    private var shown = false
    private let label: String

    init(total: Int, enabled: Bool, label: String) {
        self.total = total
        self.label = label
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func advance() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        done += 1
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        guard elapsed > 1 else { return }
        shown = true
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(100 * done / max(total, 1))%".utf8))
    }

    func finish() {
        guard enabled, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
