#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hash table from byte strings to dense codes in order of first appearance, used to turn
/// text fields into factor codes without creating a `String` per field.
///
/// Keys live back to back in one byte arena, so a chunk with a million distinct identifiers
/// makes a handful of allocations rather than a million. The storage is raw memory in a class:
/// the lookup runs once per text field, and arrays there cost bounds checks and a retain and
/// release per access, a third of the time of reading a text column.
final class TokenDictionary {
    /// The number of distinct keys.
    @exclusivity(unchecked) private(set) var count = 0
    /// Set when a key could not be added (more than `Int32` codes can number, or no memory);
    /// readers turn this into an error.
    @exclusivity(unchecked) private(set) var isFull = false
    /// The keys, concatenated in code order.
    @exclusivity(unchecked) private var arena: UnsafeMutablePointer<UInt8>?
    @exclusivity(unchecked) private var arenaCount = 0
    @exclusivity(unchecked) private var arenaCapacity = 0
    /// `offsets[code] ..< offsets[code + 1]` is the key of `code` in `arena`.
    @exclusivity(unchecked) private var offsets: UnsafeMutablePointer<Int>?
    /// The hash of each key, kept so growing the table never rehashes bytes.
    @exclusivity(unchecked) private var hashes: UnsafeMutablePointer<UInt64>?
    @exclusivity(unchecked) private var keyCapacity = 0
    /// Open-addressing slots holding `code + 1`, or 0 when empty; the count is a power of two.
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<Int32>?
    @exclusivity(unchecked) private var slotCount = 0

    /// An empty dictionary; storage is allocated with the first key.
    init() {}

    deinit {
        free(arena)
        free(offsets)
        free(hashes)
        free(slots)
    }

    /// Forgets all keys but keeps the storage, so a chunk buffer reused for the next block
    /// does not grow its table again from scratch.
    func removeAll() {
        if count > 0, let slots {
            slots.update(repeating: 0, count: slotCount)
        }
        count = 0
        arenaCount = 0
        isFull = false
    }

    /// The code of `key`, adding it as a new code if it is not present yet; -1 (with
    /// `isFull` set) when it cannot be added.
    func code(for key: UnsafeRawBufferPointer) -> Int32 {
        let hash = Self.hash(key)
        if let slots, let hashes, let offsets, let arena {
            let mask = slotCount - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let stored = Int(slots[slot])
                if stored == 0 { break }
                let code = stored - 1
                if hashes[code] == hash {
                    let start = offsets[code]
                    let candidate = UnsafeRawBufferPointer(start: arena + start, count: offsets[code + 1] - start)
                    if Self.equal(candidate, key) { return Int32(truncatingIfNeeded: code) }
                }
                slot = (slot + 1) & mask
            }
        }
        return insert(key, hash: hash)
    }

    /// Adds a key known to be absent.
    @inline(never)
    private func insert(_ key: UnsafeRawBufferPointer, hash: UInt64) -> Int32 {
        let code = count
        guard code < Int(Int32.max) - 1, reserve(keys: code + 1, bytes: arenaCount + key.count),
              let arena, let offsets, let hashes
        else {
            isFull = true
            return -1
        }
        if let source = key.baseAddress, key.count > 0 {
            (arena + arenaCount).initialize(from: source.assumingMemoryBound(to: UInt8.self), count: key.count)
        }
        arenaCount += key.count
        offsets[code + 1] = arenaCount
        hashes[code] = hash
        count = code + 1
        // Keep the load factor at or below one half so probe sequences stay short.
        if count * 2 > slotCount {
            guard rehash(slotCount: max(64, slotCount * 2)) else {
                isFull = true
                count = code
                arenaCount -= key.count
                return -1
            }
        } else if let slots {
            var slot = Int(truncatingIfNeeded: hash) & (slotCount - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slotCount - 1) }
            slots[slot] = Int32(truncatingIfNeeded: code + 1)
        }
        return Int32(truncatingIfNeeded: code)
    }

    /// Ensures room for `keys` keys of `bytes` bytes in total; false when memory ran out.
    private func reserve(keys: Int, bytes: Int) -> Bool {
        if keys > keyCapacity {
            let capacity = max(keys, keyCapacity * 2, 64)
            guard let grownOffsets = realloc(offsets, (capacity + 1) * MemoryLayout<Int>.stride),
                  let grownHashes = realloc(hashes, capacity * MemoryLayout<UInt64>.stride)
            else { return false }
            offsets = grownOffsets.assumingMemoryBound(to: Int.self)
            hashes = grownHashes.assumingMemoryBound(to: UInt64.self)
            offsets?[0] = 0
            keyCapacity = capacity
        }
        if bytes > arenaCapacity || arena == nil {
            let capacity = max(bytes, arenaCapacity * 2, 1024)
            guard let grown = realloc(arena, capacity) else { return false }
            arena = grown.assumingMemoryBound(to: UInt8.self)
            arenaCapacity = capacity
        }
        return true
    }

    /// Rebuilds the slot table with `slotCount` slots from the stored hashes.
    private func rehash(slotCount newCount: Int) -> Bool {
        guard let fresh = calloc(newCount, MemoryLayout<Int32>.stride)?.assumingMemoryBound(to: Int32.self),
              let hashes
        else { return false }
        let mask = newCount - 1
        for code in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[code]) & mask
            while fresh[slot] != 0 { slot = (slot + 1) & mask }
            fresh[slot] = Int32(truncatingIfNeeded: code + 1)
        }
        free(slots)
        slots = fresh
        slotCount = newCount
        return true
    }

    /// Calls `body` with the bytes of the key of `code` (which must be below `count`).
    func withKey<R>(_ code: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        guard let arena, let offsets, code >= 0, code < count else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return body(UnsafeRawBufferPointer(start: arena + offsets[code], count: offsets[code + 1] - offsets[code]))
    }

    /// The keys as strings, in code order; invalid UTF-8 is repaired with U+FFFD.
    func strings() -> [String] {
        (0..<count).map { code in
            withKey(code) { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Whether two byte strings are equal.
    @inline(__always)
    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let length = a.count
        guard length == b.count else { return false }
        guard length > 0, let x = a.baseAddress, let y = b.baseAddress else { return true }
        // Identifiers are short: compare them in registers rather than call memcmp.
        if length <= 16 {
            return load(x, min(length, 8)) == load(y, min(length, 8))
                && (length <= 8 || load(x + 8, length - 8) == load(y + 8, length - 8))
        }
        return memcmp(x, y, length) == 0
    }

    /// Up to eight bytes at `pointer` as a little-endian integer (missing high bytes are zero).
    @inline(__always)
    private static func load(_ pointer: UnsafeRawPointer, _ count: Int) -> UInt64 {
        if count >= 8 {
            return UInt64(littleEndian: pointer.loadUnaligned(as: UInt64.self))
        }
        var value: UInt64 = 0
        for index in 0..<count {
            value |= UInt64(pointer.load(fromByteOffset: index, as: UInt8.self)) << (8 * UInt64(index))
        }
        return value
    }

    /// A multiply-and-shift hash over eight bytes at a time, with a final avalanche so the low
    /// bits used for slots depend on every byte. A byte at a time (FNV) was a visible share of
    /// reading identifier columns.
    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        guard let base = key.baseAddress else { return h }
        var index = 0
        while index + 8 <= key.count {
            h = (h ^ load(base + index, 8)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            index += 8
        }
        if index < key.count {
            h = (h ^ load(base + index, key.count - index)) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }
}
