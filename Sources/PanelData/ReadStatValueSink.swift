/// Where ReadStat's value callback puts numbers: one buffer per kept numeric variable, sized to
/// the rows the file announces, written at each value's row.
///
/// Why a plain struct behind a raw pointer: the callback runs once per value (6·10^7 times for a
/// 10^7-row, six-column file). Reaching the context object through `Unmanaged`, looking the
/// variable up in a dictionary and appending to an array inside a class cost a retain, a
/// release, a hash and two exclusivity checks per value, a quarter of the read's time (perf).
/// Here a value costs two array reads and a store. Text values, and numbers of a file that does
/// not announce its row count (some SPSS writers), still go through the context.
struct ValueSink {
    /// The context, for everything but stored numbers.
    let owner: Unmanaged<ReadStatContext>
    /// The kept position of each file variable, or -1.
    private var positions: UnsafeMutablePointer<Int32>?
    private var variableCount = 0
    /// Per kept position: its numbers, or nil (text, or rows unknown).
    private var storage: UnsafeMutablePointer<UnsafeMutablePointer<Double>?>?
    /// Per kept position: the values stored.
    private var counts: UnsafeMutablePointer<Int>?
    /// The rows the file announces, or -1.
    private var rows = -1

    init(owner: Unmanaged<ReadStatContext>) {
        self.owner = owner
    }

    /// Sizes the tables once the metadata give the number of variables and rows.
    mutating func prepare(variables: Int, rows: Int) {
        release()
        variableCount = max(0, variables)
        self.rows = rows
        positions = .allocate(capacity: max(variableCount, 1))
        positions?.initialize(repeating: -1, count: max(variableCount, 1))
        storage = .allocate(capacity: max(variableCount, 1))
        storage?.initialize(repeating: nil, count: max(variableCount, 1))
        counts = .allocate(capacity: max(variableCount, 1))
        counts?.initialize(repeating: 0, count: max(variableCount, 1))
    }

    /// Records that file variable `index` is kept at `position`, with storage for every
    /// announced row if it is numeric; false when either is out of the announced range.
    mutating func keep(variable index: Int, at position: Int, numeric: Bool) -> Bool {
        guard let positions, let storage, index >= 0, index < variableCount, position < variableCount else { return false }
        positions[index] = Int32(position)
        if numeric, rows >= 0 { storage[position] = .allocate(capacity: max(rows, 1)) }
        return true
    }

    /// The kept position of file variable `index`, or nil when it is not kept.
    func position(of index: Int) -> Int? {
        guard let positions, index >= 0, index < variableCount, positions[index] >= 0 else { return nil }
        return Int(positions[index])
    }

    /// Whether kept position `position` stores its numbers here.
    func hasStorage(_ position: Int) -> Bool {
        guard let storage, position >= 0, position < variableCount else { return false }
        return storage[position] != nil
    }

    /// Stores `value` at `row`; false when the row lies beyond the announced rows.
    func store(_ value: Double, row: Int, at position: Int) -> Bool {
        guard row >= 0, row < rows, let buffer = storage?[position], let counts else { return false }
        buffer[row] = value
        counts[position] += 1
        return true
    }

    /// The values stored at `position` (ReadStat delivers rows in order, from row 0).
    func received(_ position: Int) -> Int {
        guard let counts, hasStorage(position) else { return 0 }
        return counts[position]
    }

    /// The stored numbers of `position`, in row order; the buffer is freed.
    mutating func take(_ position: Int) -> [Double] {
        guard let storage, let buffer = storage[position] else { return [] }
        let values = Array(UnsafeBufferPointer(start: buffer, count: min(received(position), rows)))
        buffer.deallocate()
        storage[position] = nil
        return values
    }

    /// Frees every table and buffer.
    mutating func release() {
        if let storage {
            for position in 0..<max(variableCount, 1) { storage[position]?.deallocate() }
            storage.deallocate()
        }
        positions?.deallocate()
        counts?.deallocate()
        positions = nil
        storage = nil
        counts = nil
        variableCount = 0
    }
}
