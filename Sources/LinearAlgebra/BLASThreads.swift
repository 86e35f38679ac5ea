import COpenBLAS
import Foundation

/// Controls the number of threads OpenBLAS uses: one setting for the whole process.
///
/// Why single-threaded scopes are counted: OpenBLAS splits a product among its threads by the
/// thread count, and the split changes the rounding of some entries (a 14 × 40 by 40 × 903
/// `dgemm`, the last chunk of a wild bootstrap, gives 36 of its entries different in the last
/// bits on two threads than on one). Code whose results must not depend on scheduling, such as
/// bootstrap replicates (`ReplicateRunner`), therefore runs BLAS single-threaded. Each caller
/// saving the count, setting 1 and restoring the saved count raced: a caller that saved 2 and
/// restored it while another still ran (a fit absorbing fixed effects next to a bootstrap) put
/// the other's remaining products on two threads. Instead the first scope to open saves the
/// count and sets 1, the last to close restores it, and `set` while a scope is open only changes
/// the count to restore; all under one lock.
public enum BLASThreads {
    /// Sets OpenBLAS's thread count, or, while a single-threaded scope is open, the count to
    /// restore when the last one closes.
    ///
    /// Does nothing when the count is already in force: OpenBLAS restarts a stopped thread pool
    /// on every call, even one that keeps it single-threaded.
    public static func set(_ count: Int) {
        let wanted = Int32(Swift.max(1, count))
        scopes.withLock { state in
            if state.open > 0 { state.restore = wanted } else { apply(wanted) }
        }
    }

    /// The current OpenBLAS thread count.
    public static var current: Int { Int(openblas_get_num_threads()) }

    /// Opens a scope in which OpenBLAS stays single-threaded whatever other threads do, until
    /// every open scope is closed by `leaveSingleThreaded()` (pair them with `defer`). For
    /// Dispatch workers (no oversubscription) and for results that must not depend on the
    /// thread count.
    public static func enterSingleThreaded() {
        scopes.withLock { state in
            if state.open == 0 {
                state.restore = openblas_get_num_threads()
                apply(1)
            }
            state.open += 1
        }
    }

    /// Closes a scope opened by `enterSingleThreaded()`; the last to close restores the count.
    public static func leaveSingleThreaded() {
        scopes.withLock { state in
            guard state.open > 0 else { return }  // unpaired: nothing to restore
            state.open -= 1
            if state.open == 0 { apply(state.restore) }
        }
    }

    private static func apply(_ count: Int32) {
        guard count != openblas_get_num_threads() else { return }
        openblas_set_num_threads(count)
    }

    /// The open single-threaded scopes and the count to restore after them.
    private static let scopes = ScopeState()
}

/// `BLASThreads`' shared state, read and written under its lock only.
private final class ScopeState: @unchecked Sendable {
    struct State {
        var open = 0
        var restore: Int32 = 1
    }

    private var state = State()
    private let lock = NSLock()

    func withLock(_ body: (inout State) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&state)
    }
}
