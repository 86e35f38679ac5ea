/// The sinks of one chunk, one per kept column, owning their buffers.
///
/// A class so a set of buffers can be handed from block to block without copies; the sinks are
/// in raw memory so the parser's hot loop writes to them without any runtime checks.
final class ChunkColumns {
    /// The number of kept columns.
    let count: Int
    /// The sinks; `sinks[slot]` is kept column `slot`.
    let sinks: UnsafeMutablePointer<ColumnSink>

    /// Empty sinks for `count` kept columns.
    init(count: Int) {
        self.count = count
        sinks = .allocate(capacity: max(count, 1))
        // One by one: each sink needs its own dictionary object, not copies of one reference.
        for slot in 0..<count {
            (sinks + slot).initialize(to: ColumnSink())
        }
    }

    deinit {
        for slot in 0..<count { sinks[slot].release() }
        sinks.deinitialize(count: count)
        sinks.deallocate()
    }
}
