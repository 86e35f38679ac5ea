/// A categorical variable coded as dense integer levels `0..<levelCount`, the form every
/// fixed-effect and clustering routine works on.
public struct Factor: Sendable {
    /// The name shown in messages and tables (`firm`, `firm^year`).
    public let name: String
    /// The level of each observation, in `0..<levelCount`.
    public private(set) var codes: [Int32]
    /// The number of distinct levels present.
    public private(set) var levelCount: Int

    /// Creates a factor from codes that are already dense.
    public init(name: String, denseCodes: [Int32], levelCount: Int) {
        self.name = name
        self.codes = denseCodes
        self.levelCount = levelCount
    }

    /// Creates a factor from raw, non-negative keys (of any range), densified in order of first
    /// appearance. Missing observations must have been removed beforehand.
    ///
    /// Integer keys in a modest range use a lookup table, which is several times faster than hashing
    /// for the million-level firm identifiers of large panels. Keys may span the whole Int64 range
    /// (the bit patterns of non-integer values of both signs do), so the span is computed without
    /// trapping on overflow.
    public init(name: String, keys: [Int64]) {
        self.name = name
        if let low = keys.min(), let high = keys.max(), let span = Self.compactSpan(low: low, high: high, count: keys.count) {
            let (dense, count) = keys.withUnsafeBufferPointer { source in
                Self.denseCodes(count: source.count, slots: span) { Int(source[$0] &- low) }
            }
            self.codes = dense
            self.levelCount = Int(count)
        } else {
            var dense = [Int32](repeating: 0, count: keys.count)
            var count: Int32 = 0
            var lookup = [Int64: Int32](minimumCapacity: 1024)
            for (index, key) in keys.enumerated() {
                if let code = lookup[key] {
                    dense[index] = code
                } else {
                    lookup[key] = count
                    dense[index] = count
                    count += 1
                }
            }
            self.codes = dense
            self.levelCount = Int(count)
        }
    }

    /// Creates a factor from numeric values that are all integers (or missing) within a range of
    /// at most four times the number of observations; `nil` otherwise. Missing values get code 0
    /// and must be dropped by the caller. Levels are densified in order of first appearance.
    public init?(name: String, integerValues values: [Double]) {
        var low = Double.infinity, high = -Double.infinity
        for value in values where value.isFinite {
            guard value == value.rounded() else { return nil }
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        guard low.isFinite, high - low < Double(Swift.max(4 * values.count, 1 << 16)) else { return nil }
        let (dense, next) = values.withUnsafeBufferPointer { source in
            Self.denseCodes(count: source.count, slots: Int(high - low) + 1) { source[$0].isFinite ? Int(source[$0] - low) : nil }
        }
        self.init(name: name, denseCodes: dense, levelCount: Swift.max(Int(next), 1))
    }

    /// The number of lookup-table slots keys from `low` to `high` need, or nil when that range is
    /// too wide for a table (or wider than Int64 can even express).
    static func compactSpan(low: Int64, high: Int64, count: Int) -> Int? {
        let (difference, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, difference >= 0, difference < Int64(Swift.max(4 * count, 1 << 16)) else { return nil }
        return Int(difference) + 1
    }

    /// Codes numbered in order of first appearance, through a lookup table over `slots` possible
    /// keys; `slot(i)` is observation i's key, or nil for a missing one (code 0, dropped later).
    private static func denseCodes(count: Int, slots: Int, slot: (Int) -> Int?) -> ([Int32], Int32) {
        var table = [Int32](repeating: -1, count: slots)
        var dense = [Int32](repeating: 0, count: count)
        var next: Int32 = 0
        table.withUnsafeMutableBufferPointer { lookup in
            dense.withUnsafeMutableBufferPointer { output in
                for index in 0..<count {
                    guard let key = slot(index) else { continue }
                    var code = lookup[key]
                    if code < 0 {
                        code = next
                        lookup[key] = code
                        next += 1
                    }
                    output[index] = code
                }
            }
        }
        return (dense, next)
    }

    /// The number of observations.
    public var observationCount: Int { codes.count }

    /// The number of observations in each level.
    public func levelSizes() -> [Int] {
        var sizes = [Int](repeating: 0, count: levelCount)
        codes.withUnsafeBufferPointer { source in
            for code in source { sizes[Int(code)] += 1 }
        }
        return sizes
    }

    /// The factor restricted to the given observations, with levels re-densified so that empty
    /// levels disappear (they would otherwise inflate the degrees-of-freedom count).
    public func subset(_ keep: [Bool]) -> Factor {
        var remap = [Int32](repeating: -1, count: levelCount)
        var next: Int32 = 0
        var selected = [Int32]()
        selected.reserveCapacity(keep.count)
        for (index, code) in codes.enumerated() where keep[index] {
            var mapped = remap[Int(code)]
            if mapped < 0 {
                mapped = next
                remap[Int(code)] = mapped
                next += 1
            }
            selected.append(mapped)
        }
        return Factor(name: name, denseCodes: selected, levelCount: Int(next))
    }

    /// The factor whose levels are the observed combinations of this one's and `other`'s (`a^b`).
    public func combined(with other: Factor, name combinedName: String) -> Factor {
        let width = Int64(other.levelCount)
        let keys = zip(codes, other.codes).map { Int64($0) * width + Int64($1) }
        return Factor(name: combinedName, keys: keys)
    }

    /// Whether every level of this factor lies within a single level of `other`, as a firm fixed
    /// effect is nested in clustering by firm.
    public func isNested(in other: Factor) -> Bool {
        guard other.observationCount == observationCount else { return false }
        var owner = [Int32](repeating: -1, count: levelCount)
        for index in 0..<observationCount {
            let level = Int(codes[index])
            let cluster = other.codes[index]
            if owner[level] < 0 {
                owner[level] = cluster
            } else if owner[level] != cluster {
                return false
            }
        }
        return true
    }
}
