import COpenBLAS
import LinearAlgebra
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Process-wide settings made once, before any command runs.
enum ProcessSetup {
    static func apply() {
        // glibc serves every allocation above 128 KiB with a fresh mmap until the first such
        // block is freed, and hands freed memory at the top of the heap back to the system. A fit
        // allocates and frees dozens of column-sized arrays, so on small panels each one cost a
        // round of page faults (a fifth of a 10^5-row fit). Blocks up to 4 MiB now come from the
        // heap, which keeps up to 32 MiB of free memory, so they reuse warm pages; larger blocks
        // (the columns of big panels) still come from mmap and go back to the system when freed.
        // Higher limits (32 MiB blocks, 128 MiB kept) were no faster and raised peak memory by
        // 15% at 10^7 rows.
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, 4 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 32 << 20)
        #endif
        // OpenBLAS starts its worker threads when the library loads, and they spin (sched_yield)
        // for about 0.1 s waiting for work, taking a core from our own Dispatch workers. BLAS runs
        // single-threaded until a command asks for more on large data (ExecutionOptions), which
        // restarts the pool. `blas_thread_shutdown_` is looked up at run time because only
        // OpenBLAS's threaded builds have it (Debian can select the serial or OpenMP one).
        BLASThreads.set(1)
        typealias Shutdown = @convention(c) () -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_") {
            _ = unsafeBitCast(symbol, to: Shutdown.self)()
        }
    }
}
