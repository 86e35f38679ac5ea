import Dispatch
import Inference
import LinearAlgebra
import Testing

/// The runner's promise that replicates do not depend on scheduling, where scheduling used to
/// reach them: OpenBLAS's process-wide thread count, which changes the rounding of products.
@Suite struct ReplicateRunnerTests {
    /// A run that overlaps another single-threaded BLAS user (here a second runner, as a
    /// concurrent fit's absorber would be) keeps BLAS on one thread after that user finishes.
    /// Each caller used to save the count, set 1 and restore what it saved: the first run saved
    /// 2 and restored it in the middle of the second, whose later chunks then ran their products
    /// on two threads (a 14 × 40 by 40 × 903 product differs in 36 entries there).
    @Test func blasStaysSingleThreadedWhenAnOverlappingRunEnds() {
        let before = BLASThreads.current
        BLASThreads.set(2)
        defer { BLASThreads.set(before) }
        let firstStarted = DispatchSemaphore(value: 0), releaseFirst = DispatchSemaphore(value: 0)
        let firstEnded = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = ReplicateRunner(threads: 1, chunkSize: 1, showsProgress: false).run(count: 1, width: 1) { _, output in
                firstStarted.signal()
                releaseFirst.wait()
                output[0] = 0
            }
            firstEnded.signal()
        }
        firstStarted.wait()
        // The second run starts while the first is inside its chunk, and the first ends between
        // the second's two chunks.
        let counts = ReplicateRunner(threads: 1, chunkSize: 1, showsProgress: false).run(count: 2, width: 1) { range, output in
            output[0] = Double(BLASThreads.current)
            if range.lowerBound == 0 {
                releaseFirst.signal()
                firstEnded.wait()
            }
        }
        #expect(counts == [1, 1])
    }
}
