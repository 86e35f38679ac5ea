import Foundation

/// The errors workers of a `ReplicateRunner` run met, each with the index of the replicate (or grid
/// value) it belongs to. `first` is the error of the lowest index, so the message a run reports
/// does not depend on thread scheduling, as the run's numbers do not.
public final class ReplicateFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [(index: Int, error: Error)] = []

    public init() {}

    /// Records `error` for the item at `index`; safe to call from any worker.
    public func record(_ error: Error, at index: Int) {
        lock.lock(); defer { lock.unlock() }
        errors.append((index, error))
    }

    /// The error of the lowest index, nil when every item succeeded.
    public var first: Error? {
        lock.lock(); defer { lock.unlock() }
        return errors.min { $0.index < $1.index }?.error
    }
}
